import NIOCore
import Testing
import WSTapCore

@testable import WSTapNetwork

/// Where a server's connection handlers run: on the shared task pool by default, on the connection's event
/// loop (no thread hop per message) with ``ServerOptions/runsHandlersOnEventLoop``.
@Suite struct HandlerExecutorTests {
    func handlerRunsOnEventLoop(options: ServerOptions) async throws -> Bool? {
        let (seen, continuation) = AsyncStream.makeStream(of: Bool.self)
        let server = try await WebSocketServer.start(port: 0, options: options) { connection in
            continuation.yield(connection.channel.eventLoop.inEventLoop)
            // Still on it after waiting for a message and sending its echo.
            if let message = await connection.receive() {
                try await connection.send(message.data, opcode: message.opcode)
                continuation.yield(connection.channel.eventLoop.inEventLoop)
            }
        }
        defer { Task { try? await server.stop() } }
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        try await client.send("where")
        #expect(await client.receive()?.text == "where")
        var iterator = seen.makeAsyncIterator()
        let first = await iterator.next()
        let second = await iterator.next()
        _ = await client.close()
        return first == second ? first : nil
    }

    @Test func handlersRunOnThePoolByDefault() async throws {
        #expect(try await handlerRunsOnEventLoop(options: ServerOptions()) == false)
    }

    @Test func handlersRunOnTheConnectionsEventLoopWhenAsked() async throws {
        var options = ServerOptions()
        options.runsHandlersOnEventLoop = true
        #expect(try await handlerRunsOnEventLoop(options: options) == true)
    }

    /// A client's code run with ``WebSocketConnection/executor`` as its preference runs on the connection's
    /// event loop, also after waiting for a message and sending (what `wstap connect` does).
    @Test func clientCodeRunsOnTheEventLoopWithTheConnectionsExecutor() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        #expect(!client.channel.eventLoop.inEventLoop)
        let onLoop = try await withTaskExecutorPreference(client.executor) {
            var onLoop = [client.channel.eventLoop.inEventLoop]
            try await client.send("where", flush: false)
            try await client.send("now")
            onLoop.append(client.channel.eventLoop.inEventLoop)
            #expect(await client.receive()?.text == "where")
            #expect(await client.receive()?.text == "now")
            onLoop.append(client.channel.eventLoop.inEventLoop)
            return onLoop
        }
        #expect(onLoop == [true, true, true])
        #expect(await client.close().wasClean)
    }

    /// `WebSocketServer.echo` leaves echoes unflushed while more messages wait: the last one must still go
    /// out, whatever the mix of message sizes and however they arrive together.
    @Test(arguments: [false, true])
    func echoSendsEveryEchoOfABurst(onEventLoop: Bool) async throws {
        var options = ServerOptions()
        options.runsHandlersOnEventLoop = onEventLoop
        let server = try await WebSocketServer.start(port: 0, options: options, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let client = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        for round in 0..<20 {
            let count = 1 + round * 7
            for index in 0..<count {
                try await client.send(String(repeating: "x", count: (index * 131) % 3000) + "\(round).\(index)")
            }
            for index in 0..<count {
                let echo = await client.receive()
                #expect(echo?.text?.hasSuffix("\(round).\(index)") == true)
            }
        }
        #expect(await client.close().wasClean)
    }
}

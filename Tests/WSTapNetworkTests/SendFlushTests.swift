import NIOCore
import Testing
import WSTapCore
import WSTapNetwork

/// `send(..., flush: false)` (the original library's `#:flush? #f`): the frame is queued without waiting
/// for the socket, and goes out, in order, with the next flushing send.
@Suite struct SendFlushTests {
    @Test func unflushedFramesGoOutWithTheNextFlushingSend() async throws {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        defer { Task { try? await server.stop() } }
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(server.port)/"))
        try await connection.send(ByteBuffer(string: "one"), opcode: .text, flush: false)
        try await connection.send(ByteBuffer(string: "frag"), opcode: .text, finalFragment: false, flush: false)
        try await connection.send(ByteBuffer(string: "mented"), opcode: .continuation, flush: false)
        try await connection.send(ByteBuffer(string: "three"), opcode: .text)
        #expect(await connection.receive()?.text == "one")
        #expect(await connection.receive()?.text == "fragmented")
        #expect(await connection.receive()?.text == "three")
        #expect(await connection.close().wasClean)
    }
}

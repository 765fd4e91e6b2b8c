import Foundation
import NIOConcurrencyHelpers
import Testing
import WSTapMutation
import WSTapNetwork
import WSTapTestSupport

/// What makes the library pleasant to use, against python3-websockets: handlers that throw, the opcode
/// defaulting to text as the original's `ws-send!`, fragments sent as text, and files sent as streams
/// (the original's input-port send).
@Suite struct LibraryConvenienceTests {
    struct Refusal: Error, CustomStringConvertible {
        var description: String { "no thanks" }
    }

    /// The frame logger (Peers/websockets_frame_logger.py) and our client connected to it.
    func connectToFrameLogger(streamBufferSize: Int = 65536) async throws -> (PeerProcess, WebSocketConnection) {
        let peer = try PeerProcess.python(PeerScripts.script("websockets_frame_logger.py", of: "WSTapNetworkTests"))
        let port = try await peer.port()
        let connection = try await WebSocketClient.connect(
            to: try WebSocketURL("ws://127.0.0.1:\(port)/"), options: ClientOptions(streamBufferSize: streamBufferSize))
        return (peer, connection)
    }

    /// Closes, then returns what the frame logger printed after its port (which ``PeerProcess/port()``
    /// read), line by line.
    func finish(_ peer: PeerProcess, _ connection: WebSocketConnection) async -> [String] {
        await connection.close()
        let result = await peer.finished()
        return result.text.split(separator: "\n").map(String.init)
    }

    @Test func aHandlerThatThrowsClosesWith1011AndTheErrorIsLogged() async throws {
        let logged = NIOLockedValueBox<[String]>([])
        let options = ServerOptions(handlerFailureLogger: { error, connection in
            logged.withLockedValue { $0.append("\(connection.path): \(error)") }
        })
        let server = try await WebSocketServer.start(port: 0, options: options) { connection in
            guard let message = await connection.receive() else { return }
            try await connection.send("got " + (message.text ?? "?"))
            throw Refusal()
        }
        defer { Task { try? await server.stop() } }
        let client = try await PeerProcess.run(
            PeerProcess.python,
            [
                PeerScripts.script("websockets_listening_client.py", of: "WSTapNetworkTests").path,
                "ws://127.0.0.1:\(server.port)/throws", "hello",
            ])
        #expect(client.text == "open\ngot got hello\nclosed 1011 internal error\n", "\(client.stderr)")
        #expect(logged.withLockedValue { $0 } == ["/throws: no thanks"])
    }

    @Test func sendDefaultsToTextAndSendsFragmentsOfText() async throws {
        let (peer, connection) = try await connectToFrameLogger()
        try await connection.send(ByteBuffer(string: "plain"))
        #expect(await connection.receive()?.opcode == .text)
        // The original's manual: (ws-send! c #"first" #:final-fragment? #f), then 'continuation fragments.
        try await connection.send("first", finalFragment: false)
        try await connection.send("second", opcode: .continuation, finalFragment: false)
        try await connection.send("third", opcode: .continuation)
        #expect(await connection.receive()?.text == "firstsecondthird")
        #expect(
            await finish(peer, connection) == [
                "frame text fin=1 5", "message text 5", "frame text fin=0 5", "frame cont fin=0 6",
                "frame cont fin=1 5", "message text 16", "closed 1000 ",
            ])
    }

    @Test func aFileGoesOutAsFragmentsOfAtMostTheStreamBufferSize() async throws {
        let (peer, connection) = try await connectToFrameLogger(streamBufferSize: 4096)
        var generator = FuzzRandom(seed: 20)
        let bytes = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-send-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await connection.send(contentsOfFile: file.path, opcode: .binary)
        #expect(await connection.receive().map { Array($0.data.readableBytesView) } == bytes)
        // A pipe (an input port, in the original's words) is read to its end; text unless told.
        let pipe = Pipe()
        try pipe.fileHandleForWriting.write(contentsOf: Data("from a pipe".utf8))
        try pipe.fileHandleForWriting.close()
        try await connection.send(fileHandle: pipe.fileHandleForReading)
        #expect(await connection.receive()?.text == "from a pipe")
        #expect(
            await finish(peer, connection) == [
                "frame binary fin=0 4096", "frame cont fin=0 4096", "frame cont fin=1 1808", "message binary 10000",
                "frame text fin=1 11", "message text 11", "closed 1000 ",
            ])
    }

    @Test func aFileThatCannotBeReadIsAClearErrorAndSendsNothing() async throws {
        let (peer, connection) = try await connectToFrameLogger()
        let missing = "/nonexistent/wstap-\(UUID().uuidString)"
        await #expect {
            try await connection.send(contentsOfFile: missing)
        } throws: { error in
            "\(error)" == "cannot open '\(missing)': No such file or directory"
        }
        let folder = FileManager.default.temporaryDirectory.path
        await #expect {
            try await connection.send(contentsOfFile: folder)
        } throws: { error in
            "\(error)".hasPrefix("cannot read '\(folder)': ")
        }
        try await connection.send("still fine")
        #expect(await connection.receive()?.text == "still fine")
        #expect(
            await finish(peer, connection) == ["frame text fin=1 10", "message text 10", "closed 1000 "])
    }
}

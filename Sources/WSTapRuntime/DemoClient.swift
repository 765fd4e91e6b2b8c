import NIOCore
import WSTapCore
public import WSTapNetwork

/// The demo's scripted client: a varied stream on one connection, then an invalid frame on another,
/// round after round.
public enum DemoClient {
    /// Plays `rounds` rounds (0: until cancelled) against `url`, `paceMilliseconds` between frames.
    public static func run(url: WebSocketURL, rounds: Int, paceMilliseconds: Int) async {
        var round = 0
        while rounds == 0 || round < rounds, !Task.isCancelled {
            round += 1
            await variedStream(url: url, round: round, pace: paceMilliseconds)
            await invalidFrame(url: url, round: round, pace: paceMilliseconds)
        }
    }

    private static func pause(_ milliseconds: Int) async {
        try? await Task.sleep(for: .milliseconds(max(0, milliseconds)))
    }

    /// Text, JSON, binary, wide characters, a fragmented message, a ping, then a close with a reason.
    private static func variedStream(url: WebSocketURL, round: Int, pace: Int) async {
        guard
            let connection = try? await WebSocketClient.connect(
                to: url, options: ClientOptions(subprotocols: ["demo.v1"]))
        else {
            await pause(1000)
            return
        }
        let echoes = Task { while await connection.nextEvent() != nil {} }
        let steps: [@Sendable () async throws -> Void] = [
            { try await connection.send("hello from the wstap demo, round \(round)") },
            {
                try await connection.send(
                    #"{"type":"order","id":\#(round),"items":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}],"#
                        + #""express":true,"note":null}"#)
            },
            { try await connection.send(bytes: Array(0..<UInt8(32)) + Array("binary tail".utf8)) },
            { try await connection.send("日本語のテキスト、emoji 🎉 and accents: déjà vu") },
            {
                try await connection.send(ByteBuffer(string: "a message "), opcode: .text, finalFragment: false)
                try await connection.send(ByteBuffer(string: "in three "), opcode: .continuation, finalFragment: false)
                try await connection.send(ByteBuffer(string: "fragments"), opcode: .continuation, finalFragment: true)
            },
            { try await connection.ping(ByteBuffer(string: "ping \(round)")) },
            { try await connection.send(String(repeating: "a longer payload that needs a 16-bit length. ", count: 4)) },
        ]
        for step in steps {
            if Task.isCancelled { break }
            do { try await step() } catch { break }
            await pause(pace)
        }
        _ = try? await connection.close(code: CloseCode(4000), reason: "demo round \(round) done")
        echoes.cancel()
        await pause(pace)
    }

    /// A frame with a reserved opcode: the echo server answers with a protocol-error close.
    private static func invalidFrame(url: WebSocketURL, round: Int, pace: Int) async {
        guard let connection = try? await WebSocketClient.connect(to: url) else {
            await pause(1000)
            return
        }
        let events = Task { while await connection.nextEvent() != nil {} }
        try? await connection.send("next: a frame with reserved opcode 0x3")
        await pause(pace)
        let spec = FrameSpec(opcode: Opcode(lowBitsOf: 0x3), mask: .random, payload: Array("not allowed".utf8))
        if let bytes = try? FrameEncoder.encode(spec) { try? await connection.writeRaw(bytes) }
        _ = await connection.closeOutcome()
        events.cancel()
        await pause(pace)
    }
}

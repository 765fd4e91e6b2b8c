import WSTapCore
import WSTapUI

/// The sessions the golden screens and key tests start from, built only through `reduce`.
enum Sessions {
    static func state(_ columns: Int, _ rows: Int, mode: SessionMode = .proxy) -> UIState {
        UIState(
            mode: mode, listenAddress: "127.0.0.1:8080", upstream: "ws://127.0.0.1:9001",
            size: ScreenSize(columns: columns, rows: rows))
    }

    static func apply(_ state: inout UIState, _ script: TrafficScript, ticks: Bool = true) {
        _ = reduce(&state, .traffic(script.events))
        if ticks {
            _ = reduce(&state, .tick(wallSeconds: 1_795_615_200))
            _ = reduce(&state, .tick(wallSeconds: 1_795_615_201))
        }
    }

    static func keys(_ state: inout UIState, _ keys: Key...) {
        for key in keys { _ = reduce(&state, .key(key)) }
    }

    /// Every one of the 16 opcodes, fragments and a close with its reason, on one connection.
    static var everyOpcode: TrafficScript { everyOpcode(ended: true) }

    /// The same; unless `ended`, the connection stays open after the close frames (TCP not closed yet).
    static func everyOpcode(ended: Bool) -> TrafficScript {
        var script = TrafficScript()
        script.open(1)
        script.text(1, .clientToServer, "Hello")
        script.text(1, .serverToClient, "Hello")
        script.frame(1, .clientToServer, FrameSpec(opcode: .binary, payload: [0x00, 0x01, 0x02, 0xfe, 0xff]))
        script.frame(1, .clientToServer, FrameSpec(fin: false, opcode: .text, payload: Array("frag".utf8)))
        script.frame(1, .clientToServer, FrameSpec(fin: true, opcode: .continuation, payload: Array("ment".utf8)))
        script.frame(1, .clientToServer, FrameSpec(opcode: .ping, payload: Array("are you there".utf8)))
        script.frame(1, .serverToClient, FrameSpec(opcode: .pong, payload: Array("are you there".utf8)))
        for value: UInt8 in [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] {
            script.frame(1, .serverToClient, FrameSpec(opcode: Opcode(lowBitsOf: value), payload: [value]))
        }
        script.close(1, clientCode: .normalClosure, serverCode: .normalClosure, reason: "bye", ended: ended)
        return script
    }

    /// Frames that break rules: unmasked client frame, masked server frame, RSV bits, a non-minimal length,
    /// a long ping, a fragmented ping, invalid UTF-8, a continuation with no message.
    static var violations: TrafficScript {
        var script = TrafficScript()
        script.open(2)
        script.unmasked = true
        script.frame(2, .clientToServer, .text("no mask"))
        script.unmasked = false
        script.frame(
            2, .serverToClient,
            FrameSpec(opcode: .text, mask: .key(MaskingKey(value: 0x01020304)), payload: Array("masked".utf8)))
        script.frame(
            2, .clientToServer, FrameSpec(reservedBits: [.rsv1, .rsv3], opcode: .text, payload: Array("rsv".utf8)))
        script.frame(
            2, .serverToClient, FrameSpec(opcode: .text, lengthEncoding: .bits64, payload: Array("long length".utf8)))
        script.frame(2, .serverToClient, FrameSpec(opcode: .ping, payload: Array(repeating: 0x61, count: 130)))
        script.frame(2, .serverToClient, FrameSpec(fin: false, opcode: .ping, payload: Array("frag ping".utf8)))
        script.frame(2, .serverToClient, FrameSpec(opcode: .text, payload: [0x68, 0x69, 0xff, 0xfe]))
        script.frame(2, .serverToClient, FrameSpec(opcode: .continuation, payload: Array("orphan".utf8)))
        script.frame(2, .serverToClient, .close(code: CloseCode(1005), reason: "not on the wire"))
        return script
    }

    /// JSON, binary and wide-character payloads.
    static var payloads: TrafficScript {
        var script = TrafficScript()
        script.open(3, subprotocol: "chat.v1")
        script.text(
            3, .clientToServer,
            #"{"type":"join","room":"lobby","user":{"id":42,"name":"Ada","tags":["admin",true,null,3.5e2]},"empty":{},"list":[]}"#
        )
        script.frame(
            3, .serverToClient, FrameSpec(opcode: .binary, payload: Array(0..<UInt8(40)) + Array("wstap!".utf8)))
        script.text(3, .serverToClient, "日本語のテキスト、絵文字 🎉 と混在 mixed text")
        script.text(3, .clientToServer, "line one\nline two\ttabbed")
        return script
    }
}

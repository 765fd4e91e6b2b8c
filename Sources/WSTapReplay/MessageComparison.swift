import NIOCore
import WSTapCore
public import WSTapExport
import WSTapInspect

/// Compares the messages one side sent in a replay with those of the recording: data messages (type and
/// bytes) in order, and the close code. Pings and pongs are left out: peers send them on their own.
public enum MessageComparison {
    /// The differences, one readable line each; empty when they agree.
    public static func differences(expected: [RecordedMessage], actual: [RecordedMessage]) -> [String] {
        let wanted = expected.filter(\.isData)
        let got = actual.filter(\.isData)
        var lines: [String] = []
        for index in 0..<max(wanted.count, got.count) {
            let number = "message #\(index + 1)"
            switch (index < wanted.count ? wanted[index] : nil, index < got.count ? got[index] : nil) {
            case (let recorded?, let replayed?):
                if recorded.opcode != replayed.opcode || recorded.data != replayed.data {
                    lines.append("\(number): expected \(describe(recorded)), got \(describe(replayed))")
                }
            case (let recorded?, nil):
                lines.append("\(number): expected \(describe(recorded)), got nothing")
            case (nil, let replayed?):
                lines.append("\(number): expected nothing, got \(describe(replayed))")
            case (nil, nil):
                break
            }
        }
        let recordedClose = expected.last { $0.opcode == .close }
        let replayedClose = actual.last { $0.opcode == .close }
        if recordedClose?.closeBody?.code != replayedClose?.closeBody?.code
            || (recordedClose == nil) != (replayedClose == nil)
        {
            lines.append(
                "close: expected \(recordedClose.map(describe) ?? "no close frame"), "
                    + "got \(replayedClose.map(describe) ?? "no close frame")")
        }
        return lines
    }

    /// A short readable form: `text "Hello"`, `binary 5 bytes 00 01 02 fe ff`, `close 1000 "bye"`.
    public static func describe(_ message: RecordedMessage) -> String {
        switch message.opcode {
        case .text:
            return "text " + quoted(String(decoding: message.data.readableBytesView, as: UTF8.self))
        case .close:
            guard let body = message.closeBody, let code = body.code else { return "close (no code)" }
            return "close \(code.rawValue)" + (body.reason.isEmpty ? "" : " " + quoted(body.reason))
        default:
            let bytes = message.data.readableBytesView
            let shown = bytes.prefix(16).map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }
            let more = bytes.count > 16 ? " …" : ""
            return "\(message.opcode.name) \(CountWords.of(bytes.count, "byte")) \(shown.joined(separator: " "))\(more)"
        }
    }

    /// Text in quotes, cut after 60 characters, control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(60) {
            TextEscaping.controls.append(scalar, to: &out)
        }
        let more = text.unicodeScalars.count > 60 ? "…(\(text.utf8.count) bytes)" : ""
        return "\"\(out)\"\(more)"
    }
}

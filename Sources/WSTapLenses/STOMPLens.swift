import WSTapCore

/// STOMP 1.0, 1.1 and 1.2 over WebSocket (stomp.github.io): a frame is a command line, header lines, a
/// blank line, a body and a NUL; a message may hold several frames, and a lone line break is a heart-beat.
/// A frame with a `receipt` header is answered by the RECEIPT with that `receipt-id`; CONNECT (or STOMP) by
/// CONNECTED.
public struct STOMPLens: Lens {
    /// `stomp`.
    public let name = "stomp"

    /// The lens.
    public init() {}

    /// `v10.stomp`, `v11.stomp`, `v12.stomp` (and `stomp`).
    public func claims(subprotocol: String) -> Bool {
        let lowered = subprotocol.lowercased()
        return lowered == "stomp" || (lowered.hasPrefix("v1") && lowered.hasSuffix(".stomp"))
    }

    /// A client's first frame: CONNECT or STOMP.
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, let text = message.text else { return false }
        return text.hasPrefix("CONNECT\n") || text.hasPrefix("CONNECT\r\n") || text.hasPrefix("STOMP\n")
            || text.hasPrefix("STOMP\r\n")
    }

    /// A decoder: STOMP frames over WebSocket come whole in their messages.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder()
    }

    struct Decoder: LensDecoder {
        mutating func decode(_ message: LensMessage) -> [LensView] {
            var views: [LensView] = []
            var rest = message.bytes[...]
            while !rest.isEmpty {
                // Line breaks between frames are heart-beats.
                let start = rest.firstIndex { $0 != 0x0A && $0 != 0x0D } ?? rest.endIndex
                if start > rest.startIndex, views.isEmpty, start == rest.endIndex {
                    views.append(LensView(summary: "heart-beat", fields: [LensField("command", .string("heart-beat"))]))
                }
                rest = rest[start...]
                guard !rest.isEmpty else { break }
                switch STOMPLens.frame(rest, direction: message.direction) {
                case .success(let (view, end)):
                    views.append(view)
                    rest = rest[end...]
                case .failure(let problem):
                    views.append(.doesNotParse(problem.why))
                    return views
                }
            }
            if views.isEmpty { views.append(.doesNotParse("an empty message")) }
            return views
        }
    }

    struct Problem: Error {
        var why: String
    }

    /// The frame at the start of `bytes`, and the index after its NUL.
    static func frame(
        _ bytes: ArraySlice<UInt8>, direction: TrafficDirection
    ) -> Result<(LensView, Int), Problem> {
        var index = bytes.startIndex
        func line() -> String? {
            guard let end = bytes[index...].firstIndex(where: { $0 == 0x0A || $0 == 0x00 }) else { return nil }
            var text = bytes[index..<end]
            if text.last == 0x0D { text = text.dropLast() }
            index = bytes[end] == 0x0A ? end + 1 : end
            return String(decoding: text, as: UTF8.self)
        }
        guard let command = line(), !command.isEmpty else {
            return .failure(Problem(why: "a frame starts with its command on a line"))
        }
        guard command.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            return .failure(Problem(why: "\(command.prefix(40).debugDescription) is not a STOMP command"))
        }
        var headers: [LensField] = []
        // CONNECT and CONNECTED keep backslashes as they are (STOMP 1.2, "Value Encoding").
        let escapes = command != "CONNECT" && command != "CONNECTED"
        while index < bytes.endIndex, bytes[index] != 0x00 {
            guard let header = line() else {
                return .failure(Problem(why: "the frame ends inside its headers (no NUL)"))
            }
            if header.isEmpty { break }
            guard let colon = header.firstIndex(of: ":") else {
                return .failure(Problem(why: "header \(header.prefix(40).debugDescription) has no ':'"))
            }
            let name = String(header[..<colon])
            let value = String(header[header.index(after: colon)...])
            headers.append(LensField(escapes ? unescape(name) : name, .string(escapes ? unescape(value) : value)))
        }
        func header(_ name: String) -> String? {
            headers.first { $0.name == name }?.value.stringValue
        }
        // The body runs to the NUL, or for content-length bytes (which may hold NULs).
        let bodyEnd: Int
        if let length = header("content-length").flatMap(Int.init), length >= 0,
            length <= bytes.endIndex - index
        {
            bodyEnd = index + length
        } else if let nul = bytes[index...].firstIndex(of: 0x00) {
            bodyEnd = nul
        } else {
            return .failure(Problem(why: "\(command): the frame has no NUL at its end"))
        }
        guard bodyEnd < bytes.endIndex, bytes[bodyEnd] == 0x00 else {
            return .failure(Problem(why: "\(command): no NUL after content-length bytes of body"))
        }
        let body = Array(bytes[index..<bodyEnd])
        let value = MQTTPacket.payloadValue(body)
        var fields = [LensField("command", .string(command)), LensField("headers", .object(headers))]
        fields.append(LensField("bodyLength", .integer(Int64(body.count))))
        if !body.isEmpty { fields.append(LensField("body", value)) }
        var summary = command
        var method: String? = command
        var correlation: LensCorrelation?
        var isError = false
        switch command {
        case "CONNECT", "STOMP":
            if let host = header("host") { summary += " host=\(host)" }
            if let versions = header("accept-version") { summary += " accept-version=\(versions)" }
            correlation = LensCorrelation(id: "connect", role: .request)
        case "CONNECTED":
            if let version = header("version") { summary += " version=\(version)" }
            correlation = LensCorrelation(id: "connect", role: .response)
            method = nil
        case "RECEIPT":
            if let id = header("receipt-id") {
                summary += " \(id)"
                correlation = LensCorrelation(id: "receipt \(id)", role: .response)
            }
            method = nil
        case "ERROR":
            isError = true
            if let text = header("message") { summary += " \(text)" }
            if let id = header("receipt-id") { correlation = LensCorrelation(id: "receipt \(id)", role: .response) }
        default:
            if let destination = header("destination") {
                summary += " \(destination)"
                method = "\(command) \(destination)"
            }
            if let id = header("id") { summary += " id=\(id)" }
            if let subscription = header("subscription") { summary += " sub=\(subscription)" }
            if let id = header("message-id") { summary += " message=\(id)" }
        }
        if let receipt = header("receipt"), command != "CONNECT", command != "STOMP" {
            summary += " receipt=\(receipt)"
            correlation = LensCorrelation(id: "receipt \(receipt)", role: .request)
        }
        if !body.isEmpty {
            summary += " (\(body.count) B)"
            if case .bytes = value {} else { summary += " " + value.json(limit: 60) }
        }
        let view = LensView(
            summary: summary, fields: fields, correlation: correlation, method: method, isError: isError)
        return .success((view, bodyEnd + 1))
    }

    /// STOMP 1.2's header escapes: `\n`, `\r`, `\c` (a colon) and `\\`.
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "c": out.append(":")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}

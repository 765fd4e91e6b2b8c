public import WSTapCore

/// The opening handshake of a case that tests it: the request written byte for byte (header names in odd case,
/// folded lines, a key that is not one, no version), and the answer the server owes it. A case without one opens
/// its connection by the book.
public struct Opening: Sendable {
    /// What the server must answer.
    public enum Answer: Hashable, Sendable {
        /// Accept it (101, by the book); the case's frames follow.
        case accept
        /// Refuse it with a 4xx status; accepting it instead gets `ifAccepted`.
        case refuse(ifAccepted: Verdict)
        /// Either accept it by the book or refuse it with a 4xx: the RFC allows both.
        case acceptOrRefuse
        /// Accept it while declining an extension offer that breaks the extension's rules (RFC 7692 5); refusing
        /// the whole connection for it instead is NON-STRICT.
        case declineOffer
    }

    /// The lines of the request head, without line endings and without the blank line that ends it; `{path}`,
    /// `{host}` and `{key}` stand for the target's path, its `Host` value and a fresh `Sec-WebSocket-Key`.
    public var lines: [String]
    /// What the server must answer.
    public var answer: Answer
    /// Writes the request in pieces of this size instead of all at once.
    public var chop: Int?
    /// Frames written in the same write as the request, before any answer came.
    public var earlyFrames: [FrameSpec]
    /// A refusal must carry `Sec-WebSocket-Version: 13` (a version the server does not speak, RFC 6455 4.4);
    /// without it the refusal is NON-STRICT.
    public var refusalNamesVersion: Bool
    /// The subprotocols the request asks for (an answer must choose one of them or none).
    public var subprotocols: [String]
    /// The `Sec-WebSocket-Extensions` values the request sends (an answer may agree only to what they offer,
    /// by RFC 7692's rules for permessage-deflate).
    public var extensions: [String]

    /// An opening with these request lines and this answer.
    public init(
        _ lines: [String], _ answer: Answer, chop: Int? = nil, earlyFrames: [FrameSpec] = [],
        refusalNamesVersion: Bool = false, subprotocols: [String] = [], extensions: [String] = []
    ) {
        self.lines = lines
        self.answer = answer
        self.chop = chop
        self.earlyFrames = earlyFrames
        self.refusalNamesVersion = refusalNamesVersion
        self.subprotocols = subprotocols
        self.extensions = extensions
    }

    /// The request by the book, as lines.
    public static let standardLines = [
        "GET {path} HTTP/1.1", "Host: {host}", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]

    /// The request by the book with the header `name` (case ignored) left out or given another line, and
    /// `adding` lines at the end.
    public static func lines(replacing name: String? = nil, with line: String? = nil, adding: [String] = []) -> [String]
    {
        var lines = standardLines
        if let name, let index = lines.firstIndex(where: { $0.lowercased().hasPrefix(name.lowercased() + ":") }) {
            if let line { lines[index] = line } else { lines.remove(at: index) }
        }
        return lines + adding
    }

    /// The request's bytes with the placeholders filled in.
    public func request(path: String, host: String, key: String) -> [UInt8] {
        let text = lines.map { line in
            line.replacing("{path}", with: path).replacing("{host}", with: host).replacing("{key}", with: key)
        }.joined(separator: "\r\n")
        return Array((text + "\r\n\r\n").utf8)
    }

    /// What the request asks, for reports: the lines that differ from the request by the book.
    public var description: String {
        let odd = lines.filter { !Self.standardLines.contains($0) }
        let missing = Self.standardLines.dropFirst().filter { line in
            let name = line.split(separator: ":").first.map { $0.lowercased() } ?? ""
            return !lines.contains { $0.lowercased().hasPrefix(name) }
        }
        var parts: [String] = []
        if !odd.isEmpty { parts.append("request with " + odd.map { "'\($0)'" }.joined(separator: ", ")) }
        if !missing.isEmpty { parts.append("without " + missing.map { "'\($0)'" }.joined(separator: ", ")) }
        if let chop { parts.append("in \(chop)-byte writes") }
        if !earlyFrames.isEmpty { parts.append("the first frame in the same write") }
        return parts.isEmpty ? "request by the book" : parts.joined(separator: "; ")
    }
}

import NIOCore
public import WSTapCore

/// Which frames intercept holds: every condition that is set must match (an empty filter matches
/// every frame).
public struct InterceptFilter: Sendable {
    /// Only this connection's frames.
    public var connection: UInt64?
    /// Only these opcodes (raw values 0-15; a hybi-00 text frame counts as 1, a length-prefixed one
    /// as 2, a closing frame as 8).
    public var opcodes: Set<UInt8>?
    /// Only frames whose payload (inflated when compressed), read as UTF-8, contains this text.
    public var payloadContains: String?
    /// Only frames whose payload, read as UTF-8, has a match of this regular expression.
    public private(set) var payloadPattern: String?

    /// A filter; throws ``InterceptFilterError`` when `payloadPattern` is not a valid regular expression.
    public init(
        connection: UInt64? = nil, opcodes: Set<UInt8>? = nil, payloadContains: String? = nil,
        payloadPattern: String? = nil
    ) throws(InterceptFilterError) {
        self.connection = connection
        self.opcodes = opcodes
        self.payloadContains = payloadContains
        self.payloadPattern = payloadPattern
        if let payloadPattern {
            do {
                _ = try Regex(payloadPattern)
            } catch {
                throw InterceptFilterError(pattern: payloadPattern, reason: "\(error)")
            }
        }
    }

    /// A filter that matches every frame.
    public static let everything = InterceptFilter(matchingEverything: ())

    private init(matchingEverything: Void) {}

    /// Whether intercept should hold this frame (compiles the pattern each time: a connection keeps an
    /// ``InterceptStage`` instead).
    public func matches(_ frame: TrafficEvent.FrameSeen) -> Bool {
        InterceptStage(self).matches(frame)
    }

    /// The opcode a filter compares: the RFC 6455 opcode, or the hybi-00 kind mapped onto one.
    static func opcode(of frame: TrafficEvent.FrameSeen) -> UInt8 {
        switch frame.content {
        case .rfc6455(let decoded): return decoded.header.opcode.rawValue
        case .hybi00(let decoded):
            if decoded.isText { return Opcode.text.rawValue }
            if decoded.isClose { return Opcode.close.rawValue }
            return Opcode.binary.rawValue
        }
    }
}

/// A payload pattern that is not a regular expression.
public struct InterceptFilterError: Error, CustomStringConvertible, Sendable {
    /// The pattern as given.
    public var pattern: String
    /// Why it is not a valid regular expression.
    public var reason: String

    /// `bad payload pattern PATTERN: REASON`.
    public var description: String { "bad payload pattern \(pattern): \(reason)" }
}

import NIOCore
public import WSTapCore

/// Which frames the list shows: by connection, direction, opcode, violations, and text in the payload
/// (the whole payload while the store holds it, else the preview). Written as words: `conn=3 dir=c2s op=text,close bad hello`.
public struct FrameFilter: Hashable, Sendable {
    /// Show only this connection's frames (`conn=N`).
    public var connection: UInt64?
    /// Show only frames going this way (`dir=c2s` or `dir=s2c`).
    public var direction: TrafficDirection?
    /// Opcode or hybi-00 kind names (`text`, `close`, `reserved-3`...); empty for all.
    public var kinds: Set<String>
    /// Show only frames that break a rule (`bad`).
    public var violationsOnly: Bool
    /// Lower-cased bytes the payload must contain; empty for any.
    public var text: [UInt8]

    /// A filter with these criteria (`text` is matched ignoring case); with none it shows everything.
    public init(
        connection: UInt64? = nil, direction: TrafficDirection? = nil, kinds: Set<String> = [],
        violationsOnly: Bool = false, text: String = ""
    ) {
        self.connection = connection
        self.direction = direction
        self.kinds = kinds
        self.violationsOnly = violationsOnly
        self.text = Array(text.lowercased().utf8)
    }

    /// Parses the words of the filter prompt; `nil` with the reason when a word makes no sense.
    public static func parse(_ words: String) -> Result<FrameFilter?, FilterError> {
        var filter = FrameFilter()
        var textWords: [Substring] = []
        for word in words.split(separator: " ") {
            if let value = word.strip("conn=") ?? word.strip("c=") {
                guard let id = UInt64(value.drop(while: { $0 == "#" })) else {
                    return .failure(FilterError("conn=\(value): not a connection number"))
                }
                filter.connection = id
            } else if let value = word.strip("dir=") {
                switch value {
                case "c2s", ">", "→", "client": filter.direction = .clientToServer
                case "s2c", "<", "←", "server": filter.direction = .serverToClient
                default: return .failure(FilterError("dir=\(value): use c2s or s2c"))
                }
            } else if let value = word.strip("op=") {
                for name in value.split(separator: ",") {
                    guard let opcode = Opcode(name: String(name)) else {
                        return .failure(FilterError("op=\(name): not an opcode name or number"))
                    }
                    filter.kinds.insert(opcode.name)
                }
            } else if word == "bad" || word == "violations" {
                filter.violationsOnly = true
            } else {
                textWords.append(word)
            }
        }
        filter.text = Array(textWords.joined(separator: " ").lowercased().utf8)
        return .success(filter == FrameFilter() ? nil : filter)
    }

    /// Whether a stored frame passes.
    func matches(_ row: FrameRow, sequence: Int, in store: FrameStore) -> Bool {
        if let connection, row.connection != connection { return false }
        if let direction, row.direction != direction { return false }
        if violationsOnly, !row.hasViolations { return false }
        if !kinds.isEmpty, !kinds.contains(row.kindName) { return false }
        if !text.isEmpty,
            store.withSearchableBytes(sequence, { bytes, _ in FrameStore.firstFoldedMatch(of: text, in: bytes) != nil })
                != true
        {
            return false
        }
        return true
    }

    /// Whether a frame passes, judged from the frame itself with its whole payload (the inflated one of a
    /// compressed message), as for a frame read back from a recording.
    public func matches(_ frame: TrafficEvent.FrameSeen) -> Bool {
        let row = FrameRow(frame)
        if let connection, row.connection != connection { return false }
        if let direction, row.direction != direction { return false }
        if violationsOnly, !row.hasViolations { return false }
        if !kinds.isEmpty, !kinds.contains(row.kindName) { return false }
        if !text.isEmpty {
            return frame.readablePayload.withUnsafeReadableBytes {
                FrameStore.firstFoldedMatch(of: text, in: $0) != nil
            }
        }
        return true
    }

    /// The filter as the words that make it.
    public var words: String {
        var parts: [String] = []
        if let connection { parts.append("conn=\(connection)") }
        if let direction { parts.append("dir=\(direction.rawValue)") }
        if !kinds.isEmpty { parts.append("op=" + kinds.sorted().joined(separator: ",")) }
        if violationsOnly { parts.append("bad") }
        if !text.isEmpty { parts.append(String(decoding: text, as: UTF8.self)) }
        return parts.joined(separator: " ")
    }
}

/// Why filter words could not be read.
public struct FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which word could not be read, and why.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Substring {
    fileprivate func strip(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}

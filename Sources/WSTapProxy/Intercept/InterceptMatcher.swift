import NIOCore
import WSTapCore

/// A filter with its pattern compiled, owned by one connection (regular expressions are not shared
/// across threads).
struct InterceptMatcher {
    let settings: InterceptSettings
    private let filter: InterceptFilter
    private let payloadRegex: Regex<AnyRegexOutput>?

    init(_ filter: InterceptFilter) {
        self.init(InterceptSettings(directions: Set(TrafficDirection.allCases), filter: filter))
    }

    init(_ settings: InterceptSettings) {
        self.settings = settings
        self.filter = settings.filter
        payloadRegex = settings.filter.payloadPattern.flatMap { try? Regex($0) }
    }

    /// Whether a frame is held: its direction is intercepted and it passes the filter.
    func holds(_ frame: TrafficEvent.FrameSeen) -> Bool {
        settings.directions.contains(frame.direction) && matches(frame)
    }

    func matches(_ frame: TrafficEvent.FrameSeen) -> Bool {
        if let connection = filter.connection, frame.connection != connection { return false }
        if let opcodes = filter.opcodes, !opcodes.contains(InterceptFilter.opcode(of: frame)) { return false }
        guard filter.payloadContains != nil || payloadRegex != nil else { return true }
        let text = String(decoding: frame.readablePayload.readableBytesView, as: UTF8.self)
        if let needle = filter.payloadContains, !text.contains(needle) { return false }
        if let payloadRegex, (try? payloadRegex.firstMatch(in: text)) == nil { return false }
        return true
    }
}

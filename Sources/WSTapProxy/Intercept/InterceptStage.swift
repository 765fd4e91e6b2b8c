import NIOCore
import WSTapCore
import WSTapFilter
import WSTapPipeline

/// Intercept as a ``TrafficStage``: it holds the frames its settings pick, as they came, for a person to
/// forward, drop or replace byte for byte (through ``ProxyController``). It decides nothing about whole
/// messages: a message with a held frame is the person's to decide, the other stages do not get it.
/// Each connection makes its own from the settings, with the payload pattern compiled once.
struct InterceptStage: TrafficStage {
    let settings: InterceptSettings
    private let payloadRegex: FilterRegex?

    init(_ filter: InterceptFilter) {
        self.init(InterceptSettings(directions: Set(TrafficDirection.allCases), filter: filter))
    }

    init(_ settings: InterceptSettings) {
        self.settings = settings
        payloadRegex = settings.filter.payloadPattern.flatMap { try? FilterRegex($0, ignoresCase: false) }
    }

    /// Whole messages are not intercept's.
    func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool { false }

    /// Never asked (it acts on no direction): passes.
    func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
        .pass
    }

    /// The directions intercept is on for.
    func holdsFrames(going direction: TrafficDirection) -> Bool {
        settings.directions.contains(direction)
    }

    /// Whether a frame is held: its direction is intercepted and it passes the filter.
    func holds(_ frame: TrafficEvent.FrameSeen) -> Bool {
        settings.directions.contains(frame.direction) && matches(frame)
    }

    func matches(_ frame: TrafficEvent.FrameSeen) -> Bool {
        let filter = settings.filter
        if let connection = filter.connection, frame.connection != connection { return false }
        if let opcodes = filter.opcodes, !opcodes.contains(InterceptFilter.opcode(of: frame)) { return false }
        guard filter.payloadContains != nil || payloadRegex != nil else { return true }
        let text = String(decoding: frame.readablePayload.readableBytesView, as: UTF8.self)
        if let needle = filter.payloadContains, !text.contains(needle) { return false }
        if let payloadRegex, !payloadRegex.matches(text) { return false }
        return true
    }
}

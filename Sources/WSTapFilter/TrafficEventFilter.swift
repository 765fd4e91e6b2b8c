public import WSTapCore
public import WSTapLenses

/// A filter expression applied to a stream of traffic events, as the printers print them (`--filter`): each
/// frame event and each message event is tested on its own; the other events (openings, closes, notes) pass.
/// It keeps each open connection's opening, for `~host`, `~path` and `~proto`. `~lens` and `~field` look at
/// what the lenses read in a message, so they match message events only.
public struct TrafficEventFilter: Sendable {
    /// The expression.
    public let expression: FilterExpression
    /// Whether the expression looks at what lenses read.
    public let readsLenses: Bool
    private var openings: [UInt64: TrafficEvent.ConnectionOpened] = [:]

    /// A filter of `expression`.
    public init(_ expression: FilterExpression) {
        self.expression = expression
        readsLenses = expression.readsLenses
    }

    /// Whether `event` is printed. A message is tested with what a lens read in it (`reading`, one of its
    /// readings: a message that holds several packets is printed once per packet), if any.
    public mutating func passes(_ event: TrafficEvent, reading: LensReader.Reading? = nil) -> Bool {
        switch event {
        case .connectionOpened(let opened):
            openings[opened.connection] = opened
            return true
        case .connectionClosed(let closed):
            openings[closed.connection] = nil
            return true
        case .frame(let seen):
            return expression.matches(FilterSubject(frame: seen, opened: openings[seen.connection]))
        case .message(let message):
            var subject = FilterSubject(message: message, opened: openings[message.connection])
            if let reading { subject.lensReadings = [.init(lens: reading.lens, fields: reading.view.fields)] }
            return expression.matches(subject)
        default:
            return true
        }
    }
}

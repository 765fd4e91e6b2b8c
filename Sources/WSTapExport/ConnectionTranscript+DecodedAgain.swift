public import WSTapCore

extension ConnectionTranscript {
    /// The bytes each peer of a hybi-00 connection sent, decoded again in `framing`: a
    /// ``TrafficEvent/framingChanged(_:)`` event (marked `redecoded`, so the frames reported before it are
    /// void) followed by every frame again, each at the time its bytes were first seen, and what was left
    /// inside an unfinished frame when the connection ended.
    ///
    /// This is what a viewer does when the user switches the framing of a recorded connection: the
    /// recording keeps every byte, so the whole connection can be read again, however long it was.
    /// Returns no events for an RFC 6455 connection (it has no framing to switch).
    public func decodedAgain(in framing: Hybi00Framing, at time: TrafficTimestamp) -> [TrafficEvent] {
        guard opened?.variant ?? .hybi00 == .hybi00 else { return [] }
        var events: [TrafficEvent] = [
            .framingChanged(.init(connection: connection, framing: framing, redecoded: true, at: time))
        ]
        var tap = TrafficTap(connection: connection, variant: .hybi00, framing: framing, redecodeLimit: 0)
        for item in items {
            switch item {
            case .frame(let frame, let wireBytes):
                guard let wireBytes else { continue }
                tap.bytes(wireBytes, direction: frame.direction, at: frame.at) { events.append($0) }
            case .leftover(let direction, let bytes, let at):
                tap.bytes(bytes, direction: direction, at: at) { events.append($0) }
            }
        }
        tap.finish(at: closed?.at ?? items.last?.at ?? time) { events.append($0) }
        return events
    }
}

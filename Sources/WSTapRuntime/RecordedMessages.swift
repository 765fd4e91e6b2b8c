import WSTapCore
import WSTapLenses
import WSTapPipeline

/// A recording's frames joined into messages (as the tap joins them live) and read by the lenses.
struct RecordedMessages {
    private struct Stream: Hashable {
        var connection: UInt64
        var direction: TrafficDirection
    }

    private var lenses: LensReader
    private var joiners: [Stream: MessageJoiner] = [:]

    init(choice: LensReader.Choice, answerTimeout: Duration = .seconds(30)) {
        lenses = LensReader(
            choice: choice, tracker: CorrelationTracker(timeoutNanoseconds: EventOutput.nanoseconds(answerTimeout)))
    }

    /// The message `event` completes, if it is a frame that completes one, and what the lenses read.
    mutating func read(_ event: TrafficEvent) -> (TrafficEvent.MessageSeen?, LensReader.Output) {
        switch event {
        case .frame(let seen):
            let stream = Stream(connection: seen.connection, direction: seen.direction)
            var joiner =
                joiners.removeValue(forKey: stream)
                ?? MessageJoiner(captureLimit: ConnectionTap.defaultCaptureLimit)
            let message = joiner.take(seen)
            joiners[stream] = joiner
            guard let message else { return (nil, LensReader.Output()) }
            return (message, lenses.read(.message(message)))
        case .framingChanged(let change) where change.redecoded:
            // Its frames follow again from the start.
            for direction in TrafficDirection.allCases {
                joiners[Stream(connection: change.connection, direction: direction)] = nil
            }
            return (nil, LensReader.Output())
        case .connectionClosed(let closed):
            for direction in TrafficDirection.allCases {
                joiners[Stream(connection: closed.connection, direction: direction)] = nil
            }
            return (nil, lenses.read(event))
        default:
            return (nil, lenses.read(event))
        }
    }
}

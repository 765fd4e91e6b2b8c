import NIOConcurrencyHelpers

/// The keepalive round-trip times measured on a connection, the most recent last, shared between the
/// event loop that measures them and the tasks that read them.
final class RoundTripLog: Sendable {
    /// Older measurements are dropped beyond this many.
    static let capacity = 256

    private let times = NIOLockedValueBox<[Duration]>([])

    func record(_ time: Duration) {
        times.withLockedValue { times in
            times.append(time)
            if times.count > Self.capacity { times.removeFirst(times.count - Self.capacity) }
        }
    }

    var all: [Duration] { times.withLockedValue { $0 } }
    var last: Duration? { times.withLockedValue { $0.last } }
}

import Foundation
import NIOCore
public import WSTapCore

/// The clock of every source of traffic events: wall time for people, monotonic time for intervals.
public enum TrafficClock {
    /// Now, both ways.
    public static func now() -> TrafficTimestamp {
        TrafficTimestamp(
            wallSeconds: Date().timeIntervalSince1970, monotonicNanoseconds: UInt64(NIODeadline.now().uptimeNanoseconds)
        )
    }
}

import Foundation
import NIOCore
public import WSTapCore

/// The CLI's clock for traffic events it makes itself (connect and serve recordings).
public enum SessionClock {
    /// The wall clock and the monotonic clock now.
    public static func now() -> TrafficTimestamp {
        TrafficTimestamp(
            wallSeconds: Date().timeIntervalSince1970, monotonicNanoseconds: UInt64(NIODeadline.now().uptimeNanoseconds)
        )
    }
}

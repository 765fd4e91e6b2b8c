import Foundation
import NIOCore
import WSTapCore

/// The I/O layer's clock for traffic events.
enum TrafficClock {
    static func now() -> TrafficTimestamp {
        TrafficTimestamp(
            wallSeconds: Date().timeIntervalSince1970, monotonicNanoseconds: UInt64(NIODeadline.now().uptimeNanoseconds)
        )
    }
}

import Foundation
import NIOCore
import WSTapCore

/// The replayer's clock for the traffic events it reports.
enum ReplayClock {
    static func now() -> TrafficTimestamp {
        TrafficTimestamp(
            wallSeconds: Date().timeIntervalSince1970, monotonicNanoseconds: UInt64(NIODeadline.now().uptimeNanoseconds)
        )
    }
}

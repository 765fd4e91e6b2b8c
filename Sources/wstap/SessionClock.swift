import Foundation
import NIOCore
import WSTapCore

/// The CLI's clock for traffic events it makes itself (connect and serve recordings).
enum SessionClock {
    static func now() -> TrafficTimestamp {
        TrafficTimestamp(
            wallSeconds: Date().timeIntervalSince1970, monotonicNanoseconds: UInt64(NIODeadline.now().uptimeNanoseconds)
        )
    }
}

import NIOCore
import NIOPosix

/// What the load check found.
struct LoadCheckResult {
    var connections: Int
    var messagesPerConnection: Int
    var connectionsVerified: Int
    var messagesVerified: Int
    var payloadBytesEchoed: Int
    var failures: [String]
    var seconds: Double
    var proxyPeakResidentKiB: Int?
    var proxyResidentAfterKiB: Int?
    var proxyResidentIdleKiB: Int?
}

/// Opens `connections` connections to `port` (all upgraded and open at once), then every connection
/// sends `messages` checked messages with 8 in flight, verifies each echo byte for byte and in order,
/// and ends with a close handshake.
func runLoadCheck(
    port: Int, connections: Int, messages: Int, clientLoop: any EventLoop, proxy: ChildProcess?
) async throws -> LoadCheckResult {
    let idle = proxy?.residentKiB
    let start = MonotonicClock.nanoseconds()
    var handlers: [LoadClientHandler] = []
    var failures: [String] = []
    let measurement = Measurement(port: port, clientLoop: clientLoop, warmup: .zero, duration: .zero)
    // Connect in waves of 100 so the listen backlog never overflows; every connection stays open.
    var next = 0
    while next < connections {
        let wave = next..<min(next + 100, connections)
        try await withThrowingTaskGroup(of: LoadClientHandler?.self) { group in
            for index in wave {
                group.addTask {
                    try? await measurement.connect(.checked(connection: index, messages: messages, window: 8))
                }
            }
            for try await handler in group {
                if let handler { handlers.append(handler) } else { failures.append("a connection was not upgraded") }
            }
        }
        next = wave.upperBound
    }
    try await clientLoop.submit { [handlers] in for handler in handlers { handler.start() } }.get()
    var verified: [LoadClientHandler] = []
    for handler in handlers {
        do {
            try await wait(handler.finished.futureResult, seconds: 300, "load check")
            verified.append(handler)
        } catch {
            failures.append("\(error)")
        }
    }
    let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
    // Only connections that verified everything count their messages.
    let (messagesVerified, bytes) = try await clientLoop.submit { [verified] in
        verified.reduce((0, 0)) { ($0.0 + $1.completedMessages, $0.1 + $1.echoedPayloadBytes) }
    }.get()
    return LoadCheckResult(
        connections: connections, messagesPerConnection: messages, connectionsVerified: verified.count,
        messagesVerified: messagesVerified, payloadBytesEchoed: bytes, failures: failures, seconds: seconds,
        proxyPeakResidentKiB: proxy?.peakResidentKiB, proxyResidentAfterKiB: proxy?.residentKiB,
        proxyResidentIdleKiB: idle)
}

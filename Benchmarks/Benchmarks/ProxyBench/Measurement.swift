import NIOCore
import NIOPosix

/// Runs the timed workloads against one port (the echo server itself, or a proxy in front of it).
struct Measurement {
    let port: Int
    let clientLoop: any EventLoop
    let warmup: Duration
    let duration: Duration

    /// Opens one connection running `workload` and waits for its upgrade.
    func connect(_ workload: Workload, path: String = "/") async throws -> LoadClientHandler {
        let handler = try await clientLoop.submit {
            LoadClientHandler(workload: workload, host: "127.0.0.1", port: port, path: path, eventLoop: clientLoop)
        }.get()
        _ = try await ClientBootstrap(group: clientLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await wait(handler.upgraded.futureResult, seconds: 20, "upgrade")
        return handler
    }

    /// Messages per second and payload MB/s (10^6 bytes) echoed with `window` messages in flight.
    /// With `text`, the frames are text frames of those bytes on a connection to `path`.
    func pipelined(payloadSize: Int, window: Int, text: [UInt8]? = nil, path: String = "/") async throws -> (
        messagesPerSecond: Double, megabytesPerSecond: Double
    ) {
        let handler = try await connect(
            text.map { .pipelinedText(payload: $0, window: window) }
                ?? .pipelined(payloadSize: payloadSize, window: window), path: path)
        defer { clientLoop.execute { handler.stop() } }
        try await clientLoop.submit { handler.start() }.get()
        try await Task.sleep(for: warmup)
        let (messages0, bytes0, time0) = try await clientLoop.submit {
            (handler.completedMessages, handler.echoedPayloadBytes, MonotonicClock.nanoseconds())
        }.get()
        try await Task.sleep(for: duration)
        let (messages1, bytes1, time1) = try await clientLoop.submit {
            (handler.completedMessages, handler.echoedPayloadBytes, MonotonicClock.nanoseconds())
        }.get()
        let seconds = Double(time1 - time0) / 1e9
        guard messages1 > messages0 else { throw BenchFailure("no echo in \(seconds) s") }
        return (Double(messages1 - messages0) / seconds, Double(bytes1 - bytes0) / 1e6 / seconds)
    }

    /// Round-trip times in microseconds (p50, p99) with one 16-byte message in flight.
    func roundTrips(payloadSize: Int) async throws -> (p50: Double, p99: Double, samples: Int) {
        let handler = try await connect(.pingPong(payloadSize: payloadSize))
        defer { clientLoop.execute { handler.stop() } }
        try await clientLoop.submit { handler.start() }.get()
        try await Task.sleep(for: warmup)
        try await clientLoop.submit { handler.recording = true }.get()
        try await Task.sleep(for: duration)
        let samples = try await clientLoop.submit {
            handler.recording = false
            return handler.roundTripNanoseconds
        }.get().sorted()
        guard !samples.isEmpty else { throw BenchFailure("no round trip completed") }
        func percentile(_ fraction: Double) -> Double {
            Double(samples[min(samples.count - 1, Int(Double(samples.count) * fraction))]) / 1000
        }
        return (percentile(0.50), percentile(0.99), samples.count)
    }
}

/// Waits for `future`, failing with a clear reason if it has not completed after `seconds`.
func wait<Value: Sendable>(_ future: EventLoopFuture<Value>, seconds: Int64, _ what: String) async throws -> Value {
    let promise = future.eventLoop.makePromise(of: Value.self)
    future.cascade(to: promise)
    let timer = future.eventLoop.scheduleTask(in: .seconds(seconds)) {
        promise.fail(BenchFailure("\(what): nothing after \(seconds) s"))
    }
    defer { timer.cancel() }
    return try await promise.futureResult.get()
}

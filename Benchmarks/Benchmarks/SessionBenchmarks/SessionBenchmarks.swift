// Benchmarks for session recording (WSTapSession) and the proxy with recording on and off.
//
//   - recording/…: a SessionRecorder fed the way the proxy feeds it (stream chunks, then the events a
//     TrafficTap makes of them); "kframes/s (caller)" is the rate at which record calls return (the
//     cost on the event loop), "kframes/s (written)" the rate until everything is on disk.
//   - tap only/…: the same frames through a TrafficTap without a recorder (the decoding's share).
//   - reader/…: opening (indexing) a 1,000,000-frame recording, and reading events at random.
//   - proxy/…: 16 MiB in 64 KiB binary messages echoed through a ReverseProxy on loopback, with the
//     recorder on and off, in the same run.
//
// Run (from Benchmarks/): swift package --allow-writing-to-package-directory benchmark --target SessionBenchmarks
// See docs/performance.md.

import Benchmark
import Foundation
import NIOCore
import NIOPosix
import WSTapCore
import WSTapNetwork
import WSTapProxy
import WSTapSession

let frameRate = BenchmarkMetric.custom("kframes/s (caller)", polarity: .prefersLarger, useScalingFactor: false)
let writtenRate = BenchmarkMetric.custom("kframes/s (written)", polarity: .prefersLarger, useScalingFactor: false)
let bytesPerFrame = BenchmarkMetric.custom("file bytes/frame", polarity: .prefersSmaller, useScalingFactor: false)
let openMilliseconds = BenchmarkMetric.custom("open+index ms", polarity: .prefersSmaller, useScalingFactor: false)
let indexMemory = BenchmarkMetric.custom("index KiB", polarity: .prefersSmaller, useScalingFactor: false)
let relayRate = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
let messageRate = BenchmarkMetric.custom("kmessages/s", polarity: .prefersLarger, useScalingFactor: false)

let time = TrafficTimestamp(wallSeconds: 1_764_000_000, monotonicNanoseconds: 1)

/// `count` masked text frames of `size` bytes, as one client stream.
func clientStream(count: Int, size: Int) -> ByteBuffer {
    let payload = [UInt8](repeating: UInt8(ascii: "a"), count: size)
    let header = FrameHeader(opcode: .text, maskingKey: MaskingKey(value: 0x37FA_213D), payloadLength: UInt64(size))
    var buffer = ByteBufferAllocator().buffer(capacity: (header.size + size) * count)
    for _ in 0..<count { FrameEncoder.write(header: header, payload: payload, into: &buffer) }
    return buffer
}

/// Records a client stream through a tap into `path`, in 64 KiB chunks; returns the seconds until the
/// last record call returned and until the file was complete.
func record(_ stream: ByteBuffer, to path: String) throws -> (caller: Double, written: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let recorder = try SessionRecorder(path: path, mode: .proxy, wstapVersion: "bench", startedAt: time)
    var tap = TrafficTap(connection: 1, variant: .rfc6455)
    var rest = stream
    while rest.readableBytes > 0 {
        let chunk = rest.readSlice(length: min(65536, rest.readableBytes))!
        recorder.recordStreamBytes(chunk, connection: 1, direction: .clientToServer)
        tap.bytes(chunk, direction: .clientToServer, at: time) { recorder.record($0) }
    }
    let called = clock.now
    recorder.close()
    let done = clock.now
    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
    return (seconds(start.duration(to: called)), seconds(start.duration(to: done)))
}

let benchmarks: @Sendable () -> Void = {
    let folder = FileManager.default.temporaryDirectory.path
    let recordConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, frameRate, writtenRate, bytesPerFrame], timeUnits: .milliseconds,
        warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 20)
    for size in [16, 1024] {
        let count = 100_000
        let stream = clientStream(count: count, size: size)
        Benchmark("recording/100k masked \(size)B text frames", configuration: recordConfiguration) { benchmark in
            let path = folder + "/wstap-bench-record-\(size).jsonl"
            let (caller, written) = try record(stream, to: path)
            benchmark.measurement(frameRate, Int(Double(count) / caller / 1000))
            benchmark.measurement(writtenRate, Int(Double(count) / written / 1000))
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            benchmark.measurement(bytesPerFrame, size / count)
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    // The same frames through the tap alone: what the proxy spends without recording, to tell the
    // recorder's own cost from the decoding's.
    for size in [16, 1024] {
        let count = 100_000
        let stream = clientStream(count: count, size: size)
        Benchmark("tap only/100k masked \(size)B text frames (no recorder)", configuration: recordConfiguration) {
            benchmark in
            let clock = ContinuousClock()
            let start = clock.now
            var tap = TrafficTap(connection: 1, variant: .rfc6455)
            var rest = stream
            var frames = 0
            while rest.readableBytes > 0 {
                let chunk = rest.readSlice(length: min(65536, rest.readableBytes))!
                tap.bytes(chunk, direction: .clientToServer, at: time) { event in
                    if case .frame = event { frames += 1 }
                    blackHole(event)
                }
            }
            precondition(frames == count)
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            benchmark.measurement(frameRate, Int(Double(count) / seconds / 1000))
        }
    }

    // A 1,000,000-frame recording, made once.
    let bigPath = folder + "/wstap-bench-1M-frames.jsonl"
    let readerConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, openMilliseconds, indexMemory], timeUnits: .milliseconds,
        warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 10,
        setup: {
            if (try? RecordingReader(path: bigPath))?.eventCount != 1_000_000 {
                _ = try record(clientStream(count: 1_000_000, size: 16), to: bigPath)
            }
        })
    Benchmark("reader/open+index 1M frames, then 1000 random events", configuration: readerConfiguration) {
        benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        let reader = try RecordingReader(path: bigPath)
        let opened = start.duration(to: clock.now)
        precondition(reader.eventCount == 1_000_000)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let event = try reader.event(at: Int.random(in: 0..<reader.eventCount, using: &generator))
            blackHole(event)
        }
        benchmark.measurement(
            openMilliseconds, Int(opened.components.seconds * 1000 + opened.components.attoseconds / 1_000_000_000_000_000))
        // The index: one UInt64 per line.
        benchmark.measurement(indexMemory, (reader.eventCount + 2) * 8 / 1024)
    }

    // The proxy with recording off and on: 256 × 64 KiB binary messages echoed through it.
    let relayConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, relayRate, messageRate], timeUnits: .milliseconds, warmupIterations: 2, scalingFactor: .one,
        maxDuration: .seconds(10), maxIterations: 30)
    for recording in [false, true] {
        Benchmark("proxy/echo 16 MiB in 64 KiB messages, recording \(recording ? "on" : "off")", configuration: relayConfiguration) {
            benchmark in
            try await relay(benchmark, recording: recording, path: folder + "/wstap-bench-proxy.jsonl")
        }
    }

    // The proxy kept busy: a window of messages in flight, and with recording on the clock stops only
    // when the recording is complete on disk (the recorder has kept up, nothing is left queued).
    for (size, count, window) in [(65536, 1024, 16), (16, 100_000, 256)] {
        let label = size >= 1024 ? "\(size / 1024) KiB" : "\(size) B"
        for recording in [false, true] {
            Benchmark(
                "proxy/stream \(count) × \(label) messages, \(window) in flight, recording \(recording ? "on (until on disk)" : "off")",
                configuration: relayConfiguration
            ) { benchmark in
                try await stream(
                    benchmark, size: size, count: count, window: window, recording: recording,
                    path: folder + "/wstap-bench-proxy-stream.jsonl")
            }
        }
    }
}

/// An echo server, the proxy in front of it (recording to `path` or not) and a client connected through it.
struct EchoThroughProxy {
    let server: WebSocketServer
    let recorder: SessionRecorder?
    let proxy: ListeningProxy
    let connection: WebSocketConnection
    let path: String

    static func start(recording: Bool, path: String) async throws -> EchoThroughProxy {
        let server = try await WebSocketServer.start(port: 0, handler: WebSocketServer.echo)
        let recorder =
            recording ? try SessionRecorder(path: path, mode: .proxy, wstapVersion: "bench", startedAt: time) : nil
        var options = ProxyOptions(
            upstream: try WebSocketURL("ws://127.0.0.1:\(server.port)/"), events: { recorder?.record($0) })
        if let recorder { options.relayedBytes = { recorder.recordStreamBytes($2, connection: $0, direction: $1) } }
        let proxy = try await ReverseProxy.start(port: 0, options: options)
        let connection = try await WebSocketClient.connect(to: try WebSocketURL("ws://127.0.0.1:\(proxy.port)/"))
        return EchoThroughProxy(server: server, recorder: recorder, proxy: proxy, connection: connection, path: path)
    }

    /// Closes everything and removes the recording.
    func stop() async throws {
        await connection.close()
        try await proxy.stop()
        try await server.stop()
        recorder?.close()
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".payloads")
    }
}

/// The seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: ContinuousClock().now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// One run: a client that keeps `window` messages of `size` bytes in flight until `count` echoes are back;
/// with recording, until the recording is closed.
func stream(_ benchmark: Benchmark, size: Int, count: Int, window: Int, recording: Bool, path: String) async throws {
    let echo = try await EchoThroughProxy.start(recording: recording, path: path)
    let message = ByteBuffer(repeating: 0x61, count: size)
    let start = ContinuousClock().now
    benchmark.startMeasurement()
    var sent = 0
    while sent < min(window, count) {
        try await echo.connection.send(message, opcode: .binary)
        sent += 1
    }
    for _ in 0..<count {
        guard await echo.connection.receive() != nil else { fatalError("the echo stopped") }
        if sent < count {
            try await echo.connection.send(message, opcode: .binary)
            sent += 1
        }
    }
    echo.recorder?.close()
    benchmark.stopMeasurement()
    let elapsed = seconds(since: start)
    benchmark.measurement(relayRate, Int(Double(count * size) / elapsed / 1e6))
    benchmark.measurement(messageRate, Int(Double(count) / elapsed / 1000))
    try await echo.stop()
}

/// One run: the client sends 256 messages of 64 KiB and reads each echo before the next.
func relay(_ benchmark: Benchmark, recording: Bool, path: String) async throws {
    let echo = try await EchoThroughProxy.start(recording: recording, path: path)
    let message = ByteBuffer(repeating: 0x61, count: 65536)
    let start = ContinuousClock().now
    benchmark.startMeasurement()
    for _ in 0..<256 {
        try await echo.connection.send(message, opcode: .binary)
        _ = await echo.connection.receive()
    }
    benchmark.stopMeasurement()
    benchmark.measurement(relayRate, Int(Double(256 * 65536) / seconds(since: start) / 1e6))
    try await echo.stop()
}

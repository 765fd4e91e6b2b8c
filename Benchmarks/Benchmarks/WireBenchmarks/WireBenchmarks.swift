// Throughput benchmarks for the wire layer of WSTapCore: RFC 6455 decode+unmask, encode+mask,
// UTF-8 validation, and a memcpy baseline of the same byte counts in the same run.
//
// Every benchmark reports package-benchmark's `throughput` (iterations per second, scaled),
// `wallClock` (time per iteration) and `mallocCountTotal` (allocations per iteration), plus one custom
// metric that reads directly as a rate:
//   - "MB/s" (10^6 payload bytes per second) for the byte benchmarks, measured inside each iteration;
//   - the frame-rate benchmarks use scalingFactor .mega and decode exactly 1,000,000 frames per
//     iteration, so their `throughput` column reads directly as millions of frames per second.
//
// Run (from Benchmarks/): swift package --allow-writing-to-package-directory benchmark
// See docs/performance.md.

import Benchmark
import NIOCore
import WSTapCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Fixtures

/// Payload sizes exercised by the byte benchmarks.
let payloadSizes: [(label: String, bytes: Int)] = [
    ("16B", 16), ("1KiB", 1 << 10), ("64KiB", 1 << 16), ("1MiB", 1 << 20),
]

/// Total payload bytes per iteration (8 MiB), so every size moves the same volume.
let volumePerIteration = 8 << 20

let fixedKey = MaskingKey(value: 0x37FA_213D)

/// Deterministic pseudo-random bytes (xorshift), so runs are comparable.
func pseudoRandomBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[index] = UInt8(truncatingIfNeeded: state)
    }
    return bytes
}

/// A buffer holding `count` masked binary client frames of `payloadSize` bytes each.
func maskedClientFrames(payloadSize: Int, count: Int, opcode: Opcode = .binary) -> ByteBuffer {
    let payload = pseudoRandomBytes(payloadSize)
    let header = FrameHeader(fin: true, opcode: opcode, maskingKey: fixedKey, payloadLength: UInt64(payloadSize))
    var buffer = ByteBufferAllocator().buffer(capacity: (header.size + payloadSize) * count)
    payload.withUnsafeBytes { raw in
        for _ in 0..<count { FrameEncoder.write(header: header, payload: raw, into: &buffer) }
    }
    return buffer
}

/// A buffer holding `count` unmasked (server) binary frames of `payloadSize` bytes each.
func serverFrames(payloadSize: Int, count: Int) -> ByteBuffer {
    let payload = pseudoRandomBytes(payloadSize)
    let header = FrameHeader(fin: true, opcode: .binary, payloadLength: UInt64(payloadSize))
    var buffer = ByteBufferAllocator().buffer(capacity: (header.size + payloadSize) * count)
    payload.withUnsafeBytes { raw in
        for _ in 0..<count { FrameEncoder.write(header: header, payload: raw, into: &buffer) }
    }
    return buffer
}

/// About `count` bytes of English-like ASCII text with an occasional multi-byte character
/// (one 2- or 3-byte character roughly every 2 KB).
func asciiHeavyText(_ count: Int) -> [UInt8] {
    let words = [
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "WebSocket", "frame", "payload",
        "masking", "key", "opcode", "continuation", "message", "server", "client", "handshake", "protocol",
    ]
    let rare = ["café", "naïve", "€", "—", "ü"]
    var out: [UInt8] = []
    out.reserveCapacity(count + 32)
    var state: UInt64 = 12345
    var sinceRare = 0
    while out.count < count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let pick = Int(truncatingIfNeeded: state >> 33)
        if sinceRare > 2000 {
            out.append(contentsOf: rare[pick % rare.count].utf8)
            sinceRare = 0
        } else {
            out.append(contentsOf: words[pick % words.count].utf8)
        }
        out.append(pick % 13 == 0 ? UInt8(ascii: ".") : UInt8(ascii: " "))
        sinceRare += 6
    }
    return trimToCharacterBoundary(out, count)
}

/// About `count` bytes of mixed text: Latin, Cyrillic, Greek, CJK, emoji (1- to 4-byte sequences).
func mixedMultibyteText(_ count: Int) -> [UInt8] {
    let pieces = [
        "hello ", "Привет ", "мир ", "Γειά σου ", "κόσμε ", "你好 ", "世界 ", "こんにちは ", "🙂 ", "🚀🌍 ", "Ünïcödé ",
    ]
    var out: [UInt8] = []
    out.reserveCapacity(count + 32)
    var state: UInt64 = 777
    while out.count < count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        out.append(contentsOf: pieces[Int(truncatingIfNeeded: state >> 33) % pieces.count].utf8)
    }
    return trimToCharacterBoundary(out, count)
}

func trimToCharacterBoundary(_ bytes: [UInt8], _ count: Int) -> [UInt8] {
    var end = min(count, bytes.count)
    while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
    return Array(bytes[0..<end])
}

// MARK: - Helpers

let rateMetric = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
/// Thousands of frames per second, for a finer reading than `throughput` in millions.
let frameRateMetric = BenchmarkMetric.custom("kframes/s", polarity: .prefersLarger, useScalingFactor: false)

let byteMetrics: [BenchmarkMetric] = [.throughput, .wallClock, .mallocCountTotal, rateMetric]

func byteConfiguration() -> Benchmark.Configuration {
    .init(
        metrics: byteMetrics, timeUnits: .microseconds, warmupIterations: 3, scalingFactor: .one,
        maxDuration: .seconds(2), maxIterations: 10_000)
}

/// Runs `body` once as the measured iteration and records its rate in MB/s (10^6 bytes per second).
@inline(__always)
func measuringRate(_ benchmark: Benchmark, bytes: Int, metric: BenchmarkMetric = rateMetric, _ body: () -> Void) {
    let clock = ContinuousClock()
    let start = clock.now
    body()
    let elapsed = start.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    if seconds > 0 {
        let scale = metric == rateMetric ? 1e6 : 1e3
        benchmark.measurement(metric, Int((Double(bytes) / seconds / scale).rounded()))
    }
}

/// Feeds `input` to a fresh decoder and drains every frame, dropping each one before the next.
/// Returns the payload bytes seen.
@inline(__always)
func decodeAll(_ input: ByteBuffer, sender: EndpointRole?) -> Int {
    var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: sender))
    decoder.append(input)
    var total = 0
    while let frame = decoder.nextFrame() {
        total &+= frame.payload.readableBytes
    }
    return total
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    // memcpy baseline: the same payload bytes, copied frame by frame into a preallocated buffer.
    for (label, size) in payloadSizes {
        let count = volumePerIteration / size
        let source = pseudoRandomBytes(volumePerIteration)
        let destination = UnsafeMutableRawPointer.allocate(byteCount: volumePerIteration, alignment: 64)
        memset(destination, 0, volumePerIteration)
        Benchmark("memcpy/\(label) chunks (8 MiB)", configuration: byteConfiguration()) { benchmark in
            source.withUnsafeBytes { raw in
                let base = raw.baseAddress!
                measuringRate(benchmark, bytes: volumePerIteration) {
                    for index in 0..<count {
                        memcpy(destination + index * size, base + index * size, size)
                    }
                }
            }
            blackHole(destination.load(as: UInt8.self))
        }
    }

    // Decode + unmask of masked client frames; the decoder validates everything (sender: .client).
    for (label, size) in payloadSizes {
        let count = volumePerIteration / size
        let input = maskedClientFrames(payloadSize: size, count: count)
        Benchmark("decode+unmask/\(label) (8 MiB payload)", configuration: byteConfiguration()) { benchmark in
            var total = 0
            measuringRate(benchmark, bytes: volumePerIteration) {
                total = decodeAll(input, sender: .client)
            }
            precondition(total == volumePerIteration)
        }
    }

    // The same at 64 KiB, but text frames: adds UTF-8 validation of the (ASCII-heavy) payload.
    do {
        let size = 1 << 16
        let count = volumePerIteration / size
        let text = asciiHeavyText(size)
        let header = FrameHeader(fin: true, opcode: .text, maskingKey: fixedKey, payloadLength: UInt64(text.count))
        var input = ByteBufferAllocator().buffer(capacity: (header.size + text.count) * count)
        text.withUnsafeBytes { raw in
            for _ in 0..<count { FrameEncoder.write(header: header, payload: raw, into: &input) }
        }
        let bytes = text.count * count
        Benchmark("decode+unmask+utf8/64KiB text (8 MiB payload)", configuration: byteConfiguration()) { benchmark in
            var total = 0
            measuringRate(benchmark, bytes: bytes) { total = decodeAll(input, sender: .client) }
            precondition(total == bytes)
        }
    }

    // Encode + mask into a reused ByteBuffer, cleared per iteration, fixed key.
    for (label, size) in payloadSizes {
        let count = volumePerIteration / size
        let payload = pseudoRandomBytes(size)
        let header = FrameHeader(fin: true, opcode: .binary, maskingKey: fixedKey, payloadLength: UInt64(size))
        var output = ByteBufferAllocator().buffer(capacity: (header.size + size) * count)
        Benchmark("encode+mask/\(label) (8 MiB payload)", configuration: byteConfiguration()) { benchmark in
            output.clear()
            payload.withUnsafeBytes { raw in
                measuringRate(benchmark, bytes: volumePerIteration) {
                    for _ in 0..<count { FrameEncoder.write(header: header, payload: raw, into: &output) }
                }
            }
            precondition(output.readableBytes == (header.size + size) * count)
        }
    }

    // UTF-8 validation, whole buffer in one call.
    let texts: [(String, [UInt8])] = [
        ("ASCII-heavy 1 MiB", asciiHeavyText(1 << 20)),
        ("mixed multi-byte 1 MiB", mixedMultibyteText(1 << 20)),
    ]
    for (label, text) in texts {
        Benchmark("utf8/\(label)", configuration: byteConfiguration()) { benchmark in
            text.withUnsafeBytes { raw in
                var validator = UTF8Validator()
                var result: Int?
                measuringRate(benchmark, bytes: raw.count) { result = validator.validate(raw) }
                precondition(result == nil && validator.isAtCharacterBoundary)
            }
        }
        // For context: the standard library's own validating decode of the same bytes.
        Benchmark("utf8 stdlib String(validating:)/\(label)", configuration: byteConfiguration()) { benchmark in
            var ok = false
            measuringRate(benchmark, bytes: text.count) {
                ok = String(validating: text, as: UTF8.self) != nil
            }
            precondition(ok)
        }
    }

    // Frames per second: exactly 1,000,000 16-byte frames per iteration, scalingFactor .mega, so
    // `throughput` reads in millions of frames per second.
    let frameRateConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal, frameRateMetric], timeUnits: .milliseconds, warmupIterations: 2,
        scalingFactor: .mega, maxDuration: .seconds(3), maxIterations: 1000)
    let masked16 = maskedClientFrames(payloadSize: 16, count: 1_000_000)
    Benchmark("frames/16B masked client, decode (1M frames)", configuration: frameRateConfiguration) { benchmark in
        var total = 0
        measuringRate(benchmark, bytes: 1_000_000, metric: frameRateMetric) {
            total = decodeAll(masked16, sender: .client)
        }
        precondition(total == 16_000_000)
    }
    let unmasked16 = serverFrames(payloadSize: 16, count: 1_000_000)
    Benchmark("frames/16B unmasked server, decode (1M frames)", configuration: frameRateConfiguration) { benchmark in
        var total = 0
        measuringRate(benchmark, bytes: 1_000_000, metric: frameRateMetric) {
            total = decodeAll(unmasked16, sender: .server)
        }
        precondition(total == 16_000_000)
    }
}

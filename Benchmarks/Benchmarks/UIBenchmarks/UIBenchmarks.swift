// The terminal UI's cost with a big session: render time of a full 120x40 screen with 1,000,000
// frames loaded (target: under 5 ms), and the memory the UI state takes for them (target: under
// 200 MB). Frames come through the same path as the proxy's: crafted bytes decoded by a TrafficTap,
// events applied by `reduce`.
//
// Run (from Benchmarks/): swift run -c release UIBenchmarks [frames]

import NIOCore
import WSTapCore
import WSTapUI

#if canImport(Glibc)
import Glibc
#endif

/// Resident memory of this process in bytes (from /proc/self/statm).
func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var size = 0
    var resident = 0
    _ = withUnsafeMutablePointer(to: &size) { sizePointer in
        withUnsafeMutablePointer(to: &resident) { residentPointer in
            withVaList([sizePointer, residentPointer]) { vfscanf(file, "%ld %ld", $0) }
        }
    }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Traffic of `count` frames on 100 connections: texts of 20-300 bytes, some JSON, binary, pings,
/// in batches of `batch` events. Returns the nanoseconds spent in `reduce` alone (the UI's ingestion rate;
/// the rest is crafting and decoding the frames).
@discardableResult
func loadSession(frames count: Int, into state: inout UIState, batch: Int = 10_000) -> UInt64 {
    var reduceNanoseconds: UInt64 = 0
    var taps: [TrafficTap] = (0..<100).map { TrafficTap(connection: UInt64($0 + 1), variant: .rfc6455) }
    var events: [TrafficEvent] = []
    events.reserveCapacity(batch)
    let key = MaskingKey(value: 0x37FA_213D)
    let texts = (0..<16).map { index in
        Array((#"{"seq":\#(index),"type":"update","payload":""# + String(repeating: "x", count: 20 * index) + #""}"#).utf8)
    }
    var time = 1_795_615_200.0
    for index in 0..<count {
        let connection = index % 100
        let direction: TrafficDirection = index % 2 == 0 ? .clientToServer : .serverToClient
        let opcode: Opcode = index % 50 == 0 ? .ping : index % 7 == 0 ? .binary : .text
        let spec = FrameSpec(
            opcode: opcode, mask: direction == .clientToServer ? .key(key) : .none, payload: texts[index % 16])
        let bytes = (try? FrameEncoder.encode(spec)) ?? []
        time += 0.0001
        taps[connection].bytes(
            ByteBuffer(bytes: bytes), direction: direction,
            at: TrafficTimestamp(wallSeconds: time, monotonicNanoseconds: UInt64(index))
        ) { events.append($0) }
        if events.count >= batch {
            let start = monotonicNanoseconds()
            _ = reduce(&state, .traffic(events))
            reduceNanoseconds += monotonicNanoseconds() - start
            events.removeAll(keepingCapacity: true)
        }
    }
    let start = monotonicNanoseconds()
    _ = reduce(&state, .traffic(events))
    reduceNanoseconds += monotonicNanoseconds() - start
    return reduceNanoseconds
}

func measureRenders(_ label: String, _ state: UIState, times: Int = 200) {
    var grid = CellGrid(columns: 120, rows: 40)
    render(state, into: &grid)  // warm up
    var samples: [UInt64] = []
    for _ in 0..<times {
        let start = monotonicNanoseconds()
        render(state, into: &grid)
        samples.append(monotonicNanoseconds() - start)
    }
    samples.sort()
    func ms(_ nanoseconds: UInt64) -> String {
        let hundredths = Int((Double(nanoseconds) / 10_000).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) ms"
    }
    print(
        "render 120x40, \(label): median \(ms(samples[samples.count / 2])), p99 \(ms(samples[samples.count * 99 / 100])), "
            + "max \(ms(samples.last ?? 0)) over \(times) renders")
}

let frameCount = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let before = residentBytes()
var state = UIState(mode: .proxy, listenAddress: "127.0.0.1:8080", upstream: "ws://127.0.0.1:9001",
    size: ScreenSize(columns: 120, rows: 40))
let loadStart = monotonicNanoseconds()
let reduceSeconds = Double(loadSession(frames: frameCount, into: &state)) / 1e9
let loadSeconds = Double(monotonicNanoseconds() - loadStart) / 1e9
let after = residentBytes()
print("loaded \(state.framesSeen) frames (\(state.framesHeld) held) in \(Int(loadSeconds * 1000)) ms")
print(
    "reduce alone: \(Int(reduceSeconds * 1000)) ms, \(Int(Double(state.framesSeen) / max(reduceSeconds, 1e-9))) frames/s "
        + "taken in by the UI state")
print("resident memory: \((after - before) / 1_048_576) MB more than before loading (\(after / 1_048_576) MB in all)")
measureRenders("list following the newest frame", state)
_ = reduce(&state, .key(.home))
measureRenders("list at the first frame", state)
_ = reduce(&state, .key(.enter))
_ = reduce(&state, .key(.end))
measureRenders("detail pane open on the newest frame", state)

/// Times a search that matches nothing (so it looks at every frame: whole payloads in the payload ring,
/// previews of the older frames), typed and applied through `reduce`.
func measureSearch(_ label: String, _ text: String, _ state: UIState) {
    var state = state
    _ = reduce(&state, .key(.character("/")))
    for character in text { _ = reduce(&state, .key(.character(character))) }
    let start = monotonicNanoseconds()
    _ = reduce(&state, .key(.enter))
    let milliseconds = Double(monotonicNanoseconds() - start) / 1e6
    print("search \(label) over \(state.framesHeld) frames: \(Int(milliseconds)) ms (\(state.notice ?? ""))")
}

_ = reduce(&state, .key(.escape))
measureSearch("for text that is not there", "no such words", state)
measureSearch("for a regular expression that does not match", #"re:no\s+such\d{3}"#, state)

import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapSession
import WSTapTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The recorder over a disk that stops: recording into a FIFO nobody reads, `record` keeps returning (it
/// never waits for the writer), the recorder says it is behind once more than the high-water mark waits, and
/// once the reader drains the FIFO it catches up, calls back the sources waiting for it, and every frame is
/// in the recording, in order, byte for byte.
@Suite struct RecorderBackpressureTests {
    static let payloadSize = 8 << 10

    /// A text frame whose payload says its number.
    static func frame(_ number: Int) -> TrafficEvent {
        var text = "message \(number) "
        text += String(repeating: "x", count: payloadSize - text.utf8.count)
        let payload = ByteBuffer(string: text)
        let header = FrameHeader(opcode: .text, maskingKey: nil, payloadLength: UInt64(payload.readableBytes))
        return .frame(
            .init(
                connection: 1, direction: .serverToClient,
                content: .rfc6455(DecodedFrame(header: header, payload: payload)),
                at: SyntheticSession.time))
    }

    @Test func aStalledDiskPausesTheSourcesAndLosesNothing() async throws {
        let path = SyntheticSession.temporaryPath("fifo")
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        // Opened without waiting for a writer; reads block again once the recorder has opened it.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        let changes = NIOLockedValueBox<[Bool]>([])
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test", startedAt: SyntheticSession.time,
            options: RecorderOptions(wireSource: .frameEvents, highWaterMark: 256 << 10, lowWaterMark: 64 << 10),
            behindChanged: { behind in changes.withLockedValue { $0.append(behind) } })
        _ = fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) & ~O_NONBLOCK)
        #expect(!recorder.isBehind)

        // Nobody reads: the pipe fills, the writer stalls, the queue grows past the high mark. Every call
        // returns (a recorder that waited for room would hang here).
        var count = 0
        while !recorder.isBehind, count < 10_000 {
            recorder.record(Self.frame(count))
            count += 1
        }
        #expect(recorder.isBehind, "not behind after \(count) frames of \(Self.payloadSize) bytes")
        #expect(count >= 256 << 10 / Self.payloadSize)
        #expect(await waitUntil { changes.withLockedValue { $0 } == [true] })
        let caughtUp = NIOLockedValueBox(false)
        recorder.whenCaughtUp { caughtUp.withLockedValue { $0 = true } }
        // Still taken while behind: in flight in a read, or a source that does not pause.
        for _ in 0..<20 {
            recorder.record(Self.frame(count))
            count += 1
        }
        #expect(!caughtUp.withLockedValue { $0 })
        #expect(recorder.isBehind)

        // The reader drains the FIFO to its end (the recorder closing it).
        let drained = NIOLockedValueBox<Data?>(nil)
        let drain = Thread {
            let handle = FileHandle(fileDescriptor: reader, closeOnDealloc: true)
            drained.withLockedValue { $0 = (try? DescriptorReader.readToEnd(handle)) ?? Data() }
        }
        drain.start()
        #expect(await waitUntil { caughtUp.withLockedValue { $0 } })
        #expect(!recorder.isBehind)
        #expect(changes.withLockedValue { $0 } == [true, false])
        // Not behind: called at once.
        let atOnce = NIOLockedValueBox(false)
        recorder.whenCaughtUp { atOnce.withLockedValue { $0 = true } }
        #expect(atOnce.withLockedValue { $0 })
        recorder.close()
        #expect(recorder.failure == nil)
        #expect(await waitUntil { drained.withLockedValue { $0 } != nil })

        // Every frame, in order, byte for byte.
        let copy = SyntheticSession.temporaryPath("drained")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try #require(FileManager.default.createFile(atPath: copy, contents: drained.withLockedValue { $0 }))
        let events = try RecordingReader(path: copy).allEvents()
        #expect(events.count == count)
        for (number, recorded) in events.enumerated() {
            guard case .frame(let seen) = recorded.event, case .rfc6455(let frame) = seen.content else {
                Issue.record("event \(number) is not a frame")
                return
            }
            guard case .frame(let sent) = Self.frame(number), case .rfc6455(let original) = sent.content else { return }
            #expect(frame.payload == original.payload, "frame \(number)")
        }
    }
}

import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapMutation
import WSTapSession
import WSTapTestSupport

/// What a frame's line holds: the payload once (in `wire`), again as `text` only when it is short
/// valid UTF-8 text; and large frames cut from many small chunks reach the side file whole.
@Suite struct RecordingLineContentTests {
    /// Records `frames` (as a client stream, in chunks of `chunkSize` bytes) the way the proxy does;
    /// returns the lines after the header and the events read back.
    private func record(
        _ frames: [(header: FrameHeader, payload: [UInt8])], chunkSize: Int = 4096, textLimit: Int = 16,
        inlineLimit: Int = 64 << 10
    ) throws -> (stream: ByteBuffer, lines: [String], events: [RecordedEvent], path: String) {
        var stream = ByteBuffer()
        for frame in frames { FrameEncoder.write(header: frame.header, payload: frame.payload, into: &stream) }
        let path = SyntheticSession.temporaryPath()
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test", startedAt: SyntheticSession.time,
            options: RecorderOptions(inlineWireLimit: inlineLimit, textLimit: textLimit))
        var tap = TrafficTap(connection: 1, variant: .rfc6455, payloadCaptureLimit: 8)
        var rest = stream
        while let chunk = rest.readSlice(length: min(chunkSize, rest.readableBytes)), chunk.readableBytes > 0 {
            recorder.recordStreamBytes(chunk, connection: 1, direction: .clientToServer)
            tap.bytes(chunk, direction: .clientToServer, at: SyntheticSession.time) { recorder.record($0) }
        }
        recorder.close()
        #expect(recorder.failure == nil)
        let reader = try RecordingReader(path: path)
        let lines = try (0..<reader.eventCount).map { String(decoding: try reader.lineBytes(at: $0), as: UTF8.self) }
        return (stream, lines, try reader.allEvents(), path)
    }

    private func payloads(_ events: [RecordedEvent]) -> [[UInt8]] {
        events.compactMap { recorded in
            guard case .frame(let seen) = recorded.event, case .rfc6455(let frame) = seen.content else { return nil }
            return Array(frame.payload.readableBytesView)
        }
    }

    @Test func thePayloadIsWrittenOnceUnlessItIsShortText() throws {
        let key = MaskingKey(value: 0x1234_5678)
        let short = Array("héllo \"there\"".utf8)
        let long = Array(String(repeating: "long text ", count: 3).utf8)
        let binary: [UInt8] = [0x00, 0xFF, 0x41, 0x42]
        let invalid: [UInt8] = [0xC3, 0x28]
        let frames: [(header: FrameHeader, payload: [UInt8])] = [
            (FrameHeader(opcode: .text, maskingKey: key, payloadLength: UInt64(short.count)), short),
            (FrameHeader(opcode: .text, maskingKey: key, payloadLength: UInt64(long.count)), long),
            (FrameHeader(opcode: .binary, maskingKey: key, payloadLength: 4), binary),
            (FrameHeader(opcode: .binary, payloadLength: 4), Array("text".utf8)),
            (FrameHeader(opcode: .text, maskingKey: key, payloadLength: 2), invalid),
        ]
        let recorded = try record(frames, textLimit: 16)
        defer { try? FileManager.default.removeItem(atPath: recorded.path) }
        #expect(recorded.lines.count == 5)
        // Short valid text: in `wire` and as `text`; everything else in `wire` only.
        #expect(recorded.lines[0].contains(#""text":"héllo \"there\"""#), "\(recorded.lines[0])")
        for line in recorded.lines.dropFirst() {
            #expect(!line.contains("\"text\"") && !line.contains("\"data\""), "\(line)")
        }
        for line in recorded.lines {
            #expect(line.contains("\"wire\":"), "\(line)")
            // Relayed is the default, left out.
            #expect(!line.contains("\"disp\""), "\(line)")
        }
        // The reader gives every payload back whole and unmasked, relayed.
        #expect(payloads(recorded.events) == frames.map(\.payload))
        for event in recorded.events {
            guard case .frame(let seen) = event.event else { continue }
            #expect(seen.disposition == .relayed)
        }
        #expect(
            SyntheticSession.recordedStream(recorded.events, connection: 1, direction: .clientToServer)
                == Array(recorded.stream.readableBytesView))
    }

    @Test func withTextLimitZeroNoPayloadIsRepeated() throws {
        let hello = Array("hello".utf8)
        let recorded = try record(
            [(FrameHeader(opcode: .text, payloadLength: 5), hello)], textLimit: 0)
        defer { try? FileManager.default.removeItem(atPath: recorded.path) }
        #expect(recorded.lines.count == 1)
        #expect(!recorded.lines[0].contains("\"text\""), "\(recorded.lines[0])")
        #expect(payloads(recorded.events) == [hello])
    }

    /// A frame cut from thousands of small chunks (more than one `writev` takes) reaches the side file
    /// byte for byte, and so do the frames around it.
    @Test func aLargeFrameFromManySmallChunksIsWrittenWhole() throws {
        var generator = FuzzRandom(seed: 5)
        let large = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let frames: [(header: FrameHeader, payload: [UInt8])] = [
            (FrameHeader(opcode: .text, payloadLength: 3), Array("one".utf8)),
            (FrameHeader(opcode: .binary, maskingKey: MaskingKey(value: 9), payloadLength: 300_000), large),
            (FrameHeader(opcode: .binary, payloadLength: 70_000), [UInt8](repeating: 7, count: 70_000)),
            (FrameHeader(opcode: .text, payloadLength: 3), Array("two".utf8)),
        ]
        let recorded = try record(frames, chunkSize: 100)
        defer { try? FileManager.default.removeItem(atPath: recorded.path) }
        defer { try? FileManager.default.removeItem(atPath: recorded.path + ".payloads") }
        #expect(recorded.lines.count == 4)
        #expect(recorded.lines[1].contains("\"sideOffset\":0"), "\(recorded.lines[1])")
        #expect(recorded.lines[2].contains("\"sideOffset\":300014"), "\(recorded.lines[2])")
        let side = try #require(FileManager.default.contents(atPath: recorded.path + ".payloads"))
        #expect(side.count == 300_014 + 70_010)
        #expect(payloads(recorded.events) == frames.map(\.payload))
        #expect(
            SyntheticSession.recordedStream(recorded.events, connection: 1, direction: .clientToServer)
                == Array(recorded.stream.readableBytesView))
    }
}

/// A compressed frame whose inflated payload was kept only in part reads back with how it was cut.
@Suite struct InflationCutRecordingTests {
    @Test func theCutIsRecordedAndReadBack() throws {
        var stream = ByteBuffer()
        let header = FrameHeader(
            fin: true, reservedBits: .rsv1, opcode: .text, maskingKey: nil, payloadLength: 3, lengthEncoding: .bits7)
        FrameEncoder.write(header: header, payload: [0x01, 0x02, 0x03], into: &stream)
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test", startedAt: SyntheticSession.time)
        var tap = TrafficTap(connection: 1, variant: .rfc6455, allowedReservedBits: .rsv1)
        recorder.recordStreamBytes(stream, connection: 1, direction: .serverToClient)
        tap.bytes(stream, direction: .serverToClient, at: SyntheticSession.time) { event in
            guard case .frame(var seen) = event else { return recorder.record(event) }
            seen.inflatedPayload = ByteBuffer(string: "kept start")
            seen.inflationCut = InflationCut(limit: 10, inflatedLength: 5000)
            recorder.record(.frame(seen))
        }
        recorder.close()
        let events = try RecordingReader(path: path).allEvents()
        let cuts = events.compactMap { recorded -> InflationCut? in
            guard case .frame(let seen) = recorded.event else { return nil }
            return seen.inflationCut
        }
        #expect(cuts == [InflationCut(limit: 10, inflatedLength: 5000)])
    }
}

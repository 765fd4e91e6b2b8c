import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapSession

/// Recording and reading back: every byte of both directions survives, frames beyond the capture
/// limit included, and events come back as they went in.
@Suite struct RecordingRoundTripTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func rfc6455StreamsSurviveByteForByte(seed: UInt64) throws {
        let session = SyntheticSession.rfc6455()
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        defer { try? FileManager.default.removeItem(atPath: path + ".payloads") }
        let recorder = try session.record(to: path, seed: seed)
        recorder.close()
        #expect(recorder.failure == nil)
        let reader = try RecordingReader(path: path)
        #expect(reader.tornLine == nil)
        #expect(reader.header.mode == .proxy)
        #expect(reader.header.wstapVersion == "test")
        let events = try reader.allEvents()
        #expect(events.count == reader.eventCount)
        #expect(events.map(\.index) == Array(0..<events.count))
        #expect(events.map(\.lineNumber) == Array(2..<(events.count + 2)))
        #expect(
            SyntheticSession.recordedStream(events, connection: 1, direction: .clientToServer)
                == Array(session.clientToServer.readableBytesView))
        #expect(
            SyntheticSession.recordedStream(events, connection: 1, direction: .serverToClient)
                == Array(session.serverToClient.readableBytesView))
        // The large frame went to the side file and still comes back whole, unmasked.
        let frames = events.compactMap { recorded -> DecodedFrame? in
            if case .frame(let seen) = recorded.event, seen.direction == .clientToServer,
                case .rfc6455(let frame) = seen.content
            {
                return frame
            }
            return nil
        }
        let large = try #require(frames.first { $0.header.opcode == .binary })
        #expect(large.payload.readableBytes == 200_000)
        #expect(large.isPayloadComplete)
        let largeWire = large.wireBytes.map { Array($0.readableBytesView) }
        #expect(
            largeWire
                == Array(
                    session.clientToServer.readableBytesView.dropFirst(large.streamOffset).prefix(Int(large.wireLength))
                ))
        #expect(FileManager.default.fileExists(atPath: path + ".payloads"))
        let first = try #require(frames.first)
        #expect(String(buffer: first.payload) == "hello \"world\"\n\u{1}é🙂")
        #expect(first.header.maskingKey == MaskingKey(0x37, 0xFA, 0x21, 0x3D))
        #expect(frames.contains { $0.violations.contains { $0.kind == .reservedOpcode } })
        #expect(frames.contains { $0.violations.contains { $0.kind == .invalidUTF8 } })
        // Event kinds, in order: open, note, frames..., raw (the cut frame), close, error.
        let expected = try session.opened()
        guard case .connectionOpened(let opened) = events[0].event else {
            Issue.record("first event is not the opening")
            return
        }
        #expect(opened.request.wireBytes == expected.request.wireBytes)
        #expect(opened.request.headers.first("X-Odd") == "spaced")
        #expect(opened.response.statusCode == 101)
        #expect(opened.subprotocol == "chat")
        #expect(opened.extensions == expected.extensions)
        #expect(opened.at == SyntheticSession.time)
        let raws = events.filter { if case .leftoverBytes = $0.event { return true } else { return false } }
        #expect(raws.count == 1)
        #expect(raws.first?.wireBytes?.readableBytes == 16)
        guard case .connectionClosed(let closed) = events[events.count - 2].event,
            case .proxyError(let message, _) = events[events.count - 1].event
        else {
            Issue.record("the recording does not end with the close and the error")
            return
        }
        #expect(closed.serverCloseCode == .normalClosure && closed.closedBy == .client && closed.closeReason == "bye")
        #expect(message == "an error")
    }

    @Test(arguments: Hybi00Framing.allCases)
    func hybi00StreamsSurviveByteForByte(framing: Hybi00Framing) throws {
        let session = SyntheticSession.hybi00(framing: framing)
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        defer { try? FileManager.default.removeItem(atPath: path + ".payloads") }
        let recorder = try session.record(to: path, inlineLimit: 4000)
        recorder.close()
        let events = try RecordingReader(path: path).allEvents()
        for direction in TrafficDirection.allCases {
            let original = direction == .clientToServer ? session.clientToServer : session.serverToClient
            #expect(
                SyntheticSession.recordedStream(events, connection: 1, direction: direction)
                    == Array(original.readableBytesView), "\(direction)")
        }
        let texts = events.compactMap { recorded -> String? in
            guard case .frame(let seen) = recorded.event, seen.direction == .serverToClient,
                case .hybi00(let frame) = seen.content, frame.isText
            else { return nil }
            return String(buffer: frame.payload)
        }
        #expect(texts == ["one", "two é", String(repeating: "x", count: 5000)])
    }

    /// A hybi-00 connection read in the wrong framing until the user switches: every frame is reported
    /// again, and recorded again with its bytes.
    @Test func framingSwitchRecordsTheFramesAgain() throws {
        var session = SyntheticSession.hybi00(framing: .new)
        session.framing = .old
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        defer { try? FileManager.default.removeItem(atPath: path + ".payloads") }
        try session.record(to: path, inlineLimit: 4000, switchFramingTo: .new).close()
        let events = try RecordingReader(path: path).allEvents()
        let switches = events.compactMap { recorded -> TrafficEvent.FramingChange? in
            if case .framingChanged(let change) = recorded.event { return change } else { return nil }
        }
        #expect(switches.count == 1)
        #expect(switches.first?.redecoded == true && switches.first?.framing == .new)
        for direction in TrafficDirection.allCases {
            let original = direction == .clientToServer ? session.clientToServer : session.serverToClient
            #expect(
                SyntheticSession.recordedStream(events, connection: 1, direction: direction)
                    == Array(original.readableBytesView), "\(direction)")
        }
    }

    /// A frame held by intercept then released: the released frame is recorded with the held bytes,
    /// even when the event kept only part of its payload.
    @Test func releasedFramesKeepTheHeldBytes() throws {
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test", startedAt: SyntheticSession.time)
        var stream = ByteBuffer()
        let payload = [UInt8](repeating: 0x41, count: 5000)
        FrameEncoder.write(
            header: FrameHeader(opcode: .text, maskingKey: MaskingKey(value: 7), payloadLength: 5000), payload: payload,
            into: &stream)
        var tap = TrafficTap(connection: 1, variant: .rfc6455, payloadCaptureLimit: 10)
        recorder.recordStreamBytes(stream, connection: 1, direction: .clientToServer)
        var held: TrafficEvent.FrameSeen?
        tap.bytes(stream, direction: .clientToServer, at: SyntheticSession.time) { event in
            guard case .frame(var seen) = event else { return }
            seen.disposition = .held(42)
            held = seen
            recorder.record(.frame(seen))
        }
        var released = try #require(held)
        released.disposition = .released(42)
        recorder.record(.frame(released))
        recorder.close()
        let events = try RecordingReader(path: path).allEvents()
        #expect(events.count == 2)
        #expect(events.map(\.wireBytes) == [stream, stream])
        guard case .frame(let seen) = events[1].event, case .rfc6455(let frame) = seen.content else {
            Issue.record("not a frame")
            return
        }
        #expect(seen.disposition == .released(42))
        #expect(Array(frame.payload.readableBytesView) == payload)
    }

    @Test func framesMadeByTheUserAreMarkedAndKept() throws {
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test", startedAt: SyntheticSession.time)
        let header = FrameHeader(opcode: .text, maskingKey: MaskingKey(value: 1), payloadLength: 5)
        var wire = ByteBuffer()
        FrameEncoder.write(header: header, payload: Array("hello".utf8), into: &wire)
        let frame = DecodedFrame(header: header, payload: ByteBuffer(string: "hello"))
        for disposition in [FrameDisposition.injected, .edited(4), .released(9), .dropped(2)] {
            recorder.record(
                .frame(
                    .init(
                        connection: 3, direction: .clientToServer, content: .rfc6455(frame),
                        at: SyntheticSession.time, disposition: disposition)))
        }
        recorder.close()
        let events = try RecordingReader(path: path).allEvents()
        #expect(events.count == 4)
        for (recorded, disposition) in zip(events, [FrameDisposition.injected, .edited(4), .released(9), .dropped(2)]) {
            guard case .frame(let seen) = recorded.event, case .rfc6455(let back) = seen.content else {
                Issue.record("not a frame")
                continue
            }
            #expect(seen.disposition == disposition)
            #expect(String(buffer: back.payload) == "hello")
            #expect(recorded.wireBytes == wire)
        }
    }

    @Test func compressedFramesKeepTheirInflatedPayload() throws {
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try SessionRecorder(
            path: path, mode: .client, wstapVersion: "test", startedAt: SyntheticSession.time,
            options: RecorderOptions(wireSource: .frameEvents))
        let compressed: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        let frame = DecodedFrame(
            header: FrameHeader(reservedBits: .rsv1, opcode: .text, payloadLength: UInt64(compressed.count)),
            payload: ByteBuffer(bytes: compressed))
        recorder.record(
            .frame(
                .init(
                    connection: 1, direction: .serverToClient, content: .rfc6455(frame), at: SyntheticSession.time,
                    inflatedPayload: ByteBuffer(string: "Hello"))))
        recorder.close()
        let reader = try RecordingReader(path: path)
        #expect(reader.header.mode == .client)
        let recorded = try reader.event(at: 0)
        guard case .frame(let seen) = recorded.event, case .rfc6455(let back) = seen.content else {
            Issue.record("not a frame")
            return
        }
        #expect(Array(back.payload.readableBytesView) == compressed)
        #expect(back.header.reservedBits == .rsv1)
        #expect(seen.inflatedPayload.map { String(buffer: $0) } == "Hello")
        let line = String(decoding: try reader.lineBytes(at: 0), as: UTF8.self)
        #expect(line.contains("\"compressed\":true"))
        #expect(line.contains("\"inflated\":\"Hello\""))
    }

    @Test func randomAccessMatchesTheSequence() throws {
        let session = SyntheticSession.rfc6455(largeSize: 3000)
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        defer { try? FileManager.default.removeItem(atPath: path + ".payloads") }
        try session.record(to: path).close()
        let reader = try RecordingReader(path: path)
        let all = try reader.allEvents()
        for index in stride(from: all.count - 1, through: 0, by: -1) {
            let one = try reader.event(at: index)
            #expect(one.lineNumber == all[index].lineNumber)
            #expect(one.wireBytes == all[index].wireBytes)
        }
        #expect(throws: RecordingError.noSuchEvent(index: all.count, count: all.count)) {
            try reader.event(at: all.count)
        }
    }
}

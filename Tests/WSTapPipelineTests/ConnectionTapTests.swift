import NIOCore
import Testing
import WSTapCompression
import WSTapCore
import WSTapPipeline

/// The one tap every source publishes through, driven byte by byte with a fake clock: frames with their
/// violations, messages joined after the frame that completes them, the capture limit, compression.
@Suite struct ConnectionTapTests {
    /// A clock that says what the test tells it: the tap takes the time with each chunk.
    struct FakeClock {
        var seconds = 1_000.0
        mutating func tick() -> TrafficTimestamp {
            seconds += 1
            return TrafficTimestamp(wallSeconds: seconds, monotonicNanoseconds: UInt64(seconds * 1e9))
        }
    }

    static func bytes(_ specs: [FrameSpec]) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for spec in specs { buffer.writeBytes(try FrameEncoder.encode(spec)) }
        return buffer
    }

    /// Feeds `buffer` one byte at a time, each at the next tick; returns every event.
    static func feedBytewise(
        _ buffer: ByteBuffer, to tap: inout ConnectionTap, direction: TrafficDirection, clock: inout FakeClock
    ) -> [TrafficEvent] {
        var events: [TrafficEvent] = []
        for byte in buffer.readableBytesView {
            tap.bytes(ByteBuffer(bytes: [byte]), direction: direction, at: clock.tick()) { events.append($0) }
        }
        return events
    }

    static func frames(_ events: [TrafficEvent]) -> [TrafficEvent.FrameSeen] {
        events.compactMap { if case .frame(let seen) = $0 { seen } else { nil } }
    }

    static func messages(_ events: [TrafficEvent]) -> [TrafficEvent.MessageSeen] {
        events.compactMap { if case .message(let message) = $0 { message } else { nil } }
    }

    @Test func aFragmentedMessageIsJoinedAfterItsLastFrameWithAPingBetween() throws {
        var tap = ConnectionTap(connection: 7, variant: .rfc6455)
        var clock = FakeClock()
        let wire = try Self.bytes([
            FrameSpec(fin: false, opcode: .text, mask: .random, payload: Array("Hello".utf8)),
            FrameSpec(opcode: .ping, mask: .random, payload: Array("p".utf8)),
            FrameSpec(fin: false, opcode: .continuation, mask: .random, payload: Array(", ".utf8)),
            FrameSpec(opcode: .continuation, mask: .random, payload: Array("world".utf8)),
        ])
        let events = Self.feedBytewise(wire, to: &tap, direction: .clientToServer, clock: &clock)
        #expect(Self.frames(events).count == 4)
        let messages = Self.messages(events)
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(String(buffer: message.payload) == "Hello, world")
        #expect(message.isText && message.frameCount == 3 && message.length == 12 && !message.isCut)
        #expect(message.connection == 7 && message.direction == .clientToServer && !message.wasCompressed)
        // Right after the frame that completed it, with that frame's time (its last byte's).
        guard case .frame(let last) = events[events.count - 2], case .message = events[events.count - 1] else {
            Issue.record("the message does not follow its last frame: \(events.suffix(2))")
            return
        }
        #expect(message.at == last.at)
        #expect(message.at.wallSeconds == clock.seconds)
        #expect(Self.frames(events).allSatisfy { $0.violations.isEmpty })
    }

    @Test func theCaptureLimitCutsFramesAndMessagesButCountsTheirLength() throws {
        var tap = ConnectionTap(connection: 1, variant: .rfc6455, captureLimit: 10)
        var clock = FakeClock()
        let payload = [UInt8](repeating: 0x41, count: 100)
        var events: [TrafficEvent] = []
        tap.bytes(
            try Self.bytes([FrameSpec(opcode: .binary, payload: payload)]), direction: .serverToClient, at: clock.tick()
        ) { events.append($0) }
        let frame = try #require(Self.frames(events).first)
        guard case .rfc6455(let decoded) = frame.content else {
            Issue.record("not an RFC 6455 frame")
            return
        }
        #expect(decoded.payload.readableBytes == 10 && decoded.header.payloadLength == 100)
        let message = try #require(Self.messages(events).first)
        #expect(message.payload.readableBytes == 10 && message.length == 100 && message.isCut && !message.isText)
    }

    @Test func aCompressedMessageIsInflatedInTheFrameAndTheMessage() throws {
        let compressor = try PerMessageDeflateCompressor()
        let text = String(repeating: "compress me, ", count: 20)
        let deflated = try compressor.compress(ByteBuffer(string: text))
        var tap = ConnectionTap(connection: 2, variant: .rfc6455, compression: PerMessageDeflateParameters())
        var clock = FakeClock()
        let wire = try Self.bytes([
            FrameSpec(reservedBits: .rsv1, opcode: .text, payload: Array(deflated.readableBytesView))
        ])
        let events = Self.feedBytewise(wire, to: &tap, direction: .serverToClient, clock: &clock)
        let frame = try #require(Self.frames(events).first)
        #expect(frame.inflatedPayload.map { String(buffer: $0) } == text)
        #expect(frame.violations.isEmpty, "RSV1 is allowed once permessage-deflate was agreed")
        let message = try #require(Self.messages(events).first)
        #expect(
            String(buffer: message.payload) == text && message.wasCompressed
                && message.length == UInt64(text.utf8.count))
    }

    @Test func withoutCompressionRSV1IsAViolationAndTheFrameStillPasses() throws {
        var tap = ConnectionTap(connection: 3, variant: .rfc6455)
        var events: [TrafficEvent] = []
        var clock = FakeClock()
        tap.bytes(
            try Self.bytes([FrameSpec(reservedBits: .rsv1, opcode: .text, mask: .random, payload: [0x61])]),
            direction: .clientToServer, at: clock.tick()
        ) { events.append($0) }
        let frame = try #require(Self.frames(events).first)
        #expect(!frame.violations.isEmpty)
        #expect(Self.messages(events).count == 1)
    }

    @Test func hybi00FramesAreMessagesOfOneFrame() {
        var tap = ConnectionTap(connection: 4, variant: .hybi00, framing: .old)
        var clock = FakeClock()
        var wire = ByteBuffer(bytes: [0x00])
        wire.writeString("hi there")
        wire.writeBytes([0xFF, 0xFF, 0x00])  // a text frame, then the closing frame
        let events = Self.feedBytewise(wire, to: &tap, direction: .serverToClient, clock: &clock)
        #expect(Self.frames(events).count == 2)
        let messages = Self.messages(events)
        #expect(messages.count == 1)
        #expect(messages.first.map { String(buffer: $0.payload) } == "hi there")
        #expect(messages.first?.length == 8 && messages.first?.isText == true)
    }

    @Test func closeCodesAndLeftoverBytesAreReported() throws {
        var tap = ConnectionTap(connection: 5, variant: .rfc6455)
        var clock = FakeClock()
        var events: [TrafficEvent] = []
        tap.bytes(
            try Self.bytes([.close(code: .goingAway, reason: "bye")]), direction: .serverToClient, at: clock.tick()
        ) { events.append($0) }
        tap.bytes(ByteBuffer(bytes: [0x81, 0x85, 1, 2]), direction: .clientToServer, at: clock.tick()) {
            events.append($0)
        }
        #expect(tap.serverCloseCode == .goingAway && tap.closeReason == "bye" && !tap.sawBothCloses)
        tap.finish(at: clock.tick()) { events.append($0) }
        let leftover = events.compactMap { event -> ByteBuffer? in
            if case .leftoverBytes(_, .clientToServer, let bytes, _) = event { bytes } else { nil }
        }
        #expect(leftover.first?.readableBytes == 4)
        #expect(Self.messages(events).isEmpty, "a close is not a message, an unfinished frame makes none")
    }

    @Test func framesMadeByAPersonAreDecodedAsTheirReceiverWillWithTheirDisposition() throws {
        let tap = ConnectionTap(connection: 6, variant: .rfc6455)
        var clock = FakeClock()
        let made = tap.framesMade(
            try Self.bytes([.text("a", mask: .random), .text("b", mask: .random)]), direction: .clientToServer,
            at: clock.tick(), disposition: .injected)
        #expect(made.count == 2)
        #expect(made.allSatisfy { $0.disposition == .injected && $0.violations.isEmpty })
    }

    /// Consumers that read frames only cost nothing for messages: the tap joins them only when asked, and a
    /// fan-out asks when any of its consumers does.
    @Test func messagesAreJoinedOnlyForConsumersThatWantThem() throws {
        var tap = ConnectionTap(connection: 8, variant: .rfc6455, joinsMessages: false)
        var clock = FakeClock()
        let events = Self.feedBytewise(
            try Self.bytes([.text("no message event", mask: .random)]), to: &tap, direction: .clientToServer,
            clock: &clock)
        #expect(Self.frames(events).count == 1)
        #expect(Self.messages(events).isEmpty)
        let framesOnly = TrafficEventHandler { _ in }
        let lens = TrafficEventHandler(wantsMessages: true) { _ in }
        #expect(!framesOnly.wantsMessages && lens.wantsMessages)
        #expect(!TrafficFanOut([framesOnly]).wantsMessages)
        #expect(TrafficFanOut([framesOnly, lens]).wantsMessages)
    }
}

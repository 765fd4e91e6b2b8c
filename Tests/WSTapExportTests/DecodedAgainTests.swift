import NIOCore
import Testing
import WSTapCore
import WSTapExport

/// A recorded hybi-00 connection decoded again in the other framing (what `wstap view`'s framing toggle
/// shows).
@Suite struct DecodedAgainTests {
    static let time = TrafficTimestamp(wallSeconds: 1_700_000_000, monotonicNanoseconds: 1)

    /// The events a tap reading `wire` (one direction) in `framing` reports, after the connection's opening.
    static func recorded(
        _ wire: ByteBuffer, readIn framing: Hybi00Framing, variant: ProtocolVariant = .hybi00
    ) -> [TrafficEvent] {
        let request = HTTPRequestHead(method: "GET", target: "/", headers: ["Host": "example"])
        let response = HTTPResponseHead(statusCode: 101, reason: "WebSocket Protocol Handshake", headers: [:])
        var events: [TrafficEvent] = [
            .connectionOpened(
                .init(
                    connection: 7, clientAddress: "127.0.0.1:5000", target: "ws://example/", request: request,
                    response: response, variant: variant, framing: framing, subprotocol: nil, extensions: [],
                    at: time))
        ]
        var tap = TrafficTap(connection: 7, variant: variant, framing: framing)
        // In two pieces, so that a frame spans both.
        var rest = wire
        let first = rest.readSlice(length: rest.readableBytes / 2) ?? ByteBuffer()
        for piece in [first, rest] {
            tap.bytes(piece, direction: .clientToServer, at: time) { events.append($0) }
        }
        tap.finish(at: time) { events.append($0) }
        return events
    }

    static func texts(_ events: [TrafficEvent]) -> [String] {
        events.compactMap { event in
            guard case .frame(let seen) = event, case .hybi00(let frame) = seen.content else { return nil }
            return String(decoding: frame.payload.readableBytesView, as: UTF8.self)
        }
    }

    @Test func aStreamMisreadInOldFramingReadsRightInNew() throws {
        var wire = ByteBuffer()
        Hybi00FrameEncoder.writeText(Array("hello".utf8), framing: .new, into: &wire)
        Hybi00FrameEncoder.writeText(Array("again".utf8), framing: .new, into: &wire)
        let misread = Self.recorded(wire, readIn: .old)
        #expect(Self.texts(misread) != ["hello", "again"])

        let transcript = try #require(ConnectionTranscript.group(misread).first)
        let again = transcript.decodedAgain(in: .new, at: Self.time)
        guard case .framingChanged(let change) = again.first else {
            Issue.record("the first event is not the framing change: \(again)")
            return
        }
        #expect(change.connection == 7 && change.framing == .new && change.redecoded)
        #expect(Self.texts(again) == ["hello", "again"])
        // Every byte the peer sent is read again, whatever the first reading made of it.
        let frames = again.compactMap { event -> TrafficEvent.FrameSeen? in
            if case .frame(let seen) = event { return seen }
            return nil
        }
        #expect(frames.allSatisfy { $0.direction == .clientToServer && $0.connection == 7 })

        // Switching back gives the first reading again.
        let regrouped = try #require(ConnectionTranscript.group(misread + again).first)
        #expect(Self.texts(regrouped.decodedAgain(in: .old, at: Self.time)) == Self.texts(misread))
    }

    @Test func anRFC6455ConnectionHasNoFramingToSwitch() throws {
        var wire = ByteBuffer()
        FrameEncoder.write(header: FrameHeader(opcode: .text, payloadLength: 2), payload: Array("hi".utf8), into: &wire)
        let events = Self.recorded(wire, readIn: .old, variant: .rfc6455)
        let transcript = try #require(ConnectionTranscript.group(events).first)
        #expect(transcript.decodedAgain(in: .new, at: Self.time).isEmpty)
    }
}

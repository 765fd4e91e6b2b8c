import NIOCore
import Testing
import WSTapCore
import WSTapInspect
import WSTapTestSupport

/// The JSON events (docs/json-events.md) of every kind fit docs/json-events.schema.json, frames are
/// numbered per connection and direction from 0, and the schema check refuses what does not fit.
@Suite struct JSONEventSchemaTests {
    static let time = TrafficTimestamp(wallSeconds: 1_764_084_227.123456, monotonicNanoseconds: 5)

    /// The first frame `hex` decodes to, as sent by `sender`.
    static func frame(_ hex: String, sender: EndpointRole = .client, rsv: ReservedBits = []) throws -> DecodedFrame {
        var decoder = FrameDecoder(
            configuration: FrameDecoderConfiguration(sender: sender, allowedReservedBits: rsv))
        decoder.append(ByteBuffer(bytes: try HexText.parse(hex)))
        let frame = decoder.nextFrame()
        return try #require(frame)
    }

    static func seen(
        _ content: TrafficEvent.FrameSeen.Content, connection: UInt64 = 1,
        _ direction: TrafficDirection = .clientToServer
    ) -> TrafficEvent.FrameSeen {
        .init(connection: connection, direction: direction, content: content, at: time)
    }

    /// One event of every kind, with the optional fields both present and absent.
    static func everyKind() throws -> [TrafficEvent] {
        var events: [TrafficEvent] = []
        let request = HTTPRequestHead(method: "GET", target: "/chat")
        let response = HTTPResponseHead(statusCode: 101, reason: "Switching Protocols")
        events.append(
            .connectionOpened(
                .init(
                    connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9/", request: request,
                    response: response, variant: .rfc6455, framing: .old, subprotocol: "chat",
                    extensions: [ExtensionOffer(name: "permessage-deflate")], at: time)))
        events.append(
            .connectionOpened(
                .init(
                    connection: 2, clientAddress: "127.0.0.1:5001", target: "ws://127.0.0.1:9/", request: request,
                    response: response, variant: .hybi00, framing: .new, subprotocol: nil, extensions: [], at: time,
                    requestBody: Array(0..<8), responseBody: Array(0..<16))))
        events.append(.frame(seen(.rfc6455(try frame("81 85 37 fa 21 3d 7f 9f 4d 51 58")))))
        events.append(.frame(seen(.rfc6455(try frame("88 05 0f a1 62 79 65", sender: .server)), .serverToClient)))
        events.append(.frame(seen(.rfc6455(try frame("88 00", sender: .server)), .serverToClient)))
        events.append(.frame(seen(.rfc6455(try frame("83 02 ff fe", sender: .server)), .serverToClient)))
        var held = seen(.rfc6455(try frame("81 85 37 fa 21 3d 7f 9f 4d 51 58")))
        held.disposition = .held(7)
        events.append(.frame(held))
        var injected = held
        injected.disposition = .injected
        events.append(.frame(injected))
        var compressed = seen(.rfc6455(try frame("c1 03 4a 04 00", sender: .server, rsv: .rsv1)), .serverToClient)
        compressed.inflatedPayload = ByteBuffer(string: "a")
        events.append(.frame(compressed))
        var cut = compressed
        cut.inflationCut = InflationCut(limit: 1, inflatedLength: 5000)
        events.append(.frame(cut))
        var failed = compressed
        failed.inflatedPayload = nil
        failed.inflationError = "invalid deflate data"
        events.append(.frame(failed))
        var hybi00 = Hybi00FrameDecoder(framing: .old)
        hybi00.append(ByteBuffer(bytes: [0x00, 0x48, 0x69, 0xFF, 0x80, 0x02, 0x01, 0x02, 0x00, 0x61]))
        while let frame = hybi00.nextFrame() { events.append(.frame(seen(.hybi00(frame), connection: 2))) }
        if let rest = hybi00.finish() { events.append(.frame(seen(.hybi00(rest), connection: 2))) }
        events.append(
            .leftoverBytes(connection: 1, direction: .serverToClient, bytes: ByteBuffer(bytes: [0x81, 0x05]), at: time))
        events.append(
            .connectionClosed(
                .init(
                    connection: 1, closedBy: .client, clientCloseCode: CloseCode(rawValue: 1000),
                    serverCloseCode: CloseCode(rawValue: 4001), closeReason: "bye", wasClean: true, error: nil,
                    at: time)))
        events.append(
            .connectionClosed(
                .init(
                    connection: 2, closedBy: nil, clientCloseCode: nil, serverCloseCode: nil, closeReason: "",
                    wasClean: false, error: "connection reset", at: time)))
        events.append(.proxyError(message: "upstream refused the upgrade: 400 Bad Request", at: time))
        events.append(.note(connection: nil, text: "intercept on", at: time))
        events.append(.note(connection: 1, text: "held", at: time))
        events.append(.framingChanged(.init(connection: 2, framing: .new, redecoded: true, at: time)))
        return events
    }

    @Test func everyKindOfEventFitsTheSchema() throws {
        var json = TrafficEventJSON()
        var lines = try Self.everyKind().map { json.line($0) }
        lines.append(TrafficEventJSON.roundTrip(connection: 1, microseconds: 123, at: Self.time))
        lines.append(TrafficEventJSON.note("warning: listening on all interfaces", at: Self.time))
        for mode in [ListeningEvent.Mode.reverseProxy, .forwardProxy, .server] {
            lines.append(
                TrafficEventJSON.listening(
                    ListeningEvent(
                        mode: mode, address: "127.0.0.1:8080",
                        upstream: mode == .reverseProxy ? "ws://127.0.0.1:9001" : nil,
                        caCertificate: mode == .forwardProxy ? "/tmp/ca/ca.pem" : nil, caCreated: true,
                        control: mode == .server ? nil : "/tmp/w.sock", at: Self.time)))
        }
        let text = lines.joined(separator: "\n") + "\n"
        JSONEventSchema.expectValid(text, "every kind")
        #expect(lines[2].hasPrefix(#"{"event":"frame","connection":1,"time":1764084227.123456,"direction":"c2s","#))
        #expect(lines.allSatisfy { !$0.contains("\n") })
    }

    @Test func framesAreNumberedPerConnectionAndDirectionFromZero() throws {
        let text = try Self.frame("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        let events: [TrafficEvent] = [
            .frame(Self.seen(.rfc6455(text))), .frame(Self.seen(.rfc6455(text), .serverToClient)),
            .frame(Self.seen(.rfc6455(text), connection: 2)), .frame(Self.seen(.rfc6455(text))),
            .framingChanged(.init(connection: 1, framing: .new, redecoded: false, at: Self.time)),
            .frame(Self.seen(.rfc6455(text))),
            .framingChanged(.init(connection: 1, framing: .old, redecoded: true, at: Self.time)),
            .frame(Self.seen(.rfc6455(text))), .frame(Self.seen(.rfc6455(text), connection: 2)),
        ]
        var json = TrafficEventJSON()
        var indexes: [String] = []
        for (number, event) in events.enumerated() {
            // A filtered-out event (view's filters) still counts.
            if number == 3 {
                json.skip(event)
                continue
            }
            let line = json.line(event)
            if let match = line.firstMatch(of: /"connection":(\d+),.*"direction":"(\w+)","index":(\d+)/) {
                indexes.append("\(match.1) \(match.2) #\(match.3)")
            }
        }
        #expect(indexes == ["1 c2s #0", "1 s2c #0", "2 c2s #0", "1 c2s #2", "1 c2s #0", "2 c2s #1"])
    }

    @Test func theCheckRefusesLinesThatDoNotFit() throws {
        let good = #"{"event":"note","time":1.5,"text":"x"}"#
        #expect(try JSONEventSchema.problems(in: good + "\n").isEmpty)
        let bad = [
            #"{"event":"note","time":"1.5","text":"x"}"#,  // time as a string
            #"{"event":"note","time":1.5,"text":"x","extra":1}"#,  // a field the schema does not know
            #"{"event":"close","connection":1,"time":1,"clean":true}"#,  // no reason
            #"{"event":"frame","connection":1,"time":1,"direction":"c2s","variant":"hybi00"}"#,  // no index...
            #"{"event":"explode","time":1}"#,
            "listening on 127.0.0.1:8080",
        ]
        for line in bad {
            #expect(try !JSONEventSchema.problems(in: line + "\n").isEmpty, "\(line)")
        }
        #expect(try !JSONEventSchema.problems(in: "").isEmpty)
    }
}

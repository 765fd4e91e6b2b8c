import Testing
import WSTapCore
import WSTapLenses

/// The STOMP lens on frames made by stomper's encoder (Fixtures.stomp).
@Suite struct STOMPLensTests {
    static func fixture(_ name: String, _ direction: TrafficDirection = .clientToServer) throws -> LensMessage {
        try #require(Fixtures.stomp[name]).going(direction)
    }

    @Test func everyFrameHasItsSummary() throws {
        let run = LensRun(STOMPLens(), subprotocol: "v12.stomp")
        let expected = [
            ("stomp-connect", "CONNECT host=localhost accept-version=1.2"),
            ("stomp-connected", "CONNECTED version=1.2"),
            ("stomp-subscribe", "SUBSCRIBE /queue/a id=sub-0"),
            ("stomp-send", #"SEND /queue/a (7 B) {"n":1}"#),
            ("stomp-send-receipt", #"SEND /queue/a receipt=r-7 (5 B) "hello""#),
            ("stomp-receipt", "RECEIPT r-7"),
            ("stomp-message", #"MESSAGE /queue/a sub=sub-0 message=m-1 (7 B) {"n":1}"#),
            ("stomp-ack", "ACK sub=sub-0 message=a-1"),
            ("stomp-error", #"ERROR malformed frame (7 B) "details""#),
            ("stomp-unsubscribe", "UNSUBSCRIBE id=sub-0"),
        ]
        for (name, summary) in expected {
            #expect(run.one(try Self.fixture(name))?.summary == summary, "\(name)")
        }
        let disconnect = try #require(run.one(try Self.fixture("stomp-disconnect")))
        #expect(disconnect.summary.hasPrefix("DISCONNECT receipt="))
    }

    @Test func receiptsAndConnectsPair() throws {
        let run = LensRun(STOMPLens())
        #expect(
            run.one(try Self.fixture("stomp-connect"))?.correlation == LensCorrelation(id: "connect", role: .request))
        #expect(
            run.one(try Self.fixture("stomp-connected", .serverToClient))?.correlation
                == LensCorrelation(id: "connect", role: .response))
        let send = try #require(run.one(try Self.fixture("stomp-send-receipt")))
        #expect(send.correlation == LensCorrelation(id: "receipt r-7", role: .request))
        #expect(send.method == "SEND /queue/a")
        #expect(send.fields["headers"]?["destination"] == .string("/queue/a"))
        #expect(send.fields["body"] == .string("hello"))
        #expect(
            run.one(try Self.fixture("stomp-receipt", .serverToClient))?.correlation
                == LensCorrelation(id: "receipt r-7", role: .response))
        #expect(run.one(try Self.fixture("stomp-error", .serverToClient))?.isError == true)
    }

    @Test func heartBeatsEscapesSeveralFramesAndContentLength() {
        let run = LensRun(STOMPLens())
        #expect(run.one(.text("\n", .serverToClient))?.summary == "heart-beat")
        let escaped = run.one(.text("SEND\ndestination:/a\\cb\nx:1\\n2\n\n\u{0}", .clientToServer))
        #expect(escaped?.fields["headers"]?["destination"] == .string("/a:b"))
        #expect(escaped?.fields["headers"]?["x"] == .string("1\n2"))
        let two = run.decode(.text("SEND\ndestination:/a\n\nx\u{0}\nSEND\ndestination:/b\n\ny\u{0}", .clientToServer))
        #expect(two.map(\.summary) == [#"SEND /a (1 B) "x""#, #"SEND /b (1 B) "y""#])
        let binary = run.one(
            .binary(Array("SEND\ndestination:/a\ncontent-length:3\n\n".utf8) + [0, 0xFF, 0, 0], .clientToServer))
        #expect(binary?.fields["body"] == .bytes([0, 0xFF, 0]))
    }

    @Test func whatDoesNotParseSaysWhy() {
        let run = LensRun(STOMPLens())
        #expect(run.one(.text("send\n\n\u{0}", .clientToServer))?.problem?.contains("not a STOMP command") == true)
        #expect(run.one(.text("SEND\ndestination:/a\n\nno end", .clientToServer))?.problem?.contains("no NUL") == true)
        #expect(run.one(.text("SEND\nbad header\n\n\u{0}", .clientToServer))?.problem?.contains("has no ':'") == true)
    }
}

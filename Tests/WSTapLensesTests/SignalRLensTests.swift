import Testing
import WSTapCore
import WSTapLenses

/// The SignalR lens on records made by signalrcore's JSON hub protocol encoder (Fixtures.signalR).
@Suite struct SignalRLensTests {
    static func fixture(_ name: String, _ direction: TrafficDirection = .clientToServer) throws -> LensMessage {
        try #require(Fixtures.signalR[name]).going(direction)
    }

    @Test func theHandshakeAndEveryMessageType() throws {
        let run = LensRun(SignalRLens())
        let handshake = try #require(run.one(try Self.fixture("signalr-handshake")))
        #expect(handshake.summary == "handshake json v1")
        #expect(handshake.correlation == LensCorrelation(id: "handshake", role: .request))
        let accepted = try #require(run.one(.text("{}\u{1E}", .serverToClient)))
        #expect(accepted.summary == "handshake accepted")
        #expect(accepted.correlation == LensCorrelation(id: "handshake", role: .response))
        let expected = [
            ("signalr-invocation", "Add [1,2] id=1"),
            ("signalr-invocation-noid", #"Send ["hi"]"#),
            ("signalr-stream-invocation", "stream Counter [3] id=2"),
            ("signalr-stream-item", "item id=2 0"),
            ("signalr-completion", "completion id=1 3"),
            ("signalr-completion-error", "completion id=2 error boom"),
            ("signalr-cancel", "cancel id=2"),
            ("signalr-ping", "ping"),
            ("signalr-close", "close server going away"),
        ]
        for (name, summary) in expected {
            #expect(run.one(try Self.fixture(name))?.summary == summary, "\(name)")
        }
    }

    @Test func invocationsPairWithTheirItemsAndCompletion() throws {
        let run = LensRun(SignalRLens())
        let call = try #require(run.one(try Self.fixture("signalr-invocation")))
        #expect(call.correlation == LensCorrelation(id: "1", role: .request))
        #expect(call.method == "Add")
        #expect(run.one(try Self.fixture("signalr-invocation-noid"))?.correlation == nil)
        #expect(
            run.one(try Self.fixture("signalr-stream-item", .serverToClient))?.correlation
                == LensCorrelation(id: "2", role: .response, ends: false))
        #expect(
            run.one(try Self.fixture("signalr-completion", .serverToClient))?.correlation
                == LensCorrelation(id: "1", role: .response))
        #expect(run.one(try Self.fixture("signalr-completion-error", .serverToClient))?.isError == true)
        #expect(run.one(try Self.fixture("signalr-completion", .serverToClient))?.isError == false)
    }

    @Test func severalRecordsInOneMessageAndWhatDoesNotParse() throws {
        let run = LensRun(SignalRLens())
        let both = try Self.fixture("signalr-ping").bytes + Self.fixture("signalr-invocation").bytes
        #expect(
            run.decode(.text(String(decoding: both, as: UTF8.self), .clientToServer)).map(\.summary) == [
                "ping", "Add [1,2] id=1",
            ])
        #expect(run.one(.text(#"{"type":6}"#, .clientToServer))?.problem?.contains("0x1E") == true)
        #expect(run.one(.text("{\u{1E}", .clientToServer))?.problem?.hasPrefix("a record is not JSON") == true)
        #expect(SignalRLens().claims(firstMessage: try Self.fixture("signalr-handshake")))
        #expect(LensRegistry.claiming(firstMessage: try Self.fixture("signalr-handshake"))?.name == "signalr")
        #expect(LensRegistry.claiming(LensConnection(subprotocol: "v12.stomp", target: "/"))?.name == "stomp")
    }
}

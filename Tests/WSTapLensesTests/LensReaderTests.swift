import NIOCore
import Testing
import WSTapCore
import WSTapLenses

/// The lenses over a stream of traffic events: which lens reads each connection, message by message, with
/// requests paired and latencies from the events' times (a fake clock).
@Suite struct LensReaderTests {
    static func at(_ milliseconds: UInt64) -> TrafficTimestamp {
        TrafficTimestamp(
            wallSeconds: 1_000 + Double(milliseconds) / 1_000, monotonicNanoseconds: milliseconds * 1_000_000)
    }

    static func opened(_ connection: UInt64, target: String = "/", subprotocol: String? = nil) -> TrafficEvent {
        .connectionOpened(
            .init(
                connection: connection, clientAddress: "127.0.0.1:50000", target: "ws://127.0.0.1:9001" + target,
                request: HTTPRequestHead(method: "GET", target: target),
                response: HTTPResponseHead(statusCode: 101, reason: "Switching Protocols"), variant: .rfc6455,
                framing: .old, subprotocol: subprotocol, extensions: [], at: at(0)))
    }

    static func message(
        _ connection: UInt64, _ message: LensMessage, at milliseconds: UInt64, cut: Bool = false
    ) -> TrafficEvent {
        .message(
            .init(
                connection: connection, direction: message.direction, isText: message.isText,
                payload: ByteBuffer(bytes: message.bytes), length: UInt64(message.bytes.count), isCut: cut,
                frameCount: 1, wasCompressed: false, at: at(milliseconds)))
    }

    static func closed(_ connection: UInt64, at milliseconds: UInt64) -> TrafficEvent {
        .connectionClosed(
            .init(
                connection: connection, closedBy: .client, clientCloseCode: nil, serverCloseCode: nil, closeReason: "",
                wasClean: false, error: nil, at: at(milliseconds)))
    }

    @Test func theURLChoosesSocketIOAndAcksGetTheirLatency() {
        var reader = LensReader(choice: .automatic)
        _ = reader.read(Self.opened(1, target: "/socket.io/?EIO=4&transport=websocket"))
        let call = reader.read(Self.message(1, .text(#"4212["add",1,2]"#, .clientToServer), at: 100))
        #expect(call.readings.map(\.lens) == ["socketio"])
        #expect(call.readings.first?.latencyNanoseconds == nil)
        let ack = reader.read(Self.message(1, .text("4312[3]", .serverToClient), at: 107))
        #expect(ack.readings.first?.view.summary == "ACK 12 [3]")
        #expect(ack.readings.first?.latencyNanoseconds == 7_000_000)
        #expect(ack.readings.first?.at == Self.at(107))
    }

    @Test func subprotocolThenFirstMessagesThenNothing() {
        var reader = LensReader(choice: .automatic)
        _ = reader.read(Self.opened(1, subprotocol: "mqtt"))
        _ = reader.read(Self.opened(2))
        _ = reader.read(Self.opened(3))
        #expect(reader.read(Self.message(1, Fixtures.mqtt311[0], at: 1)).readings.first?.lens == "mqtt")
        // Connection 2 is claimed by its second message; its first is left unread.
        #expect(reader.read(Self.message(2, .text("hello", .clientToServer), at: 1)).readings.isEmpty)
        #expect(reader.read(Self.message(2, .text(#"{"a":1}"#, .clientToServer), at: 2)).readings.first?.lens == "json")
        #expect(
            reader.read(Self.message(2, .text("not json", .clientToServer), at: 3)).readings.first?.view.problem != nil)
        // Connection 3: no lens in its first messages, so none for what follows, JSON or not.
        for step in 0..<LensReader.firstMessagesTried {
            #expect(reader.read(Self.message(3, .text("plain \(step)", .clientToServer), at: 4)).readings.isEmpty)
        }
        #expect(reader.read(Self.message(3, .text(#"{"a":1}"#, .clientToServer), at: 5)).readings.isEmpty)
    }

    @Test func aForcedLensReadsEveryConnectionAndNoneReadsNothing() {
        var forced = LensReader(choice: LensReader.Choice(name: "jsonrpc") ?? .off)
        _ = forced.read(Self.opened(1, target: "/socket.io/?EIO=4"))
        let reading = forced.read(
            Self.message(1, .text(#"{"jsonrpc":"2.0","result":1,"id":1}"#, .serverToClient), at: 1))
        #expect(reading.readings.first?.lens == "jsonrpc")
        var off = LensReader(choice: LensReader.Choice(name: "none") ?? .automatic)
        _ = off.read(Self.opened(1, subprotocol: "mqtt"))
        #expect(off.read(Self.message(1, Fixtures.mqtt311[0], at: 1)).readings.isEmpty)
        #expect(LensReader.Choice(name: "nope") == nil)
    }

    @Test func unansweredRequestsAreToldOnTimeoutAndClose() {
        var reader = LensReader(choice: .automatic, tracker: CorrelationTracker(timeoutNanoseconds: 1_000_000_000))
        _ = reader.read(Self.opened(1, target: "/socket.io/?EIO=4"))
        _ = reader.read(Self.message(1, .text(#"421["slow"]"#, .clientToServer), at: 0))
        _ = reader.read(Self.message(1, .text(#"422["never"]"#, .clientToServer), at: 500))
        let later = reader.read(Self.message(1, .text("2", .serverToClient), at: 1_200))
        #expect(later.unanswered.map(\.summary) == [#"EVENT slow [] ack=1"#])
        #expect(later.at == Self.at(1_200))
        let closed = reader.read(Self.closed(1, at: 1_300))
        #expect(closed.unanswered.map(\.summary) == [#"EVENT never [] ack=2"#, "ping"])
    }

    @Test func aCutMessageDoesNotParse() {
        var reader = LensReader(choice: .automatic)
        _ = reader.read(Self.opened(1, target: "/socket.io/"))
        let cut = reader.read(Self.message(1, .text(#"42["a""#, .clientToServer), at: 1, cut: true))
        #expect(cut.readings.first?.view.problem == "only the start of the message was kept (the capture limit)")
    }
}

import Testing
import WSTapCore
import WSTapLenses

/// The Socket.IO lens on packets made by python-socketio's and python-engineio's own encoders.
@Suite struct SocketIOLensTests {
    static func fixture(_ name: String, _ direction: TrafficDirection = .clientToServer) throws -> LensMessage {
        try #require(Fixtures.socketIO[name]).going(direction)
    }

    @Test func engineIOPacketsHaveTheirNames() throws {
        let run = LensRun(SocketIOLens(), target: "/socket.io/?EIO=4&transport=websocket")
        let open = try #require(run.one(try Self.fixture("eio-open", .serverToClient)))
        #expect(open.summary == "open sid=lv3Xk2c pingInterval=25000")
        #expect(open.fields["data"]?["pingTimeout"] == .number("20000"))
        let ping = try #require(run.one(try Self.fixture("eio-ping", .serverToClient)))
        #expect(ping.correlation == LensCorrelation(id: "ping", role: .request))
        let pong = try #require(run.one(try Self.fixture("eio-pong")))
        #expect(pong.correlation == LensCorrelation(id: "ping", role: .response))
        #expect(run.one(try Self.fixture("eio-ping-probe"))?.summary == "ping probe")
        #expect(run.one(try Self.fixture("eio-ping-probe"))?.correlation?.id == "probe")
        #expect(run.one(try Self.fixture("eio-upgrade"))?.summary == "upgrade")
        #expect(run.one(try Self.fixture("eio-noop"))?.summary == "noop")
        #expect(run.one(try Self.fixture("eio-close"))?.summary == "close")
    }

    @Test func eventsAndAcksPairByNamespaceAndID() throws {
        let run = LensRun(SocketIOLens())
        let event = try #require(run.one(try Self.fixture("sio-event")))
        #expect(event.summary == #"EVENT chat [{"m":"hi"}]"#)
        #expect(event.correlation == nil)
        #expect(event.fields["event"] == .string("chat"))
        let call = try #require(run.one(try Self.fixture("sio-event-ack")))
        #expect(call.summary == "EVENT add [1,2] ack=12")
        #expect(call.correlation == LensCorrelation(id: "/#12", role: .request))
        let ack = try #require(run.one(try Self.fixture("sio-ack", .serverToClient)))
        #expect(ack.summary == "ACK 12 [3]")
        #expect(ack.correlation == LensCorrelation(id: "/#12", role: .response))
        let join = try #require(run.one(try Self.fixture("sio-event-ns-ack")))
        #expect(join.summary == #"EVENT /chat join ["room1"] ack=3"#)
        #expect(join.fields["namespace"] == .string("/chat"))
        #expect(join.correlation?.id == "/chat#3")
        let joined = try #require(run.one(try Self.fixture("sio-ack-ns", .serverToClient)))
        #expect(joined.summary == #"ACK /chat 3 ["ok"]"#)
        #expect(joined.correlation == LensCorrelation(id: "/chat#3", role: .response))
    }

    @Test func connectsAndTheirAnswers() throws {
        let run = LensRun(SocketIOLens())
        let connect = try #require(run.one(try Self.fixture("sio-connect-chat-auth")))
        #expect(connect.summary == #"CONNECT /chat {"token":"abc"}"#)
        #expect(connect.correlation == LensCorrelation(id: "connect /chat", role: .request))
        let reply = try #require(run.one(try Self.fixture("sio-connect-reply", .serverToClient)))
        #expect(reply.summary == "CONNECT /chat sid=Qx1")
        #expect(reply.correlation == LensCorrelation(id: "connect /chat", role: .response))
        let refused = try #require(run.one(try Self.fixture("sio-connect-error", .serverToClient)))
        #expect(refused.summary == "CONNECT_ERROR /admin Not authorized")
        #expect(run.one(try Self.fixture("sio-connect"))?.summary == "CONNECT /")
        #expect(run.one(try Self.fixture("sio-disconnect-ns"))?.summary == "DISCONNECT /chat")
    }

    @Test func binaryEventsWaitForTheirAttachments() throws {
        let run = LensRun(SocketIOLens())
        #expect(run.decode(try Self.fixture("sio-binary-event")).isEmpty)
        #expect(run.decode(try Self.fixture("sio-binary-event-attachment0")).isEmpty)
        let views = run.decode(try Self.fixture("sio-binary-event-attachment1"))
        let event = try #require(views.count == 1 ? views[0] : nil)
        #expect(event.fields["event"] == .string("upload"))
        #expect(event.fields["attachments"] == .integer(2))
        let args = try #require(event.fields["args"]?.listValue)
        #expect(args[0]["data"] == .bytes([1, 2, 3]))
        #expect(args[1] == .bytes([0xFF, 0x00]))
        #expect(event.summary.hasPrefix("BINARY_EVENT upload "))
        #expect(event.summary.hasSuffix(" ack=7"))
        #expect(event.correlation == LensCorrelation(id: "/#7", role: .request))

        #expect(run.decode(try Self.fixture("sio-binary-ack", .serverToClient)).isEmpty)
        let ack = try #require(run.one(try Self.fixture("sio-binary-ack-attachment0", .serverToClient)))
        #expect(ack.fields["args"] == .list([.bytes([0xDE, 0xAD])]))
        #expect(ack.correlation == LensCorrelation(id: "/chat#4", role: .response))
    }

    @Test func engineIO3BinaryMessagesStartWithFour() throws {
        let run = LensRun(SocketIOLens(), target: "/socket.io/?EIO=3&transport=websocket")
        #expect(run.decode(.text(#"451-["file",{"_placeholder":true,"num":0}]"#, .clientToServer)).isEmpty)
        let event = try #require(run.one(.binary([4, 0xAB, 0xCD], .clientToServer)))
        #expect(event.fields["args"] == .list([.bytes([0xAB, 0xCD])]))
    }

    @Test func whatDoesNotParseSaysWhy() throws {
        let run = LensRun(SocketIOLens())
        #expect(run.one(.text("", .clientToServer))?.problem?.contains("empty") == true)
        #expect(run.one(.text("9", .clientToServer))?.problem == "Engine.IO packet type 9 is not 0-6")
        #expect(
            run.one(.text("42[\"a\",", .clientToServer))?.problem?.hasPrefix("the packet's data is not JSON") == true)
        #expect(run.one(.text("42{\"a\":1}", .clientToServer))?.summary.hasPrefix("does not parse: ") == true)
        #expect(run.one(.text("43[1]", .clientToServer))?.problem == "an ack without an ack id")
        #expect(run.one(.text("45[1]", .clientToServer))?.problem?.contains("attachments") == true)
        // A text message where an attachment was due: the waiting packet is reported, then the text read.
        #expect(run.decode(.text(#"451-["f",{"_placeholder":true,"num":0}]"#, .clientToServer)).isEmpty)
        let views = run.decode(.text("2", .clientToServer))
        #expect(views.count == 2)
        #expect(views.first?.problem?.contains("announced 1 attachments") == true)
    }
}

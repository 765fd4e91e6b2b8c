import Testing
import WSTapCore
import WSTapLenses

/// The Phoenix lens on messages written as Phoenix's serializers write them (phoenixframework/phoenix,
/// lib/phoenix/socket/serializers/v2_json_serializer.ex and v1_json_serializer.ex; phoenix.js sends the
/// same): no Phoenix peer installs here from Debian or PyPI for these tests.
@Suite struct PhoenixLensTests {
    @Test func aJoinAndItsReplyInV2() throws {
        let run = LensRun(PhoenixLens(), target: "/socket/websocket?vsn=2.0.0")
        let join = try #require(run.one(.text(#"["3","3","room:lobby","phx_join",{"name":"ann"}]"#, .clientToServer)))
        #expect(join.summary == #"room:lobby phx_join {"name":"ann"} ref=3"#)
        #expect(join.correlation == LensCorrelation(id: "3", role: .request))
        #expect(join.method == "phx_join")
        let reply = try #require(
            run.one(.text(#"["3","3","room:lobby","phx_reply",{"response":{},"status":"ok"}]"#, .serverToClient)))
        #expect(reply.summary == "room:lobby phx_reply ok {} ref=3")
        #expect(reply.correlation == LensCorrelation(id: "3", role: .response))
        #expect(!reply.isError)
        let refused = try #require(
            run.one(
                .text(
                    #"["4","4","room:secret","phx_reply",{"response":{"reason":"unauthorized"},"status":"error"}]"#,
                    .serverToClient)))
        #expect(refused.isError)
        let broadcast = try #require(
            run.one(.text(#"[null,null,"room:lobby","new_msg",{"body":"hi"}]"#, .serverToClient)))
        #expect(broadcast.correlation == nil)
        #expect(broadcast.summary == #"room:lobby new_msg {"body":"hi"}"#)
        let heartbeat = try #require(run.one(.text(#"[null,"5","phoenix","heartbeat",{}]"#, .clientToServer)))
        #expect(heartbeat.correlation == LensCorrelation(id: "5", role: .request))
    }

    @Test func v1ObjectsAndRecognition() throws {
        let run = LensRun(PhoenixLens())
        let join = try #require(
            run.one(
                .text(#"{"topic":"room:1","event":"phx_join","payload":{},"ref":"1","join_ref":"1"}"#, .clientToServer))
        )
        #expect(join.correlation == LensCorrelation(id: "1", role: .request))
        #expect(PhoenixLens().claims(url: LensConnection(subprotocol: nil, target: "/socket/websocket?vsn=2.0.0")))
        #expect(PhoenixLens().claims(firstMessage: .text(#"["1","1","room:1","phx_join",{}]"#, .clientToServer)))
        #expect(!PhoenixLens().claims(firstMessage: .text(#"[1,2,3,4,5]"#, .clientToServer)))
        #expect(run.one(.text("[1,2]", .clientToServer))?.problem?.contains("join_ref") == true)
    }
}

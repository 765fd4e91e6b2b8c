import Testing
import WSTapCore
import WSTapLenses

/// Which lens claims a connection: subprotocol first, then the URL, then the first messages; JSON last.
@Suite struct LensRegistryTests {
    @Test func subprotocolThenURL() {
        #expect(LensRegistry.claiming(LensConnection(subprotocol: "mqtt", target: "/socket.io/?EIO=4"))?.name == "mqtt")
        #expect(
            LensRegistry.claiming(LensConnection(subprotocol: "graphql-transport-ws", target: "/"))?.name == "graphql")
        #expect(
            LensRegistry.claiming(LensConnection(subprotocol: nil, target: "/socket.io/?EIO=4&transport=websocket"))?
                .name == "socketio")
        #expect(LensRegistry.claiming(LensConnection(subprotocol: "chat", target: "/ws"))?.name == nil)
    }

    @Test func firstMessages() {
        func claimer(_ message: LensMessage) -> String? { LensRegistry.claiming(firstMessage: message)?.name }
        #expect(claimer(.text(#"0{"sid":"x","upgrades":[]}"#, .serverToClient)) == "socketio")
        #expect(claimer(.text(#"{"type":"connection_init"}"#, .clientToServer)) == "graphql")
        #expect(claimer(.text(#"{"jsonrpc":"2.0","method":"a","id":1}"#, .clientToServer)) == "jsonrpc")
        #expect(claimer(Fixtures.mqtt311[0]) == "mqtt")
        #expect(claimer(.text(#"{"a":1}"#, .clientToServer)) == "json")
        #expect(claimer(.text("hello", .clientToServer)) == nil)
        #expect(claimer(.text("42", .clientToServer)) == nil)
        #expect(claimer(.binary([1, 2, 3], .clientToServer)) == nil)
    }

    @Test func namesAreUniqueAndFound() {
        #expect(Set(LensRegistry.names).count == LensRegistry.all.count)
        #expect(LensRegistry.named("SocketIO")?.name == "socketio")
        #expect(LensRegistry.named("nope") == nil)
    }

    @Test func jsonLensShowsTheValue() {
        let run = LensRun(JSONLens())
        #expect(run.one(.text(#"{"a": [1, true, null]}"#, .clientToServer))?.summary == #"{"a":[1,true,null]}"#)
        #expect(run.one(.text("{", .clientToServer))?.problem == "not JSON: expected a member name in quotes at byte 1")
        #expect(run.one(.text("nope", .clientToServer))?.problem?.hasPrefix("not JSON: ") == true)
    }
}

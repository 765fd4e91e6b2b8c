import Testing
import WSTapCore
import WSTapLenses

/// The JSON-RPC lens on the examples of the JSON-RPC 2.0 specification (jsonrpc.org/specification, section 7).
@Suite struct JSONRPCLensTests {
    @Test func callsResultsAndNotifications() throws {
        let run = LensRun(JSONRPCLens())
        let call = try #require(
            run.one(.text(#"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#, .clientToServer)))
        #expect(call.summary == "call subtract [42,23] id=1")
        #expect(call.correlation == LensCorrelation(id: "1", role: .request))
        let result = try #require(run.one(.text(#"{"jsonrpc": "2.0", "result": 19, "id": 1}"#, .serverToClient)))
        #expect(result.summary == "result id=1 19")
        #expect(result.correlation == LensCorrelation(id: "1", role: .response))
        let named = try #require(
            run.one(
                .text(
                    #"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23}, "id": "a"}"#,
                    .clientToServer)))
        #expect(named.correlation == LensCorrelation(id: "\"a\"", role: .request))
        let notification = try #require(
            run.one(.text(#"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#, .clientToServer)))
        #expect(notification.summary == "notify update [1,2,3,4,5]")
        #expect(notification.correlation == nil)
        let error = try #require(
            run.one(
                .text(
                    #"{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}"#,
                    .serverToClient)))
        #expect(error.summary == #"error id="1" -32601 Method not found"#)
        #expect(error.correlation == LensCorrelation(id: "\"1\"", role: .response))
        let parseError = try #require(
            run.one(
                .text(
                    #"{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}"#,
                    .serverToClient)))
        #expect(parseError.correlation == nil)
    }

    @Test func batchesGiveAViewPerElement() {
        let run = LensRun(JSONRPCLens())
        let views = run.decode(
            .text(
                #"[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}, {"foo": "boo"}]"#,
                .clientToServer))
        #expect(views.map(\.summary).prefix(2) == [#"[1/3] call sum [1,2,4] id="1""#, "[2/3] notify notify_hello [7]"])
        #expect(views[2].problem != nil)
        #expect(views[0].fields["batchIndex"] == .integer(0))
        #expect(run.one(.text("[]", .clientToServer))?.problem?.contains("empty batch") == true)
        #expect(run.one(.text("[1]", .clientToServer))?.problem?.contains("is an object") == true)
        #expect(
            run.one(.text(#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#, .clientToServer))?.problem?
                .hasPrefix("not JSON") == true)
    }

    @Test func recognisedByItsVersionMember() {
        #expect(JSONRPCLens().claims(firstMessage: .text(#"{"jsonrpc":"2.0","method":"a","id":1}"#, .clientToServer)))
        #expect(JSONRPCLens().claims(firstMessage: .text(#"[{"jsonrpc":"2.0","method":"a","id":1}]"#, .clientToServer)))
        #expect(!JSONRPCLens().claims(firstMessage: .text(#"{"method":"a"}"#, .clientToServer)))
    }
}

import Testing
import WSTapCore
import WSTapLenses

/// The GraphQL over WebSocket lens on the messages of both protocols' PROTOCOL.md (enisdenjo/graphql-ws for
/// graphql-transport-ws, apollographql/subscriptions-transport-ws for graphql-ws), written from their
/// message definitions.
@Suite struct GraphQLWSLensTests {
    @Test func graphqlTransportWSOperation() throws {
        let run = LensRun(GraphQLWSLens(), subprotocol: "graphql-transport-ws")
        let initial = try #require(
            run.one(.text(#"{"type":"connection_init","payload":{"token":"t"}}"#, .clientToServer)))
        #expect(initial.summary == #"connection_init {"token":"t"}"#)
        #expect(initial.correlation == LensCorrelation(id: "connection", role: .request))
        #expect(run.one(.text(#"{"type":"connection_ack"}"#, .serverToClient))?.correlation?.role == .response)
        let subscribe = try #require(
            run.one(
                .text(
                    #"{"id":"1","type":"subscribe","payload":{"query":"subscription OnMessage($room: ID!) { message(room: $room) { text } }","variables":{"room":"r1"}}}"#,
                    .clientToServer)))
        #expect(subscribe.summary == #"subscribe 1 subscription OnMessage {"room":"r1"}"#)
        #expect(subscribe.correlation == LensCorrelation(id: "1", role: .request))
        let next = try #require(
            run.one(.text(#"{"id":"1","type":"next","payload":{"data":{"message":{"text":"hi"}}}}"#, .serverToClient)))
        #expect(next.summary == #"next 1 {"message":{"text":"hi"}}"#)
        #expect(next.correlation == LensCorrelation(id: "1", role: .response, ends: false))
        let complete = try #require(run.one(.text(#"{"id":"1","type":"complete"}"#, .serverToClient)))
        #expect(complete.correlation == LensCorrelation(id: "1", role: .response, ends: true))
        let cancel = try #require(run.one(.text(#"{"id":"2","type":"complete"}"#, .clientToServer)))
        #expect(cancel.correlation == LensCorrelation(id: "2", role: .event, ends: true))
        let error = try #require(
            run.one(.text(#"{"id":"3","type":"error","payload":[{"message":"Unknown field"}]}"#, .serverToClient)))
        #expect(error.summary == "error 3 Unknown field")
        #expect(
            run.one(.text(#"{"type":"ping"}"#, .serverToClient))?.correlation
                == LensCorrelation(id: "ping", role: .request))
        #expect(
            run.one(.text(#"{"type":"pong"}"#, .clientToServer))?.correlation
                == LensCorrelation(id: "ping", role: .response))
    }

    @Test func legacyGraphqlWSOperation() throws {
        let run = LensRun(GraphQLWSLens(), subprotocol: "graphql-ws")
        let start = try #require(
            run.one(
                .text(
                    #"{"id":"7","type":"start","payload":{"query":"query Hero { hero { name } }","operationName":"Hero"}}"#,
                    .clientToServer)))
        #expect(start.summary == "start 7 query Hero")
        let data = try #require(
            run.one(
                .text(#"{"id":"7","type":"data","payload":{"data":null,"errors":[{"message":"x"}]}}"#, .serverToClient))
        )
        #expect(data.summary == "data 7 null errors=1")
        #expect(run.one(.text(#"{"type":"ka"}"#, .serverToClient))?.summary == "ka")
        #expect(run.one(.text(#"{"id":"7","type":"stop"}"#, .clientToServer))?.correlation?.ends == true)
    }

    @Test func whatDoesNotParseSaysWhy() {
        let run = LensRun(GraphQLWSLens())
        #expect(run.one(.text("[1]", .clientToServer))?.problem == "a GraphQL over WebSocket message is an object")
        #expect(run.one(.text(#"{"id":"1"}"#, .clientToServer))?.problem == #"no "type" string"#)
        #expect(run.one(.text("{", .clientToServer))?.problem?.hasPrefix("not JSON") == true)
    }
}

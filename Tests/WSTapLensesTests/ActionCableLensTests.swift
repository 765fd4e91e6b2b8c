import Testing
import WSTapCore
import WSTapLenses

/// The Action Cable lens on messages written as Action Cable's server and its JavaScript client write them
/// (rails/rails, actioncable: Connection::Base, Channel::Base, app/javascript/action_cable): no Action
/// Cable peer installs here from Debian or PyPI for these tests.
@Suite struct ActionCableLensTests {
    static let identifier = #"{\"channel\":\"ChatChannel\",\"room\":\"1\"}"#

    @Test func aSubscriptionItsConfirmationAndItsMessages() throws {
        let run = LensRun(ActionCableLens(), subprotocol: "actioncable-v1-json")
        #expect(run.one(.text(#"{"type":"welcome"}"#, .serverToClient))?.summary == "welcome")
        let subscribe = try #require(
            run.one(.text(#"{"command":"subscribe","identifier":"\#(Self.identifier)"}"#, .clientToServer)))
        #expect(subscribe.summary == "subscribe ChatChannel")
        #expect(subscribe.correlation?.role == .request)
        #expect(subscribe.fields["identifierDecoded"]?["room"] == .string("1"))
        let confirmed = try #require(
            run.one(.text(#"{"identifier":"\#(Self.identifier)","type":"confirm_subscription"}"#, .serverToClient)))
        #expect(confirmed.correlation == LensCorrelation(id: try #require(subscribe.correlation?.id), role: .response))
        let speak = try #require(
            run.one(
                .text(
                    #"{"command":"message","identifier":"\#(Self.identifier)","data":"{\"message\":\"hi\",\"action\":\"speak\"}"}"#,
                    .clientToServer)))
        #expect(speak.summary == #"message ChatChannel speak {"message":"hi","action":"speak"}"#)
        #expect(speak.method == "ChatChannel speak")
        let broadcast = try #require(
            run.one(.text(#"{"identifier":"\#(Self.identifier)","message":{"body":"hi"}}"#, .serverToClient)))
        #expect(broadcast.summary == #"broadcast ChatChannel {"body":"hi"}"#)
        #expect(run.one(.text(#"{"type":"ping","message":1764084227}"#, .serverToClient))?.summary == "ping 1764084227")
        let rejected = run.one(
            .text(#"{"identifier":"\#(Self.identifier)","type":"reject_subscription"}"#, .serverToClient))
        #expect(rejected?.isError == true)
        #expect(
            run.one(.text(#"{"type":"disconnect","reason":"unauthorized","reconnect":false}"#, .serverToClient))?
                .summary
                == "disconnect unauthorized")
        #expect(run.one(.text(#"{"x":1}"#, .serverToClient))?.problem != nil)
        #expect(
            LensRegistry.claiming(firstMessage: .text(#"{"type":"welcome"}"#, .serverToClient))?.name == "actioncable")
    }
}

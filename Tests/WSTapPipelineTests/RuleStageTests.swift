import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapFilter
import WSTapPipeline

/// The rules of `--rewrite` and `--drop`, decided on messages without a proxy.
@Suite struct RuleStageTests {
    static let opened = TrafficEvent.ConnectionOpened(
        connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9001/",
        request: HTTPRequestHead(method: "GET", target: "/chat", version: "HTTP/1.1", headers: ["Host": "chat.test"]),
        response: HTTPResponseHead(version: "HTTP/1.1", statusCode: 101, reason: "Switching Protocols", headers: [:]),
        variant: .rfc6455, framing: .old, subprotocol: nil, extensions: [],
        at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0), requestBody: [], responseBody: [])

    static func message(_ text: String, _ direction: TrafficDirection = .clientToServer, isText: Bool = true)
        -> TrafficEvent.MessageSeen
    {
        TrafficEvent.MessageSeen(
            connection: 1, direction: direction, isText: isText, payload: ByteBuffer(string: text),
            length: UInt64(text.utf8.count), isCut: false, frameCount: 1, wasCompressed: false,
            at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0))
    }

    static func outcome(_ decision: StageDecision) -> String {
        switch decision.verdict {
        case .pass: return "pass"
        case .drop: return "drop by \(decision.by)"
        case .replace(let payload, _): return "\(String(buffer: payload)) by \(decision.by)"
        }
    }

    @Test func rulesApplyInOrderWhereTheirFiltersMatch() throws {
        let stage = RuleStage(rules: [
            .drop(try FilterExpression(parsing: "~dir s2c & ~b /^ping/"), text: "~dir s2c & ~b /^ping/"),
            .rewrite(try RewriteRule(parsing: "/~dir c2s/user/admin/")),
            .rewrite(try RewriteRule(parsing: #"|(\w+)@example\.com|\1@test.invalid|"#)),
            .rewrite(try RewriteRule(parsing: "|~path /other|x|y|")),
        ])
        #expect(
            Self.outcome(stage.decide(Self.message("user bob@example.com"), of: Self.opened))
                == #"admin bob@test.invalid by rewrite #2 /~dir c2s/user/admin/, rewrite #3 |(\w+)@example\.com|\1@test.invalid|"#
        )
        #expect(Self.outcome(stage.decide(Self.message("user", .serverToClient), of: Self.opened)) == "pass")
        #expect(
            Self.outcome(stage.decide(Self.message("ping 1", .serverToClient), of: Self.opened))
                == "drop by drop #1 ~dir s2c & ~b /^ping/")
        #expect(
            Self.outcome(stage.decide(Self.message("x y"), of: Self.opened)) == "pass",
            "~path /other does not match /chat")
        #expect(Self.outcome(stage.decide(Self.message("user", isText: false), of: Self.opened)) == "pass", "binary")
        #expect(stage.hitCounts == [1, 1, 1, 0])
    }

    /// A rule's filter may test what a lens reads in the message (`~lens`, `~field`): the message is read
    /// by the lens that claims it (here Socket.IO, by its packets); rules without lens tests never read one.
    @Test func rulesFilterOnLensFields() throws {
        let filter = "~lens socketio & ~field event == secret"
        let stage = RuleStage(rules: [
            .drop(try FilterExpression(parsing: filter), text: filter),
            .rewrite(try RewriteRule(parsing: #"|~field args[0].n > 2|"n":|"n":-|"#)),
        ])
        // The Socket.IO lens claims the connection by its URL.
        let opened = TrafficEvent.ConnectionOpened(
            connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9001/",
            request: HTTPRequestHead(
                method: "GET", target: "/socket.io/?EIO=4&transport=websocket", version: "HTTP/1.1",
                headers: ["Host": "chat.test"]),
            response: Self.opened.response, variant: .rfc6455, framing: .old, subprotocol: nil, extensions: [],
            at: Self.opened.at, requestBody: [], responseBody: [])
        let decide = { (text: String) in Self.outcome(stage.decide(Self.message(text), of: opened)) }
        #expect(decide(#"42["secret",{"n":1}]"#) == "drop by drop #1 \(filter)")
        #expect(decide(#"42["chat",{"n":1}]"#) == "pass")
        #expect(
            decide(#"42["chat",{"n":3}]"#) == #"42["chat",{"n":-3}] by rewrite #2 |~field args[0].n > 2|"n":|"n":-|"#)
        #expect(decide("secret") == "pass", "it does not parse as Socket.IO: no event field")
        #expect(Self.outcome(stage.decide(Self.message(#"42["secret"]"#), of: Self.opened)) == "pass", "no lens")
    }

    @Test func rewriteTemplates() throws {
        #expect(try RewriteRule(parsing: #"/(a)(b)/\2\1\0\\/"#).apply(to: "xaby") == #"xbaab\y"#)
        #expect(try RewriteRule(parsing: "/a//").apply(to: "banana") == "bnn")
        #expect(try RewriteRule(parsing: "/x*/-/").apply(to: "ab") == "-a-b-")
        #expect(try RewriteRule(parsing: "/zzz/y/").apply(to: "ab") == nil)
    }

    @Test func delayAndRespondRulesReadTheirFilterAndValue() throws {
        let delay = try DelayRule(parsing: "~json op = ping=1.5s")
        #expect(delay.milliseconds == 1500)
        #expect(delay.filter?.matches(FilterSubject(message: Self.message(#"{"op":"ping"}"#))) == true)
        #expect(delay.filter?.matches(FilterSubject(message: Self.message(#"{"op":"pong"}"#))) == false)
        #expect(try DelayRule(parsing: "300").filter == nil)
        #expect(try DelayRule(parsing: "~json n >= 3=20").milliseconds == 20)
        #expect(try DelayRule(parsing: "=250ms").milliseconds == 250)
        let respond = try RespondRule(parsing: #"~b get_balance={"balance":0}"#)
        #expect(String(buffer: respond.payload) == #"{"balance":0}"#)
        #expect(respond.isText)
        let binary = try RespondRule(parsing: "~op binary=hex:00ff10")
        #expect(Array(binary.payload.readableBytesView) == [0x00, 0xFF, 0x10])
        #expect(!binary.isText)
        #expect(Array(try RespondRule(parsing: "=b64:AAE=").payload.readableBytesView) == [0, 1])
    }

    @Test func badDelayAndRespondRulesSayWhy() {
        for (text, expected) in [
            ("~dir s2c=soon", #"--delay takes FILTER=MS, and "soon" is not a duration"#),
            ("~dir s2c=-5", #"--delay takes FILTER=MS, and "-5" is not a duration"#),
            ("~dir s2c=11m", #"--delay takes FILTER=MS, and "11m" is not a duration"#),
            ("~nope x=5", #"--delay takes FILTER=MS, and "~nope x=5" has no filter before an "=""#),
        ] {
            #expect(throws: RewriteRule.SyntaxError.self) { try DelayRule(parsing: text) }
            do {
                _ = try DelayRule(parsing: text)
            } catch {
                #expect(error.description.hasPrefix(expected), "\(text): \(error.description)")
            }
        }
        do {
            _ = try RespondRule(parsing: "~b x=hex:0g")
            Issue.record("hex:0g was taken")
        } catch {
            #expect(error.description.hasPrefix("--respond: the PAYLOAD after hex:"))
        }
    }

    @Test func respondEndsTheRulesAndDelaysAddUp() throws {
        let stage = RuleStage(rules: [
            .respond(try RespondRule(parsing: "~b ping=pong")),
            .rewrite(try RewriteRule(parsing: "/a/b/")),
            .delay(try DelayRule(parsing: "~dir c2s=100")),
            .delay(try DelayRule(parsing: "~b b=20")),
        ])
        let answered = stage.decide(Self.message("ping"), of: Self.opened)
        #expect(Self.outcome(answered) == "drop by respond #1 ~b ping=pong")
        #expect(answered.reply.map { String(buffer: $0.payload) } == "pong")
        // Delayed: no decision now; it comes later, with the rewrite applied.
        let box = DecisionBox()
        let now = stage.decide(Self.message("a"), of: Self.opened, later: StageReply { box.put($0) })
        #expect(now == nil)
        let later = try #require(box.wait(seconds: 60))
        #expect(Self.outcome(later) == "b by rewrite #2 /a/b/, delay #3 ~dir c2s=100, delay #4 ~b b=20")
        // Nothing to delay: decided at once.
        let direct = stage.decide(Self.message("x", .serverToClient), of: Self.opened, later: StageReply { _ in })
        #expect(direct.map(Self.outcome) == "pass")
        #expect(stage.hitCounts == [1, 1, 1, 1])
    }

    /// Receives a decision from another thread.
    final class DecisionBox: @unchecked Sendable {
        private let condition = NSCondition()
        private var decision: StageDecision?

        func put(_ decision: StageDecision) {
            condition.lock()
            self.decision = decision
            condition.broadcast()
            condition.unlock()
        }

        func wait(seconds: Double) -> StageDecision? {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date(timeIntervalSinceNow: seconds)
            while decision == nil, condition.wait(until: deadline) {}
            return decision
        }
    }
}

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

    @Test func rewriteTemplates() throws {
        #expect(try RewriteRule(parsing: #"/(a)(b)/\2\1\0\\/"#).apply(to: "xaby") == #"xbaab\y"#)
        #expect(try RewriteRule(parsing: "/a//").apply(to: "banana") == "bnn")
        #expect(try RewriteRule(parsing: "/x*/-/").apply(to: "ab") == "-a-b-")
        #expect(try RewriteRule(parsing: "/zzz/y/").apply(to: "ab") == nil)
    }
}

import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapLenses
import WSTapPipeline
import WSTapScript

/// The lines of `--script` (what wstap writes, what it reads back), the chain of stages, and a script stage with
/// a real process, without a proxy.
@Suite struct ScriptStageTests {
    static let opened = TrafficEvent.ConnectionOpened(
        connection: 4, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9001/",
        request: HTTPRequestHead(method: "GET", target: "/chat", version: "HTTP/1.1", headers: ["Host": "chat.test"]),
        response: HTTPResponseHead(version: "HTTP/1.1", statusCode: 101, reason: "Switching Protocols", headers: [:]),
        variant: .rfc6455, framing: .old, subprotocol: "chat.v1", extensions: [],
        at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0), requestBody: [], responseBody: [])

    static func message(_ bytes: [UInt8], isText: Bool = true, _ direction: TrafficDirection = .clientToServer)
        -> TrafficEvent.MessageSeen
    {
        TrafficEvent.MessageSeen(
            connection: 4, direction: direction, isText: isText, payload: ByteBuffer(bytes: bytes),
            length: UInt64(bytes.count), isCut: false, frameCount: 1, wasCompressed: true,
            at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0))
    }

    static func outcome(_ decision: StageDecision) -> String {
        var text: String
        switch decision.verdict {
        case .pass: text = "pass"
        case .drop: text = "drop"
        case .replace(let payload, let isText):
            text = isText ? "text \(String(buffer: payload))" : "binary \(payload.readableBytes)"
        }
        if !decision.by.isEmpty { text += " by \(decision.by)" }
        for injected in decision.inject { text += " +\(String(buffer: injected.payload))" }
        if let reply = decision.reply { text += " reply \(String(buffer: reply.payload))" }
        if let close = decision.close { text += " close \(close.code.rawValue) \(close.reason)" }
        return text
    }

    @Test func theLineForAMessage() {
        let text = ScriptMessage.line(id: 7, Self.message(Array("héllo \"x\"".utf8)), of: Self.opened, lens: nil)
        #expect(
            String(buffer: text)
                == #"{"id":7,"connection":4,"direction":"c2s","opcode":"text","text":"héllo \"x\"","host":"chat.test","path":"/chat","subprotocol":"chat.v1","compressed":true}"#
                + "\n")
        // Binary, and text that is not UTF-8, go as base64.
        let binary = ScriptMessage.line(
            id: 8, Self.message([0xff, 0x00], isText: false, .serverToClient), of: Self.opened, lens: #"{"name":"x"}"#)
        #expect(String(buffer: binary).contains(#""direction":"s2c","opcode":"binary","base64":"/wA=""#))
        #expect(String(buffer: binary).hasSuffix(#""lens":{"name":"x"}}"# + "\n"))
        let badText = ScriptMessage.line(id: 9, Self.message([0xc3]), of: Self.opened, lens: nil)
        #expect(String(buffer: badText).contains(#""opcode":"text","base64":"ww==""#))
    }

    @Test(arguments: [
        (#"{"action":"pass"}"#, "pass"),
        (#"{"id":3,"action":"drop"}"#, "drop by script #1"),
        (#"{"action":"replace","text":"new"}"#, "text new by script #1"),
        (#"{"action":"replace","base64":"AAEC"}"#, "binary 3 by script #1"),
        (#"{"action":"pass","inject":[{"text":"a"},{"text":"b"}]}"#, "pass by script #1 +a +b"),
        (#"{"action":"drop","reply":{"text":"hi"}}"#, "drop by script #1 reply hi"),
        (#"{"action":"close","code":4001,"reason":"done"}"#, "drop by script #1 close 4001 done"),
        (#"{"action":"close"}"#, "drop by script #1 close 1000 "),
    ])
    func answers(line: String, outcome: String) throws {
        let answer = try ScriptAnswer(line: ByteBuffer(string: line), by: "script #1")
        #expect(Self.outcome(answer.decision) == outcome)
    }

    @Test(arguments: [
        ("nonsense", "not an answer"),
        (#"{"text":"x"}"#, #"no "action""#),
        (#"{"action":"explode"}"#, #""explode" is no action"#),
        (#"{"action":"replace"}"#, #""replace" needs "text" or "base64""#),
        (#"{"action":"replace","base64":"***"}"#, "replace: \"base64\" is not base64"),
        (#"{"action":"close","code":1005}"#, "1005 is not a close code an endpoint may send"),
        (#"{"action":"pass","inject":[{}]}"#, "inject[0] needs"),
        (#"{"action":7}"#, "not an answer: action"),
    ])
    func badAnswersSayWhatIsWrong(line: String, words: String) {
        #expect {
            try ScriptAnswer(line: ByteBuffer(string: line), by: "script #1")
        } throws: { error in
            String(describing: error).contains(words)
        }
    }

    /// Stages in a chain: each sees what the one before left; a stage that decides later holds the rest.
    @Test func aChainOfStages() async throws {
        struct Upper: TrafficStage {
            func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool { true }
            func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision
            {
                StageDecision(
                    verdict: .replace(ByteBuffer(string: String(buffer: message.payload).uppercased()), isText: true),
                    by: "upper")
            }
        }
        struct Later: TrafficStage {
            func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool { true }
            func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision
            {
                .pass
            }
            func decide(
                _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
            ) -> StageDecision? {
                let text = String(buffer: message.payload)
                DispatchQueue.global().async {
                    var decision = StageDecision(
                        verdict: .replace(ByteBuffer(string: text + "!"), isText: true), by: "later")
                    decision.inject = [(ByteBuffer(string: "more"), true)]
                    if text.hasPrefix("DROP") { decision.verdict = .drop }
                    later(decision)
                }
                return nil
            }
        }
        let chain = StageChain([Upper(), Later(), Upper()])
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let reply = StageReply { continuation.yield(Self.outcome($0)) }
        #expect(chain.decide(Self.message(Array("hi".utf8)), of: Self.opened, later: reply) == nil)
        #expect(chain.decide(Self.message(Array("drop it".utf8)), of: Self.opened, later: reply) == nil)
        var outcomes: [String] = []
        for await outcome in stream {
            outcomes.append(outcome)
            if outcomes.count == 2 { break }
        }
        #expect(
            outcomes.sorted()
                == ["drop by upper, later +more", "text HI! by upper, later, upper +more"])
        #expect(
            Self.outcome(StageChain([Upper(), Upper()]).decide(Self.message(Array("a".utf8)), of: Self.opened))
                == "text A by upper, upper")
    }

    /// A script stage with a real process (a shell loop): its answers come back as decisions; once it exits,
    /// messages pass, and it is started again.
    @Test(.timeLimit(.minutes(2))) func aScriptStageWithARealProcess() async throws {
        let (reports, reported) = AsyncStream.makeStream(of: String.self)
        let script = #"read line; echo '{"action":"replace","text":"changed"}'; read line; exit 3"#
        var configuration = ScriptStage.Configuration(command: script, timeout: .seconds(60), lenses: .off)
        configuration.firstBackoff = .milliseconds(10)
        let stage = ScriptStage(configuration) { reported.yield($0) }
        await stage.start()
        defer { stage.stop() }
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let reply = StageReply { continuation.yield(Self.outcome($0)) }
        var answers = stream.makeAsyncIterator()
        #expect(stage.decide(Self.message(Array("one".utf8)), of: Self.opened, later: reply) == nil)
        #expect(await answers.next() == "text changed by script #1")
        #expect(stage.decide(Self.message(Array("two".utf8)), of: Self.opened, later: reply) == nil)
        #expect(await answers.next() == "pass by script #1 closed its output")
        var seen: [String] = []
        for await report in reports {
            seen.append(report)
            let starts = seen.filter { $0.hasPrefix("script #1 started (pid") }.count
            if starts == 2, seen.contains("script #1 exited with status 3") { break }
        }
        #expect(seen.contains { $0.hasPrefix("script #1 closed its output (failure 1): messages pass unchanged") })
        #expect(stage.counts.exits == 1)
        #expect(stage.counts.answered == 1)
        #expect(stage.counts.starts == 2)
    }
}

import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapFilter
import WSTapPipeline

/// Stages acting as one: each sees what the ones before made of the message, a drop ends the chain, a stage that
/// answers later holds the rest until it does, and a frame is held when any stage holds it.
@Suite struct StageChainTests {
    typealias Rules = RuleStageTests

    /// A stage that keeps every message's reply, to answer by hand; it acts on one direction and holds the
    /// frames of the other whose payload starts with "hold".
    final class HandStage: TrafficStage, @unchecked Sendable {
        private let replies = NIOLockedValueBox<[(text: String, reply: StageReply)]>([])
        let direction: TrafficDirection

        init(acting on: TrafficDirection) {
            direction = on
        }

        func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
            direction == self.direction
        }

        func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
            .pass
        }

        func decide(
            _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
        ) -> StageDecision? {
            replies.withLockedValue { $0.append((String(buffer: message.payload), later)) }
            return nil
        }

        func holdsFrames(going direction: TrafficDirection) -> Bool { direction != self.direction }

        func holds(_ frame: TrafficEvent.FrameSeen) -> Bool {
            String(buffer: frame.readablePayload).hasPrefix("hold")
        }

        /// The messages waiting for an answer, as their stage saw them.
        var waiting: [String] { replies.withLockedValue { $0.map(\.text) } }

        /// Answers the oldest message.
        func answer(_ decision: StageDecision) {
            let reply = replies.withLockedValue { $0.removeFirst().reply }
            reply(decision)
        }
    }

    @Test func eachStageSeesWhatTheOnesBeforeMadeOfTheMessage() throws {
        let first = RuleStage(rules: [.rewrite(try RewriteRule(parsing: "/user/admin/"))])
        let second = RuleStage(rules: [
            .rewrite(try RewriteRule(parsing: "/admin/root/")),
            .drop(try FilterExpression(parsing: "~b secret"), text: "~b secret"),
        ])
        let third = RuleStage(rules: [.rewrite(try RewriteRule(parsing: "/root/x/"))])
        let chain = StageChain([first, second, third])
        #expect(
            Rules.outcome(chain.decide(Rules.message("user"), of: Rules.opened))
                == "x by rewrite #1 /user/admin/, rewrite #1 /admin/root/, rewrite #1 /root/x/")
        #expect(
            Rules.outcome(chain.decide(Rules.message("user secret"), of: Rules.opened))
                == "drop by rewrite #1 /user/admin/, drop #2 ~b secret")
        #expect(third.hitCounts == [1], "the drop ended the chain before the third stage")
        #expect(Rules.outcome(chain.decide(Rules.message("nothing"), of: Rules.opened)) == "pass")
    }

    @Test func aStageThatAnswersLaterHoldsTheRest() throws {
        let hand = HandStage(acting: .clientToServer)
        let rules = RuleStage(rules: [.rewrite(try RewriteRule(parsing: "/b/c/"))])
        let chain = StageChain([RuleStage(rules: [.rewrite(try RewriteRule(parsing: "/a/b/"))]), hand, rules])
        let answers = NIOLockedValueBox<[String]>([])
        let reply = StageReply { decision in answers.withLockedValue { $0.append(Rules.outcome(decision)) } }

        #expect(chain.decide(Rules.message("a"), of: Rules.opened, later: reply) == nil)
        #expect(hand.waiting == ["b"], "the hand stage got the first stage's rewrite")
        #expect(rules.hitCounts == [0], "the last stage waits for the hand stage")
        hand.answer(.pass)
        #expect(answers.withLockedValue { $0 } == ["c by rewrite #1 /a/b/, rewrite #1 /b/c/"])

        #expect(chain.decide(Rules.message("a"), of: Rules.opened, later: reply) == nil)
        hand.answer(StageDecision(verdict: .drop, by: "hand"))
        #expect(answers.withLockedValue { $0.last } == "drop by rewrite #1 /a/b/, hand")
        #expect(rules.hitCounts == [1])

        // The hand stage does not act on the other direction: decided at once.
        let other = chain.decide(Rules.message("a", .serverToClient), of: Rules.opened, later: reply)
        #expect(other.map(Rules.outcome) == "c by rewrite #1 /a/b/, rewrite #1 /b/c/")
    }

    @Test func aFrameIsHeldWhenAStageHoldsIt() throws {
        let chain = StageChain([RuleStage(rules: []), HandStage(acting: .clientToServer)])
        #expect(chain.holdsFrames(going: .serverToClient))
        #expect(!chain.holdsFrames(going: .clientToServer))
        #expect(!StageChain([RuleStage(rules: [])]).holdsFrames(going: .serverToClient))
        func frame(_ text: String, _ direction: TrafficDirection) -> TrafficEvent.FrameSeen {
            let payload = ByteBuffer(string: text)
            let header = FrameHeader(opcode: .text, payloadLength: UInt64(payload.readableBytes))
            return TrafficEvent.FrameSeen(
                connection: 1, direction: direction, content: .rfc6455(DecodedFrame(header: header, payload: payload)),
                at: TrafficTimestamp(wallSeconds: 0, monotonicNanoseconds: 0))
        }
        #expect(chain.holds(frame("hold this", .serverToClient)))
        #expect(!chain.holds(frame("pass this", .serverToClient)))
        #expect(!chain.holds(frame("hold this", .clientToServer)), "no stage holds frames going that way")
    }
}

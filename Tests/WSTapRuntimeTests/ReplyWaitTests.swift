import Testing
import WSTapRuntime

/// `wstap connect`'s wait, at the end of its input, for the replies still due.
@Suite struct ReplyWaitTests {
    @Test func returnsOnceEveryReplyCameBack() async {
        let replies = ReplyWait()
        replies.sent(3)
        replies.receivedOne()
        let waiting = Task { await replies.untilAnswered(within: .seconds(600)) }
        replies.receivedOne()
        replies.receivedOne()
        await waiting.value  // would take 600 s if the last reply did not end the wait
    }

    @Test func returnsAtOnceWhenNothingIsDue() async {
        let replies = ReplyWait()
        replies.sent(2)
        replies.receivedOne()
        replies.receivedOne()
        await replies.untilAnswered(within: .seconds(600))
    }

    @Test func givesUpAfterItsLimit() async {
        let replies = ReplyWait()
        replies.sent(1)
        await replies.untilAnswered(within: .milliseconds(10))
    }
}

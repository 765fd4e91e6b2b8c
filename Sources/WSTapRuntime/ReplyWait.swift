/// Counts the messages `wstap connect` sent and received, so that at the end of its input it can wait for the
/// answers still on their way before it closes: a server that answers a close at once (python websockets
/// does) drops the replies it had not sent yet.
public actor ReplyWait {
    private var sent = 0
    private var received = 0
    private var waiter: CheckedContinuation<Void, Never>?
    /// Set once the wait is over, so that a waiting task that starts late does not wait any more.
    private var stoppedWaiting = false

    /// Nothing sent or received yet.
    public init() {}

    /// One message went out.
    public func sentOne() {
        sent += 1
    }

    /// One message came in.
    public func receivedOne() {
        received += 1
        if received >= sent { resume() }
    }

    /// Returns once as many messages came in as went out, or after `limit`, whichever is first.
    public func untilAnswered(within limit: Duration) async {
        guard limit > .zero, sent > received else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForAnswers() }
            group.addTask {
                try? await Task.sleep(for: limit)
                await self.resume()
            }
            await group.next()
            stoppedWaiting = true
            resume()
            group.cancelAll()
        }
    }

    private func waitForAnswers() async {
        guard sent > received, !stoppedWaiting else { return }
        await withCheckedContinuation { waiter = $0 }
    }

    private func resume() {
        waiter?.resume()
        waiter = nil
    }
}

/// The messages a `wait:` step of a preamble (``Preamble``) looks at: every message's text from the time the
/// connection opened until the preamble is over, so that an answer that arrives before its `wait:` step starts
/// is not missed. A step looks only at what came after the message that ended the step before it.
actor MessageWaiter {
    private var texts: [String] = []
    private var looked = 0
    private var listening = true
    private var waiter: CheckedContinuation<Void, Never>?

    /// A message arrived (its text, or its bytes as UTF-8 where they are).
    func received(_ text: String) {
        guard listening else { return }
        texts.append(text)
        waiter?.resume()
        waiter = nil
    }

    /// The preamble is over: messages are no longer kept.
    func stopListening() {
        listening = false
        texts = []
        waiter?.resume()
        waiter = nil
    }

    /// Waits until a message matches `pattern` (true) or `limit` passes (false).
    func wait(for pattern: String, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        let timer = Task {
            try await Task.sleep(until: deadline)
            self.wake()
        }
        defer { timer.cancel() }
        while listening {
            while looked < texts.count {
                looked += 1
                if Preamble.matches(pattern, texts[looked - 1]) { return true }
            }
            if ContinuousClock.now >= deadline { return false }
            await withCheckedContinuation { waiter = $0 }
        }
        return false
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }
}

import Testing
import WSTapMutation
import WSTapTestSupport

@testable import WSTapRuntime

/// `wstap connect --reconnect` and `--preamble` without a network: the waits between attempts, and the
/// steps a preamble file makes.
@Suite struct ReconnectPreambleTests {
    @Test func theBaseWaitDoublesUpToTheMaximum() {
        let backoff = ReconnectBackoff(maximum: .seconds(10))
        #expect((1...7).map { backoff.base(attempt: $0) } == [1, 2, 4, 8, 10, 10, 10].map { .seconds($0) })
        #expect(ReconnectBackoff(maximum: .milliseconds(300)).base(attempt: 1) == .milliseconds(300))
    }

    @Test func eachWaitIsBetweenHalfAndAllOfTheBaseAndTheyDiffer() {
        let backoff = ReconnectBackoff(maximum: .seconds(30))
        var random = FuzzRandom(seed: 7)
        var seen: Set<Duration> = []
        for attempt in 1...50 {
            let base = backoff.base(attempt: attempt)
            let delay = backoff.delay(attempt: attempt, using: &random)
            #expect(delay >= base / 2 && delay <= base, "attempt \(attempt): \(delay)")
            seen.insert(delay)
        }
        #expect(seen.count > 40, "jitter: the waits are not all the same")
    }

    @Test func aPreambleIsMessagesPausesAndWaits() throws {
        let preamble = try Preamble(text: "login alice\r\n\nwait:^welcome\nwait:\n{\"op\":\"sub\"}\n", name: "p.txt")
        #expect(
            preamble.steps == [
                .send("login alice"), .pause(.seconds(1)), .waitFor("^welcome"), .waitFor(""),
                .send("{\"op\":\"sub\"}"),
            ])
        #expect(Preamble.matches("^wel+come", "welcome back"))
        #expect(!Preamble.matches("^welcome", "you are welcome"))
    }

    @Test func aWaitThatIsNotARegularExpressionIsAnErrorNamingItsLine() {
        #expect {
            _ = try Preamble(text: "hello\nwait:(unclosed\n", name: "p.txt")
        } throws: { error in
            "\(error)".hasPrefix("p.txt:2: wait:(unclosed is not a regular expression")
        }
    }

    @Test func aMissingPreambleFileIsAnErrorNamingIt() {
        #expect {
            _ = try Preamble(contentsOf: "/nonexistent/preamble.txt")
        } throws: { error in
            "\(error)".hasPrefix("--preamble /nonexistent/preamble.txt: cannot read it")
        }
    }
}

/// The lines kept across reconnections: lines taken by a connection that ended first go first on the next.
@Suite struct OutgoingLinesTests {
    /// A source that hands out the given batches, each when the test releases it.
    actor Script {
        var batches: [[String]?]
        var waiting: [CheckedContinuation<[String]?, Never>] = []
        var released = 0
        init(_ batches: [[String]?]) { self.batches = batches }
        func next() async -> [String]? { await withCheckedContinuation { waiting.append($0) } }
        func release() {
            guard !waiting.isEmpty, !batches.isEmpty else { return }
            waiting.removeFirst().resume(returning: batches.removeFirst())
            released += 1
        }
        var readers: Int { waiting.count }
    }

    /// Waits (60 s at most: a guard against a hang) until `condition` holds.
    static func until(_ condition: () async -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(60)
        while await !condition(), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func linesReadForACancelledTakerGoToTheNextOneInOrder() async {
        let script = Script([["one", "two"], ["three"], nil])
        let lines = OutgoingLines { await script.next() }
        let old = Task { await lines.next() }
        await Self.until { await script.readers == 1 }
        old.cancel()
        let fresh = Task { await lines.next() }
        await script.release()
        #expect(await old.value == nil)
        #expect(await fresh.value == ["one", "two"])
        // "two" was not sent: it goes first, then the next read.
        await lines.giveBack(["two"])
        #expect(await lines.next() == ["two"])
        let next = Task { await lines.next() }
        await Self.until { await script.readers == 1 }
        await script.release()
        #expect(await next.value == ["three"])
        #expect(await !lines.isFinished)
        let end = Task { await lines.next() }
        await Self.until { await script.readers == 1 }
        await script.release()
        #expect(await end.value == nil)
        #expect(await lines.isFinished)
        #expect(await script.released == 3, "one read per batch")
    }
}

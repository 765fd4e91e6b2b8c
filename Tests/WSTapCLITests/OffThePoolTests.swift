import Foundation
import Testing
import WSTapTestSupport

/// `offThePool` (the tests' support for blocking work): the work runs on threads of its own, not on the few
/// of the concurrency pool, and still in the test that called it, so its expectations count for that test.
@Suite struct OffThePoolTests {
    /// More blocking calls at once than the pool has threads: each waits until all of them are running,
    /// which on the pool would never happen (the wait gives up after 60 s, for a hung test only).
    @Test func moreBlockingCallsThanThePoolHasThreadsRunAtOnce() async {
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let barrier = Barrier(count: count)
        let allMet = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<count {
                group.addTask { await offThePool { barrier.arriveAndWait(within: 60) } }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(allMet)
    }

    @Test func theWorkIsPartOfTheCallingTest() async throws {
        let test = await offThePool { Test.current?.name }
        #expect(test == "theWorkIsPartOfTheCallingTest()")
        struct Thrown: Error {}
        await #expect(throws: Thrown.self) { try await offThePool { () throws(Thrown) in throw Thrown() } }
    }

    /// Lets callers through once `count` of them have arrived.
    final class Barrier: @unchecked Sendable {
        private let condition = NSCondition()
        private let count: Int
        /// Guarded by `condition`.
        private var arrived = 0

        init(count: Int) {
            self.count = count
        }

        /// Whether all arrived within `seconds`.
        func arriveAndWait(within seconds: Double) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            arrived += 1
            condition.broadcast()
            let deadline = Date().addingTimeInterval(seconds)
            while arrived < count {
                guard condition.wait(until: deadline) else { return false }
            }
            return true
        }
    }
}

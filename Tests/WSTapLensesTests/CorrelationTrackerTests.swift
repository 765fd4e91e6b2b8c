import Testing
import WSTapCore
import WSTapLenses

/// Requests paired with their answers, driven by a fake clock: latency from the events' monotonic times,
/// unanswered after the timeout, streams, cancellations, and each connection and direction apart.
@Suite struct CorrelationTrackerTests {
    /// Milliseconds since an arbitrary start, as the events' timestamps.
    static func at(_ milliseconds: UInt64) -> TrafficTimestamp {
        TrafficTimestamp(
            wallSeconds: 1_000 + Double(milliseconds) / 1_000, monotonicNanoseconds: milliseconds * 1_000_000)
    }

    static func observe(
        _ tracker: inout CorrelationTracker, _ id: String, _ role: LensCorrelation.Role, ends: Bool? = nil,
        connection: UInt64 = 1, _ direction: TrafficDirection, at milliseconds: UInt64
    ) -> (
        outcome: CorrelationTracker.Outcome, unanswered: [CorrelationTracker.Pending],
        request: CorrelationTracker.Pending?
    ) {
        tracker.observe(
            LensCorrelation(id: id, role: role, ends: ends), lens: "test", summary: "\(role) \(id)", method: "m \(id)",
            connection: connection, direction: direction, at: at(milliseconds))
    }

    @Test func aResponseGetsItsLatencyFromTheRequest() {
        var tracker = CorrelationTracker()
        #expect(Self.observe(&tracker, "1", .request, .clientToServer, at: 100).outcome == .waiting)
        #expect(tracker.waiting.map(\.id) == ["1"])
        let answer = Self.observe(&tracker, "1", .response, .serverToClient, at: 142)
        #expect(answer.outcome == .answered(latencyNanoseconds: 42_000_000))
        #expect(answer.request?.method == "m 1")
        #expect(tracker.waiting.isEmpty)
        // Answered once: a second answer has no request left.
        #expect(Self.observe(&tracker, "1", .response, .serverToClient, at: 150).outcome == .unmatched)
    }

    @Test func answersComeTheOtherWayOnTheSameConnection() {
        var tracker = CorrelationTracker()
        _ = Self.observe(&tracker, "ping", .request, .serverToClient, at: 0)
        // The same id the same way is no answer; nor is one on another connection.
        #expect(Self.observe(&tracker, "ping", .response, .serverToClient, at: 1).outcome == .unmatched)
        #expect(Self.observe(&tracker, "ping", .response, connection: 2, .clientToServer, at: 2).outcome == .unmatched)
        #expect(
            Self.observe(&tracker, "ping", .response, .clientToServer, at: 5).outcome
                == .answered(latencyNanoseconds: 5_000_000))
        // Each side's own packet ids: the client's 5 and the server's 5 are two exchanges.
        _ = Self.observe(&tracker, "pub 5", .request, .clientToServer, at: 10)
        _ = Self.observe(&tracker, "pub 5", .request, .serverToClient, at: 11)
        #expect(
            Self.observe(&tracker, "pub 5", .response, .clientToServer, at: 20).outcome
                == .answered(latencyNanoseconds: 9_000_000))
        #expect(
            Self.observe(&tracker, "pub 5", .response, .serverToClient, at: 30).outcome
                == .answered(latencyNanoseconds: 20_000_000))
    }

    @Test func aStreamStaysOpenUntilItsLastItem() {
        var tracker = CorrelationTracker(timeoutNanoseconds: 1_000_000_000)
        _ = Self.observe(&tracker, "1", .request, .clientToServer, at: 0)
        #expect(
            Self.observe(&tracker, "1", .response, ends: false, .serverToClient, at: 10).outcome
                == .answered(latencyNanoseconds: 10_000_000))
        #expect(
            Self.observe(&tracker, "1", .response, ends: false, .serverToClient, at: 20).outcome
                == .answered(latencyNanoseconds: 20_000_000))
        // Answered already: not unanswered, however long it stays open.
        #expect(tracker.expire(now: Self.at(5_000)).isEmpty)
        _ = Self.observe(&tracker, "2", .request, .clientToServer, at: 6_000)
        #expect(Self.observe(&tracker, "2", .event, ends: true, .clientToServer, at: 6_001).outcome == .event)
        #expect(tracker.waiting.isEmpty)
    }

    @Test func unansweredAfterTheTimeout() {
        var tracker = CorrelationTracker(timeoutNanoseconds: 30_000_000_000)
        _ = Self.observe(&tracker, "a", .request, .clientToServer, at: 0)
        _ = Self.observe(&tracker, "b", .request, .clientToServer, at: 10_000)
        _ = Self.observe(&tracker, "c", .request, .clientToServer, at: 20_000)
        _ = Self.observe(&tracker, "b", .response, .serverToClient, at: 20_500)
        #expect(tracker.expire(now: Self.at(30_000)).isEmpty)
        #expect(tracker.expire(now: Self.at(30_001)).map(\.id) == ["a"])
        #expect(tracker.expire(now: Self.at(45_000)).isEmpty)
        let late = tracker.expire(now: Self.at(50_001))
        #expect(late.map(\.id) == ["c"])
        #expect(late.first?.summary == "request c")
        #expect(late.first?.method == "m c")
        #expect(late.first?.at == Self.at(20_000))
        // Too late: its answer no longer finds it.
        #expect(Self.observe(&tracker, "c", .response, .serverToClient, at: 50_002).outcome == .unmatched)
    }

    @Test func aRepeatedIDOrAFullTrackerDisplacesTheOldRequest() {
        var tracker = CorrelationTracker(capacity: 2)
        _ = Self.observe(&tracker, "1", .request, .clientToServer, at: 0)
        #expect(Self.observe(&tracker, "1", .request, .clientToServer, at: 1).unanswered.map(\.at) == [Self.at(0)])
        _ = Self.observe(&tracker, "2", .request, .clientToServer, at: 2)
        #expect(Self.observe(&tracker, "3", .request, .clientToServer, at: 3).unanswered.map(\.id) == ["1"])
        #expect(tracker.waiting.map(\.id) == ["2", "3"])
    }

    @Test func aClosedConnectionsRequestsAreUnanswered() {
        var tracker = CorrelationTracker()
        _ = Self.observe(&tracker, "1", .request, connection: 1, .clientToServer, at: 0)
        _ = Self.observe(&tracker, "1", .request, connection: 2, .clientToServer, at: 0)
        _ = Self.observe(&tracker, "2", .request, connection: 1, .clientToServer, at: 0)
        _ = Self.observe(&tracker, "2", .response, ends: false, connection: 1, .serverToClient, at: 1)
        #expect(tracker.close(connection: 1).map(\.id) == ["1"])
        #expect(tracker.waiting.map(\.connection) == [2])
    }

    /// Many exchanges through a small tracker: the list of keys it keeps stays bounded.
    @Test func manyExchangesKeepItSmall() {
        var tracker = CorrelationTracker(timeoutNanoseconds: 1_000_000)
        for step in UInt64(0)..<20_000 {
            _ = Self.observe(&tracker, "\(step)", .request, .clientToServer, at: step)
            if step % 2 == 0 { _ = Self.observe(&tracker, "\(step)", .response, .serverToClient, at: step) }
            _ = tracker.expire(now: Self.at(step))
        }
        #expect(tracker.waiting.count <= 2)
    }
}

import Testing
import WSTapCore
import WSTapRuntime
import WSTapUI

/// The inbox between the network and the terminal UI's loop: frame numbers, batches, the bound.
@Suite struct UIEventInboxTests {
    /// The traffic events of a drain, in order (and the other events, which come first).
    private func split(_ events: [UIEvent]) -> (other: [UIEvent], traffic: [TrafficEvent]) {
        var other: [UIEvent] = []
        var traffic: [TrafficEvent] = []
        for event in events {
            if case .traffic(let batch) = event { traffic += batch } else { other.append(event) }
        }
        return (other, traffic)
    }

    @Test func framesAreNumberedFromZeroAndOtherEventsAreNot() {
        let inbox = UIEventInbox()
        #expect(inbox.add(TrafficEvents.opened(1)) == nil)
        let numbers = TrafficEvents.texts(["a", "b", "c"]).map { inbox.add($0) }
        #expect(numbers == [0, 1, 2])
        #expect(inbox.add(.note(connection: 1, text: "n", at: TrafficEvents.at)) == nil)
        #expect(inbox.add(TrafficEvents.texts(["d"])[0]) == 3)
        #expect(inbox.pendingTrafficCount == 6)
    }

    @Test func aDrainHandsOverEverythingOnceOtherEventsFirst() {
        let inbox = UIEventInbox()
        for event in TrafficEvents.texts(["one", "two"]) { inbox.add(event) }
        inbox.add(UIEvent.notice("hello"))
        let (other, traffic) = split(inbox.drain())
        guard case .notice("hello") = other.first else {
            Issue.record("expected the notice first, got \(other)")
            return
        }
        #expect(traffic.map(TrafficEvents.text(of:)) == ["one", "two"])
        #expect(inbox.pendingTrafficCount == 0)
        #expect(inbox.drain().isEmpty)
    }

    @Test func aDrainTakesAtMostABatchAndTheRestWaitsInOrder() {
        let inbox = UIEventInbox()
        let texts = (0..<10).map { "m\($0)" }
        for event in TrafficEvents.texts(texts) { inbox.add(event) }
        var seen: [String?] = []
        var batches = 0
        while inbox.pendingTrafficCount > 0 {
            let (_, traffic) = split(inbox.drain(maxTraffic: 4))
            #expect(traffic.count <= 4)
            seen += traffic.map(TrafficEvents.text(of:))
            batches += 1
        }
        #expect(batches == 3)
        #expect(seen == texts)
        // Frames added after a partial drain keep counting.
        #expect(inbox.add(TrafficEvents.texts(["late"])[0]) == 10)
    }

    @Test func pastTheLimitTrafficIsCountedDroppedAndSaidOnce() {
        let inbox = UIEventInbox(limit: 3)
        let numbers = TrafficEvents.texts(["a", "b", "c", "d", "e"]).map { inbox.add($0) }
        #expect(numbers == [0, 1, 2, nil, nil])
        inbox.add(UIEvent.notice("other events are never dropped"))
        let (other, traffic) = split(inbox.drain())
        #expect(traffic.map(TrafficEvents.text(of:)) == ["a", "b", "c"])
        let notices = other.compactMap { event -> String? in
            guard case .notice(let text) = event else { return nil }
            return text
        }
        #expect(
            notices == [
                "other events are never dropped", "2 events came faster than the screen could take them: not shown",
            ])
        // Room again once drained, and the drop is not said twice.
        #expect(inbox.add(TrafficEvents.texts(["f"])[0]) == 3)
        #expect(split(inbox.drain()).other.isEmpty)
    }
}

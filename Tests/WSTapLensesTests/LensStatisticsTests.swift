import NIOCore
import Testing
import WSTapCore
import WSTapLenses

/// The numbers per connection and per method, from a reader's readings with a fake clock.
@Suite struct LensStatisticsTests {
    /// Feeds `events` to a reader and the statistics, as `wstap stats` does.
    static func statistics(_ events: [TrafficEvent], reader: inout LensReader) -> LensStatistics {
        var statistics = LensStatistics()
        for event in events {
            let read = reader.read(event)
            statistics.add(event)
            if case .message(let message) = event {
                for reading in read.readings { statistics.add(reading, bytes: message.length ?? 0) }
            }
            for request in read.unanswered { statistics.add(unanswered: request) }
        }
        return statistics
    }

    @Test func latenciesPerMethodAndCountsPerConnection() throws {
        var events = [LensReaderTests.opened(1, target: "/socket.io/?EIO=4")]
        // Ten calls of "add", answered after 1..10 ms; one "slow" never answered; one that does not parse.
        for call in UInt64(1)...10 {
            events.append(LensReaderTests.message(1, .text("42\(call)[\"add\",1]", .clientToServer), at: call * 100))
            events.append(LensReaderTests.message(1, .text("43\(call)[2]", .serverToClient), at: call * 100 + call))
        }
        events.append(LensReaderTests.message(1, .text(#"4299["slow"]"#, .clientToServer), at: 2_000))
        events.append(LensReaderTests.message(1, .text("4x", .serverToClient), at: 2_001))
        events.append(LensReaderTests.closed(1, at: 3_000))
        var reader = LensReader(choice: .automatic)
        let statistics = Self.statistics(events, reader: &reader)

        let add = try #require(statistics.methods.first { $0.method == "add" })
        #expect(add.count == 10)
        #expect(add.answers == 10)
        #expect(add.latency(percentile: 0.5) == 5_000_000)
        #expect(add.latency(percentile: 0.99) == 10_000_000)
        #expect(add.latencies.max() == 10_000_000)
        #expect(statistics.methods.first == add, "the most frequent first")
        let slow = try #require(statistics.methods.first { $0.method == "slow" })
        #expect(slow.unanswered == 1)
        #expect(slow.latency(percentile: 0.5) == nil)

        let connection = try #require(statistics.connections.first)
        #expect(connection.lens == "socketio")
        #expect(connection.target == "ws://127.0.0.1:9001/socket.io/?EIO=4")
        #expect(connection.messages[.clientToServer] == 11)
        #expect(connection.messages[.serverToClient] == 11)
        #expect(connection.errors == 1)
        #expect(connection.seconds == 3)
    }

    @Test func mqttAnswersCountUnderTheirRequestsTopic() throws {
        var events = [LensReaderTests.opened(1, subprotocol: "mqtt")]
        for (step, message) in Fixtures.mqtt311.enumerated() {
            events.append(LensReaderTests.message(1, message, at: UInt64(step) * 10))
        }
        var reader = LensReader(choice: .automatic)
        let statistics = Self.statistics(events, reader: &reader)
        let published = try #require(statistics.methods.first { $0.method == "PUBLISH sensors/t1" })
        // The client's PUBLISH and the broker's, each answered by a PUBACK 10 ms later.
        #expect(published.count == 2)
        #expect(published.answers == 2)
        #expect(published.latencies == [10_000_000, 10_000_000])
        let subscribed = try #require(statistics.methods.first { $0.method == "SUBSCRIBE sensors/# q1" })
        #expect(subscribed.answers == 1)
        #expect(statistics.methods.contains { $0.method == "CONNECT" && $0.answers == 1 })
    }
}

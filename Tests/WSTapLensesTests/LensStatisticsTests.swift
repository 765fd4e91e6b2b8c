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
        #expect(add.maxLatency == 10_000_000)
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
        #expect(published.latencies.count == 2)
        #expect(published.latency(percentile: 0.5) == 10_000_000 && published.maxLatency == 10_000_000)
        let subscribed = try #require(statistics.methods.first { $0.method == "SUBSCRIBE sensors/# q1" })
        #expect(subscribed.answers == 1)
        #expect(statistics.methods.contains { $0.method == "CONNECT" && $0.answers == 1 })
    }

    /// A long session: a method's latencies are kept in bounded memory, its p50, p99 and max still right
    /// (within 1/128 past the first 1,024 answers; max exact).
    @Test func latenciesStayBoundedInALongSession() throws {
        var events = [LensReaderTests.opened(1, target: "/socket.io/?EIO=4")]
        // 3,000 calls, answered after 1..3000 ms (in a scrambled order), each call 10 s after the last.
        let calls: UInt64 = 3_000
        for call in UInt64(1)...calls {
            let latency = call * 1_777 % calls + 1
            events.append(LensReaderTests.message(1, .text("42\(call)[\"add\"]", .clientToServer), at: call * 10_000))
            events.append(
                LensReaderTests.message(1, .text("43\(call)[]", .serverToClient), at: call * 10_000 + latency))
        }
        var reader = LensReader(choice: .automatic)
        let add = try #require(Self.statistics(events, reader: &reader).methods.first { $0.method == "add" })
        #expect(add.answers == 3_000 && add.latencies.count == 3_000)
        #expect(add.latencies.keptNumbers < 1_100, "\(add.latencies.keptNumbers) numbers kept for 3,000 answers")
        #expect(add.maxLatency == 3_000_000_000)
        for (fraction, exact) in [(0.5, 1_500_000_000.0), (0.99, 2_970_000_000.0)] {
            let found = Double(try #require(add.latency(percentile: fraction)))
            #expect(abs(found - exact) <= exact / 128, "p\(Int(fraction * 100)) \(found) against \(exact)")
        }
    }

    @Test func latencyRecordIsExactWhileSmallAndBoundedAfter() {
        var record = LatencyRecord()
        #expect(record.percentile(0.5) == nil && record.max == nil)
        for value in [30, 10, 20] as [UInt64] { record.add(value) }
        #expect(record.percentile(0.5) == 20 && record.percentile(0.99) == 30 && record.percentile(0) == 10)
        // 100,000 values 1...100,000 µs in a scrambled order: percentiles within 1/128, never above the max.
        var large = LatencyRecord()
        let count: UInt64 = 100_000
        for index in UInt64(0)..<count { large.add((index * 7_919 % count + 1) * 1_000) }
        #expect(large.count == 100_000 && large.max == 100_000_000)
        #expect(large.keptNumbers < 2_000, "\(large.keptNumbers)")
        for fraction in [0.01, 0.5, 0.9, 0.99, 0.999, 1] {
            let exact = (fraction * Double(count)).rounded(.up) * 1_000
            let found = Double(large.percentile(fraction) ?? 0)
            #expect(abs(found - exact) <= exact / 128 && found <= 100_000_000, "p\(fraction): \(found) vs \(exact)")
        }
    }
}

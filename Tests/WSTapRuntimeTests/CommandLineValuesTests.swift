import Testing
import WSTapCore
import WSTapRuntime
import WSTapSession

/// Values the commands take from the command line and print: `-H` headers, round-trip times.
@Suite struct CommandLineValuesTests {
    @Test func headersKeepTheirOrderAndLoseTheSpaceAroundThem() throws {
        let fields = try HTTPHeaderFields(commandLine: ["X-One: 1", "  Cookie :a=b; c=d ", "X-One:two:three", "Empty:"])
        #expect(fields.values("X-One") == ["1", "two:three"])
        #expect(fields.first("Cookie") == "a=b; c=d")
        #expect(fields.first("Empty") == "")
    }

    @Test(arguments: ["no colon", ": no name", ""])
    func aHeaderWithoutANameIsAnErrorQuotingIt(_ header: String) {
        #expect {
            _ = try HTTPHeaderFields(commandLine: ["Good: 1", header])
        } throws: { error in
            "\(error)" == "-H '\(header)': a header is 'Name: value'"
        }
    }

    @Test func roundTripsPrintAsMillisecondsWithThreeDecimals() {
        #expect(DurationText.milliseconds(.microseconds(123)) == "0.123")
        #expect(DurationText.milliseconds(.microseconds(5)) == "0.005")
        #expect(DurationText.milliseconds(.nanoseconds(1_234_567_999)) == "1234.567")
        #expect(DurationText.milliseconds(.zero) == "0.000")
    }

    @Test func viewFiltersReadTheirWords() throws {
        let filter = try RecordingFilter(connection: 3, direction: "s2c", opcode: "text", pattern: "ne+dle")
        #expect(filter.connection == 3)
        #expect(filter.direction == .serverToClient)
        #expect(filter.opcode == .text)
        let frames = TrafficEvents.texts(["a neeedle", "hay"], connection: 3)
        #expect(frames.map(filter.matches) == [true, false])
        #expect(try RecordingFilter(connection: nil, direction: nil, opcode: "10", pattern: nil).opcode == .pong)
    }

    @Test func aViewFilterWordThatIsNotOneIsAnError() {
        func message(direction: String? = nil, opcode: String? = nil, pattern: String? = nil) -> String? {
            do {
                _ = try RecordingFilter(connection: nil, direction: direction, opcode: opcode, pattern: pattern)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message(direction: "up") == "--dir 'up': expected c2s or s2c")
        #expect(message(opcode: "pang") == "--opcode 'pang': expected text, binary, close, ping, pong, cont or 0-15")
        #expect(message(pattern: "(") == "--grep '(': not a valid regular expression")
    }
}

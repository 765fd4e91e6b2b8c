import Testing
import WSTapCore
import WSTapRuntime
import WSTapSession

/// Values the commands take from the command line and print: round-trip times, view filters.
@Suite struct CommandLineValuesTests {
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

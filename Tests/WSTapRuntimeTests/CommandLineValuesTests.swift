import Testing
import WSTapCore
import WSTapRuntime

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
}

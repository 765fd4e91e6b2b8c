import Testing
import WSTapConformance

/// Autobahn 9.x and RFC 6455 10.4: messages over the configured size fail the connection with 1009 (as
/// soon as a header announces too much), long series of messages are all echoed in order, and large
/// messages go through whole.
@Suite struct LimitsTests {
    static let limit = 1000

    @Test(arguments: Side.allCases, ConformanceCatalog.overLimit(limit))
    func messagesOverTheLimitFailWith1009(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side, maxMessageSize: Self.limit)
    }

    @Test(arguments: Side.allCases, ConformanceCatalog.large)
    func largeMessagesAndLongSeries(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }
}

import Testing

@testable import WSTapConformance

/// Autobahn 6.x: text messages must be valid UTF-8 (RFC 6455 8.1). Valid ones, whatever their
/// characters and however they are fragmented, are echoed; invalid ones fail the connection with 1007,
/// and as soon as the first bad byte arrives (fail-fast), not at the end of the frame or message.
@Suite struct UTF8Tests {
    @Test func samplesAreWhatTheySay() {
        for sample in UTF8Cases.valid { #expect(ReferenceUTF8.isValid(sample.bytes), "\(sample.name)") }
        for sample in UTF8Cases.invalid { #expect(!ReferenceUTF8.isValid(sample.bytes), "\(sample.name)") }
    }

    /// Each sample in one frame, and invalid bytes early in a frame or fragment that never completes.
    @Test(arguments: Side.allCases, ConformanceCatalog.utf8)
    func utf8(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }

    /// Valid text split into two fragments at every byte position, and into 1-byte fragments, is echoed whole
    /// each time; invalid text split anywhere fails with 1007, before the second fragment is sent when the
    /// first alone proves the text invalid.
    @Test(arguments: Side.allCases, ConformanceCatalog.utf8Splits)
    func utf8SplitAnywhere(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }
}

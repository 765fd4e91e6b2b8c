import Testing
import WSTapConformance

/// Autobahn 3.x: with no extension negotiated, a frame with RSV1, RSV2 or RSV3 set (any of the seven
/// combinations, on any kind of frame) fails the connection with 1002, and what follows it is ignored.
@Suite struct ReservedBitsTests {
    @Test(arguments: Side.allCases, ConformanceCatalog.reservedBits)
    func reservedBitsFailTheConnection(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }
}

import Testing
import WSTapConformance

/// Autobahn 4.x: the reserved opcodes (data 3-7, control 0xB-0xF) fail the connection with 1002,
/// empty or not, alone or after a valid message; nothing after them is answered.
@Suite struct ReservedOpcodeTests {
    @Test(arguments: Side.allCases, ConformanceCatalog.opcodes)
    func reservedOpcodesFailTheConnection(side: Side, testCase: ConformanceCase) async throws {
        try await OwnEndpointRunner.run(testCase, on: side)
    }
}

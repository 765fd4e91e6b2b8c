import Testing
import WSTapCore

/// Autobahn 4.x: the reserved opcodes (data 3-7, control 0xB-0xF) fail the connection with 1002,
/// empty or not, alone or after a valid message; nothing after them is answered.
@Suite struct ReservedOpcodeTests {
    static let opcodes: [UInt8] = [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF]

    static let cases: [WireCase] = opcodes.flatMap { value -> [WireCase] in
        let opcode = Opcode(lowBitsOf: value)
        let group = value < 8 ? "4.1" : "4.2"
        return [
            WireCase(
                group, "empty frame with opcode \(value)", [FrameSpec(opcode: opcode)],
                .failure(.protocolError, after: [])),
            WireCase(
                group, "opcode \(value) with a payload after a valid message, then a ping",
                [.text("before"), FrameSpec(opcode: opcode, payload: Array("reserved".utf8)), .ping("after")],
                .failure(.protocolError, after: [.text("before")])),
            WireCase(
                group, "opcode \(value) in 1-byte writes",
                [.text("before"), FrameSpec(opcode: opcode, payload: [1, 2])],
                .failure(.protocolError, after: [.text("before")]), chop: 1),
        ]
    }

    @Test(arguments: Side.allCases, cases)
    func reservedOpcodesFailTheConnection(side: Side, wireCase: WireCase) async throws {
        try await ConformanceRunner.run(wireCase, on: side)
    }
}

import WSTapCore

/// Autobahn 4.x: the reserved opcodes (data 3-7, control 0xB-0xF) fail the connection with 1002, empty or not,
/// alone or after a valid message; nothing after them is answered.
enum OpcodeCases {
    static let opcodes: [UInt8] = [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF]

    static let cases: [ConformanceCase] = opcodes.flatMap { value -> [ConformanceCase] in
        let opcode = Opcode(lowBitsOf: value)
        let group = value < 8 ? "4.1" : "4.2"
        // Autobahn's 4.x.1 is the first opcode empty, 4.x.2 the second with a payload, 4.x.3 and 4.x.4 the
        // third and fourth after a message and before a ping, 4.x.5 the fifth in small writes.
        let index = Int(value < 8 ? value - 3 : value - 0xB) + 1
        func id(_ numbers: ClosedRange<Int>) -> String { numbers.contains(index) ? "\(group).\(index)" : "\(group).w" }
        return [
            ConformanceCase(
                id(1...1), "empty frame with opcode \(value)", [FrameSpec(opcode: opcode)],
                .failure(.protocolError, after: [])),
            ConformanceCase(
                id(2...4),
                "opcode \(value) with a payload after a valid message, then a ping",
                [.text("before"), FrameSpec(opcode: opcode, payload: Array("reserved".utf8)), .ping("after")],
                .failure(.protocolError, after: [.text("before")])),
            ConformanceCase(
                id(5...5), "opcode \(value) in 1-byte writes",
                [.text("before"), FrameSpec(opcode: opcode, payload: [1, 2])],
                .failure(.protocolError, after: [.text("before")]), chop: 1),
        ]
    }
}

import Testing
import WSTapCore

@Suite struct CloseBodyTests {
    @Test func parsesCodeAndReason() {
        let (body, violations) = CloseBody.parse(hex("03 e8 62 79 65"))
        #expect(body.code == .normalClosure)
        #expect(body.reason == "bye")
        #expect(violations.isEmpty)
        #expect(body.bytes == hex("03 e8 62 79 65"))
    }

    @Test func emptyAndShortBodies() {
        #expect(CloseBody.parse([]).body.code == nil)
        #expect(CloseBody.parse([]).violations.isEmpty)
        #expect(CloseBody.parse([0x03]).violations.map(\.kind) == [.closeBodyTooShort])
    }

    @Test func namesRegisteredCodes() {
        #expect(CloseCode(1000).name == "normal-closure")
        #expect(CloseCode(1009).name == "message-too-big")
        #expect(CloseCode(1015).name == "tls-handshake-failure")
        #expect(CloseCode(4001).name == "private")
        #expect(CloseCode(2000).name == "unassigned")
        #expect(CloseCode(1007).description == "1007 invalid-payload-data")
        let allowed = (0...UInt16.max).filter { CloseCode($0).isAllowedOnWire }
        #expect(allowed.count == 4 + 8 + 2000)
    }

    @Test func closeCodesCanBeWrittenAsIntegerLiterals() {
        let code: CloseCode = 4000
        #expect(code == CloseCode(4000))
        #expect([1000, 4001] as [CloseCode] == [.normalClosure, CloseCode(4001)])
    }

    @Test func violationsCarryTheirCloseCode() {
        #expect(Violation.Kind.invalidUTF8.closeCode == .invalidPayloadData)
        #expect(Violation.Kind.messageTooBig.closeCode == .messageTooBig)
        #expect(Violation.Kind.reservedOpcode.closeCode == .protocolError)
        #expect(
            Violation(.reservedOpcode, "opcode 3").description
                == "reserved-opcode: reserved opcode (opcode 3) [RFC 6455 5.2]")
    }
}

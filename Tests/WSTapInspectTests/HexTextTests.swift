import Testing
import WSTapInspect

@Suite struct HexTextTests {
    @Test func parsesSeparatorsAndPrefixes() throws {
        #expect(try HexText.parse("81 05 48:65-6c6c 0x6f") == [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
        #expect(try HexText.parse("") == [])
    }

    @Test func rejectsJunkWithPosition() {
        #expect(throws: InputError.self) { try HexText.parse("81 0g") }
        do {
            _ = try HexText.parse("81 0g")
        } catch {
            #expect(error.description.contains("position 5"))
        }
        #expect(throws: InputError.self) { try HexText.parse("abc") }
    }

    @Test func formats() {
        #expect(HexText.format([0x00, 0xab, 0xff], separator: " ") == "00 ab ff")
    }
}

import Testing
import WSTapCore
import WSTapInspect

@Suite struct CraftRunTests {
    func craft(_ configure: (inout CraftRun.Options) -> Void) throws -> [UInt8] {
        var options = CraftRun.Options()
        configure(&options)
        var generator = SystemRandomNumberGenerator()
        return try CraftRun.bytes(for: options, using: &generator)
    }

    @Test func craftsValidAndInvalidFrames() throws {
        #expect(
            try craft {
                $0.text = "Hello"; $0.mask = "37fa213d"
            } == [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
        #expect(
            try craft {
                $0.closeCode = 1000; $0.reason = "bye"
            } == [0x88, 0x05, 0x03, 0xe8, 0x62, 0x79, 0x65])
        #expect(
            try craft {
                $0.opcode = "0xb"; $0.rsv = 7; $0.fin = false
            } == [0x7b, 0x00])
        #expect(
            try craft {
                $0.opcode = "binary"; $0.hex = "01"; $0.lengthEncoding = "64"
            } == [0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0, 1, 1])
        #expect(
            try craft {
                $0.declaredLength = 1000; $0.lengthEncoding = "16"; $0.text = "a"
            } == [0x81, 0x7e, 0x03, 0xe8, 0x61])
        #expect(
            try craft {
                $0.mask = "random"; $0.text = "x"
            }.count == 7)
    }

    @Test func craftsHybi00Frames() throws {
        #expect(
            try craft {
                $0.variant = .hybi00; $0.text = "hi"
            } == [0x00, 0x68, 0x69, 0xff])
        #expect(
            try craft {
                $0.variant = .hybi00; $0.opcode = "close"
            } == [0xff, 0x00])
        #expect(
            try craft {
                $0.variant = .hybi00; $0.framing = .new; $0.text = "hi"
            } == [0xff, 0, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69])
        #expect(
            try craft {
                $0.variant = .hybi00; $0.hybiTypeByte = "0x80"; $0.hex = "0102"
            } == [0x80, 0x02, 0x01, 0x02])
    }

    @Test func rejectsBadFlagsClearly() {
        let cases: [(String, (inout CraftRun.Options) -> Void)] = [
            ("--opcode", { (o: inout CraftRun.Options) in o.opcode = "bogus" }),
            ("--opcode", { (o: inout CraftRun.Options) in o.opcode = "16" }),
            ("--mask", { (o: inout CraftRun.Options) in o.mask = "xyz" }),
            ("--length-encoding", { (o: inout CraftRun.Options) in o.lengthEncoding = "32" }),
            ("--rsv", { (o: inout CraftRun.Options) in o.rsv = 8 }),
            ("--close-code", { (o: inout CraftRun.Options) in o.closeCode = 70000 }),
            ("--reason", { (o: inout CraftRun.Options) in o.reason = "why" }),
            (
                "payload",
                { (o: inout CraftRun.Options) in
                    o.text = "a"; o.hex = "61"
                }
            ),
            ("hex input", { (o: inout CraftRun.Options) in o.hex = "6" }),
            (
                "--declared-length/--length-encoding",
                { (o: inout CraftRun.Options) in
                    o.lengthEncoding = "7"; o.declaredLength = 200
                }
            ),
            (
                "--mask",
                { (o: inout CraftRun.Options) in
                    o.variant = .hybi00; o.mask = "random"
                }
            ),
            (
                "--opcode",
                { (o: inout CraftRun.Options) in
                    o.variant = .hybi00; o.opcode = "binary"
                }
            ),
            (
                "--type-byte",
                { (o: inout CraftRun.Options) in
                    o.variant = .hybi00; o.hybiTypeByte = "300"
                }
            ),
        ]
        for (subject, configure) in cases {
            do {
                _ = try craft(configure)
                Issue.record("no error for \(subject)")
            } catch let error as InputError {
                #expect(error.subject == subject)
                #expect(!error.reason.isEmpty)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}

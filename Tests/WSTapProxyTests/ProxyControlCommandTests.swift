import NIOCore
import Testing
import WSTapCore
import WSTapProxy

/// The control language: what parses, and what each mistake says.
@Suite struct ProxyControlCommandTests {
    @Test func interceptWithFilters() throws {
        guard
            case .intercept(let settings) = try ProxyControlCommand.parse(
                #"intercept both conn=#3 opcode=text,2,ping contains="two words" regex=^a.c$"#)
        else {
            Issue.record("not an intercept command")
            return
        }
        #expect(settings.directions == [.clientToServer, .serverToClient])
        #expect(settings.filter.connection == 3)
        #expect(settings.filter.opcodes == [1, 2, 9])
        #expect(settings.filter.payloadContains == "two words")
        #expect(settings.filter.payloadPattern == "^a.c$")
        guard case .intercept(let off) = try ProxyControlCommand.parse("intercept off") else {
            Issue.record("not an intercept command")
            return
        }
        #expect(off.directions.isEmpty)
    }

    @Test func decisionsInjectCloseAndFraming() throws {
        guard case .decide(7, .replace(let bytes)) = try ProxyControlCommand.parse("edit 7 81 02 68 69") else {
            Issue.record("not an edit")
            return
        }
        #expect(Array(bytes.readableBytesView) == [0x81, 0x02, 0x68, 0x69])
        guard case .decide(8, .drop) = try ProxyControlCommand.parse("drop 8") else {
            Issue.record("not a drop")
            return
        }
        guard case .inject(2, .serverToClient, let injected) = try ProxyControlCommand.parse("inject 2 s2c 8a00")
        else {
            Issue.record("not an inject")
            return
        }
        #expect(Array(injected.readableBytesView) == [0x8A, 0x00])
        guard
            case .close(1, .server, let code, let reason) = try ProxyControlCommand.parse("close 1 server 4001 so long")
        else {
            Issue.record("not a close")
            return
        }
        #expect(code.rawValue == 4001)
        #expect(reason == "so long")
        guard case .framing(4, .new) = try ProxyControlCommand.parse("framing 4 new") else {
            Issue.record("not a framing switch")
            return
        }
    }

    @Test(arguments: [
        ("", "empty command"),
        ("launch", "unknown command launch"),
        ("forward x", "hold id must be a number, not x"),
        ("edit 1", "edit needs the frame's bytes in hex"),
        ("edit 1 zz", "edit:"),
        ("inject 1 sideways 00", "direction must be c2s or s2c, not sideways"),
        ("close 1 middle", "side must be client or server, not middle"),
        ("close 1 client 70000", "close code must be a number from 0 to 65535, not 70000"),
        ("intercept c2s opcode=shout", "unknown opcode shout"),
        ("intercept c2s regex=(", "bad payload pattern ("),
        ("intercept c2s colour=red", "unknown filter colour"),
        ("intercept sideways", "intercept takes off, c2s, s2c or both, not sideways"),
        (#"intercept c2s contains="open"#, "unbalanced double quote"),
        ("framing 1 sideways", "usage: framing CONN old|new"),
    ])
    func mistakesSayWhatIsWrong(line: String, message: String) {
        #expect {
            _ = try ProxyControlCommand.parse(line)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

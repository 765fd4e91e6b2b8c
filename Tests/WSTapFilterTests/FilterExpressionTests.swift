import NIOCore
import Testing
import WSTapCore
import WSTapFilter

/// The filter language: what each test matches, how they combine, and errors that name the column.
@Suite struct FilterExpressionTests {
    static func subject(
        _ text: String, direction: TrafficDirection = .clientToServer, opcode: Opcode = .text, fin: Bool = true,
        rsv: ReservedBits = [], connection: UInt64 = 1, violations: [Violation.Kind] = []
    ) -> FilterSubject {
        FilterSubject(
            connection: connection, direction: direction, opcodeName: opcode.name, opcode: opcode.rawValue, fin: fin,
            reservedBits: rsv, payload: ByteBuffer(string: text), length: UInt64(text.utf8.count),
            violations: violations, host: "chat.example.com:443", path: "/socket.io/?EIO=4&transport=websocket",
            subprotocol: "graphql-transport-ws")
    }

    static func matches(_ filter: String, _ subject: FilterSubject) throws -> Bool {
        try FilterExpression(parsing: filter).matches(subject)
    }

    @Test func eachTest() throws {
        let up = Self.subject(#"{"user":{"name":"alice","roles":["user","dev"]},"seq":12}"#)
        let down = Self.subject("PONG", direction: .serverToClient, opcode: .pong, fin: true)
        #expect(try Self.matches("~dir c2s", up) && !Self.matches("~dir c2s", down))
        #expect(try Self.matches("~dir s2c", down))
        #expect(try Self.matches("~op text", up) && !Self.matches("~op text", down))
        #expect(
            try Self.matches("~op ping,pong", down) && Self.matches("~op 10", down) && Self.matches("~op 0xA", down))
        #expect(try Self.matches("~conn 1", up) && !Self.matches("~conn 2", up) && Self.matches("~conn #1", up))
        #expect(try Self.matches("~host *.example.com*", up) && !Self.matches("~host example.org", up))
        #expect(try Self.matches("~path /socket.io/*", up))
        #expect(try Self.matches("~proto graphql-*", up))
        #expect(try Self.matches("~b ALICE", up), "plain text ignores case")
        #expect(try Self.matches(#"~b /"seq":\d+/"#, up) && !Self.matches(#"~b /"seq":[a-z]/"#, up))
        #expect(try Self.matches("~b /ALICE/i", up) && !Self.matches("~b /ALICE/", up))
        #expect(try Self.matches(#"~b "roles\":""#, up), "a quoted string with an escaped quote")
        #expect(try Self.matches("~len >10", up) && !Self.matches("~len <=4", up) && Self.matches("~len 4", down))
        #expect(try Self.matches("~len <1K", up))
        #expect(try Self.matches("~fin", up) && !Self.matches("~fin", Self.subject("x", fin: false)))
        #expect(try Self.matches("~rsv1", Self.subject("x", rsv: .rsv1)) && !Self.matches("~rsv1", up))
        #expect(try Self.matches("~violation", Self.subject("x", violations: [.invalidUTF8])))
        #expect(try Self.matches("~violation invalid-utf8", Self.subject("x", violations: [.invalidUTF8])))
        #expect(try !Self.matches("~violation", up))
        #expect(try Self.matches("~json user.name = alice", up) && !Self.matches("~json user.name = bob", up))
        #expect(try Self.matches("~json user.roles[1] = dev", up))
        #expect(try Self.matches("~json seq > 9", up) && !Self.matches("~json seq > 100", up), "numbers as numbers")
        #expect(try Self.matches("~json user.name", up) && !Self.matches("~json user.email", up), "exists")
        #expect(try Self.matches("~json user.name ~= /^al/", up))
        #expect(try !Self.matches("~json user.name = alice", Self.subject("not json")))
        #expect(try Self.matches("~all", down))
    }

    @Test func combinations() throws {
        let up = Self.subject("hello")
        let down = Self.subject("hello", direction: .serverToClient)
        #expect(try Self.matches("~dir c2s & ~b hello", up) && !Self.matches("~dir c2s & ~b hello", down))
        #expect(try Self.matches("~dir c2s ~b hello", up), "side by side means and")
        #expect(try Self.matches("~dir s2c | ~b hello", up))
        #expect(try Self.matches("!~dir s2c", up) && !Self.matches("!~dir c2s", up))
        #expect(try Self.matches("!(~dir s2c | ~b bye) & ~op text", up))
        #expect(try !Self.matches("~b bye | ~dir s2c & ~op text", up), "& binds tighter than |")
        #expect(try Self.matches("~b bye | ~dir c2s & ~op text", up))
    }

    @Test(arguments: [
        ("", 1, "empty filter"),
        ("~dir sideways", 6, "c2s or s2c"),
        ("~dir", 5, "~dir needs a value"),
        ("~nope", 1, "no test is called ~nope"),
        ("~dir c2s &", 11, "expected a test"),
        ("(~dir c2s", 1, "never closed"),
        ("~dir c2s)", 9, "without its ("),
        ("~op texty", 5, "opcode names"),
        ("~b /(/", 4, "not a regular expression"),
        ("~b /abc", 4, "never closed"),
        ("~len >lots", 7, "size"),
        ("~violation nonsense", 12, "no violation is called"),
        ("~json ..x = 1", 7, "path"),
        ("dir c2s", 1, "expected a test"),
        (#"~b "open"#, 4, "never closed"),
    ])
    func errorsNameTheColumn(filter: String, column: Int, words: String) {
        #expect {
            try FilterExpression(parsing: filter)
        } throws: { error in
            guard let error = error as? FilterSyntaxError else { return false }
            return error.column == column && error.reason.contains(words)
        }
    }

    @Test func theErrorPointsUnderTheColumn() {
        let error = FilterSyntaxError(column: 6, "~dir takes c2s or s2c")
        #expect(error.pointing(into: "~dir up2") == "~dir up2\n     ^ ~dir takes c2s or s2c")
    }

    /// Any text either parses or is an error with a column inside it (or just past its end); never a trap.
    @Test func randomTextNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("~!&|()/\"\\ dirc2sopbjsonlen<>=,.[]0123456789abcxyz*?")
        for _ in 0..<3000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            do {
                _ = try FilterExpression(parsing: text).matches(Self.subject("{\"a\":[1]}"))
            } catch {
                #expect(error.column >= 1 && error.column <= text.count + 1, "\(text): \(error)")
            }
        }
    }
}

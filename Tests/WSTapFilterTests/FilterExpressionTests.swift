import NIOCore
import Testing
import WSTapCore
import WSTapFilter
import WSTapLenses

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
        ("~lens nosuchlens", 7, "no lens is called"),
        ("~field", 7, "~field needs a value"),
        ("~field ..x == 1", 8, "path"),
        ("~field topic ~", 15, "needs a value"),
        ("~field event ==", 16, "needs a value"),
    ])
    func errorsNameTheColumn(filter: String, column: Int, words: String) {
        #expect {
            try FilterExpression(parsing: filter)
        } throws: { error in
            guard let error = error as? FilterSyntaxError else { return false }
            return error.column == column && error.reason.contains(words)
        }
    }

    /// A Socket.IO event, as the lens reads it from the message itself (no connection needed).
    static func socketIO(_ text: String) -> FilterSubject {
        var subject = Self.subject(text)
        subject.subprotocol = nil
        subject.readLenses()
        return subject
    }

    @Test func lensAndFieldTests() throws {
        let chat = Self.socketIO(#"42["chat",{"m":"hi","n":12}]"#)
        #expect(chat.lensReadings.map(\.lens) == ["socketio"], "the path /socket.io/ claims it")
        #expect(
            try Self.matches("~lens socketio", chat) && Self.matches("~lens", chat) && Self.matches("~lens sock*", chat)
        )
        #expect(try !Self.matches("~lens mqtt", chat))
        #expect(try Self.matches("~lens socketio & ~field event == chat", chat))
        #expect(try Self.matches("~field event = chat", chat) && !Self.matches("~field event == news", chat))
        #expect(try Self.matches("~field args[0].n > 9", chat) && !Self.matches("~field args[0].n >= 13", chat))
        #expect(try Self.matches("~field args[0].m ~= /^h/", chat) && Self.matches("~field event ~ ch*", chat))
        #expect(
            try Self.matches("~field ackId", Self.socketIO(#"421["add",1,2]"#)) && !Self.matches("~field ackId", chat))
        #expect(try Self.matches("~field event ~ ch* & ~dir c2s", chat), "~ GLOB, then the next test")
        #expect(try Self.matches("~field event ~dir c2s", chat), "~dir right after a path is the next test")

        var plain = Self.subject("just words")
        plain.path = "/"
        plain.subprotocol = nil
        plain.readLenses()
        #expect(plain.lensReadings.isEmpty)
        #expect(try !Self.matches("~lens", plain) && !Self.matches("~field event", plain))
        #expect(try Self.matches("!~lens", plain))

        // MQTT over WebSocket: the subprotocol claims it; a PUBLISH's topic and QoS as fields.
        var publish = Self.subject("")
        publish.subprotocol = "mqtt"
        publish.opcode = 2
        let topic = Array("sensors/t1".utf8)
        let payload = Array("21.5".utf8)
        let body = [UInt8(0), UInt8(topic.count)] + topic + [0, 7] + payload
        publish.payload = ByteBuffer(bytes: [0x32, UInt8(body.count)] + body)
        publish.length = UInt64(publish.payload.readableBytes)
        publish.readLenses()
        #expect(try Self.matches("~lens mqtt & ~field topic ~ sensors/*", publish))
        #expect(try Self.matches("~field qos >= 1", publish) && !Self.matches("~field qos > 1", publish))
    }

    @Test func onlyLensTestsReadLenses() throws {
        #expect(try !FilterExpression(parsing: "~dir c2s & ~json a = 1 | !~b x").readsLenses)
        #expect(try FilterExpression(parsing: "~dir c2s & !(~b x | ~lens mqtt)").readsLenses)
        #expect(try FilterExpression(parsing: "~field topic").readsLenses)
        // Without readings (a filter that reads no lens), lens tests match nothing.
        #expect(try !Self.matches("~lens", Self.subject(#"42["chat"]"#)))
    }

    @Test(arguments: [
        ("~dir c2s ~b hello", "~dir c2s & ~b hello"),
        ("~b bye | ~dir c2s & ~op text", "~b bye | ~dir c2s & ~op text"),
        ("(~b bye | ~dir c2s) & ~op text", "(~b bye | ~dir c2s) & ~op text"),
        ("~dir c2s & (~b a & ~b b)", "~dir c2s & (~b a & ~b b)"),
        ("!(~dir s2c)", "!~dir s2c"),
        ("!!~fin", "!!~fin"),
        (#"~b "two words""#, #"~b "two words""#),
        (#"~b /a\/b/i"#, #"~b /a\/b/i"#),
        ("~len>=64K", "~len >=65536"),
        ("~json $.user.roles[1] == dev", "~json user.roles[1] = dev"),
        ("~field event == chat & ~lens socketio", "~field event = chat & ~lens socketio"),
        ("~field topic ~ sensors/*", "~field topic ~ sensors/*"),
        ("~op ping,0xA", "~op ping,pong"),
        ("~violation", "~violation"),
    ])
    func printsInOneSpelling(filter: String, printed: String) throws {
        let expression = try FilterExpression(parsing: filter)
        #expect(expression.description == printed)
        #expect(try FilterExpression(parsing: printed) == expression)
    }

    /// Any filter that parses prints as text that parses to the same tree (and prints the same again).
    @Test func printingAndParsingAgainGivesTheSameTree() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "~dir c2s", "~dir s2c", "~op text,ping", "~conn 3", "~host *.x", "~path /a?b", "~proto mqtt", "~b hi",
            #"~b "a b""#, "~b /x+/i", #"~b /a\/b/"#, "~len <10", "~len >=1K", "~fin", "~rsv2", "~violation",
            "~violation invalid-utf8", "~json a.b[0] = 1", "~json a ~= /z/", "~json a ~ q*", "~json a", "~lens",
            "~lens mqtt", "~field topic ~ s/*", "~field qos >= 1", #"~field "a b" = "c d""#, "~all",
        ]
        let joins = [" & ", " | ", " ", " & !", " | !("]
        var parsed = 0
        for _ in 0..<2000 {
            var text = pieces.randomElement(using: &generator) ?? "~all"
            var open = 0
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let join = joins.randomElement(using: &generator) ?? " & "
                if join.hasSuffix("(") { open += 1 }
                text += join + (pieces.randomElement(using: &generator) ?? "~all")
                if open > 0, Bool.random(using: &generator) {
                    text += ")"
                    open -= 1
                }
            }
            text += String(repeating: ")", count: open)
            guard let expression = try? FilterExpression(parsing: text) else {
                Issue.record("does not parse: \(text)")
                continue
            }
            parsed += 1
            let printed = expression.description
            let again = try? FilterExpression(parsing: printed)
            #expect(again == expression, "\(text) printed as \(printed)")
            #expect(again?.description == printed)
        }
        #expect(parsed == 2000)
    }

    @Test func theErrorPointsUnderTheColumn() {
        let error = FilterSyntaxError(column: 6, "~dir takes c2s or s2c")
        #expect(error.pointing(into: "~dir up2") == "~dir up2\n     ^ ~dir takes c2s or s2c")
    }

    /// Any text either parses or is an error with a column inside it (or just past its end); never a trap.
    @Test func randomTextNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("~!&|()/\"\\ dirc2sopbjsonlenfieldm<>=,.[]0123456789abcxyz*?")
        for _ in 0..<3000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            do {
                let expression = try FilterExpression(parsing: text)
                _ = expression.matches(Self.subject("{\"a\":[1]}"))
                #expect(try FilterExpression(parsing: expression.description) == expression, "\(text)")
            } catch {
                #expect(error.column >= 1 && error.column <= text.count + 1, "\(text): \(error)")
            }
        }
    }
}

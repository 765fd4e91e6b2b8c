import Testing
import WSTapCore
import WSTapLenses

/// The MessagePack and CBOR lenses on bytes made by msgpack 1.2.4 (`msgpack.packb`) and cbor2 6.2.1
/// (`cbor2.dumps`) from PyPI, of the value
/// `{"type":"sub","id":7,"args":[1,-2,3.5,None,True,b"\x00\xff"],"big":2**40,"neg":-200}`.
@Suite struct BinaryValueLensTests {
    static let expected =
        #"{"type":"sub","id":7,"args":[1,-2,3.5,null,true,{"hex":"00ff","length":2}],"big":1099511627776,"neg":-200}"#

    @Test func messagePack() throws {
        let run = LensRun(MessagePackLens())
        let view = try #require(
            run.one(
                .binary(
                    Fixtures.bytes(
                        "85a474797065a3737562a2696407a4617267739601fecb400c000000000000c0c3c40200ffa3626967cf0000010000000000a36e6567d1ff38"
                    ), .clientToServer)))
        #expect(view.fields["value"]?.json == Self.expected)
        #expect(view.method == "sub")
        #expect(
            run.one(.binary(Fixtures.bytes("d5050102"), .clientToServer))?.summary
                == #"{"ext":5,"data":{"hex":"0102","length":2}}"#)
        #expect(
            run.decode(.binary(Fixtures.bytes("9201a16181a16bc2"), .clientToServer)).map(\.summary) == [
                #"[1,"a"]"#, #"{"k":false}"#,
            ])
        #expect(run.one(.binary([0xC1], .clientToServer))?.problem?.contains("never used") == true)
        #expect(
            run.one(.binary([0xDD, 0xFF, 0xFF, 0xFF, 0xFF], .clientToServer))?.problem?.contains("cannot fit") == true)
        #expect(run.one(.binary([0xD9, 0x05, 0x61], .clientToServer))?.problem?.contains("runs past the end") == true)
        #expect(MessagePackLens().claims(subprotocol: "wamp.2.msgpack"))
    }

    @Test func cbor() throws {
        let run = LensRun(CBORLens())
        let view = try #require(
            run.one(
                .binary(
                    Fixtures.bytes(
                        "a5647479706563737562626964076461726773860121fb400c000000000000f6f54200ff636269671b0000010000000000636e656738c7"
                    ), .clientToServer)))
        #expect(view.fields["value"]?.json == Self.expected)
        let tagged = run.one(.binary(Fixtures.bytes("c074323032362d31322d30375431323a30303a30305a"), .clientToServer))
        #expect(tagged?.summary == #"{"tag":0,"value":"2026-12-07T12:00:00Z"}"#)
        #expect(run.one(.binary(Fixtures.bytes("fb3ff8000000000000"), .clientToServer))?.summary == "1.5")
        #expect(run.one(.binary(Fixtures.bytes("f93e00"), .clientToServer))?.summary == "1.5")
        #expect(
            run.one(.binary(Fixtures.bytes("3bffffffffffffffff"), .clientToServer))?.summary == "-18446744073709551616")
        #expect(run.one(.binary(Fixtures.bytes("f97c00"), .clientToServer))?.summary == #""Infinity""#)
        // Indefinite lengths: an array and a text in two chunks.
        #expect(run.one(.binary(Fixtures.bytes("9f0102ff"), .clientToServer))?.summary == "[1,2]")
        #expect(run.one(.binary(Fixtures.bytes("7f6161626262ff"), .clientToServer))?.summary == #""abb""#)
        #expect(run.one(.binary([0xFF], .clientToServer))?.problem?.contains("break outside") == true)
        #expect(run.one(.binary([0x1C], .clientToServer))?.problem?.contains("reserved") == true)
        #expect(
            run.one(.binary([0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], .clientToServer))?.problem?
                .contains("cannot fit") == true)
        #expect(CBORLens().claims(subprotocol: "wamp.2.cbor"))
        #expect(!CBORLens().claims(firstMessage: .binary([0xA0], .clientToServer)))
    }
}

import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite("Base64")
struct Base64Tests {
    /// RFC 4648 section 10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func roundTripsEveryLengthAndByte() {
        var generator = FuzzRandom(seed: 7)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
    }

    @Test func encodesAnyCollection() {
        #expect(Base64.encode([UInt8](repeating: 0xFF, count: 3)[...]) == "////")
        #expect(Base64.encode("hi".utf8) == "aGk=")
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zm9",  // not a multiple of four
        "Zg=a", "=Zg=", "Z===", "Zm9v====",  // misplaced padding
        "Zg==Zg==",  // padding before the end
        "Zm9v!A==", "Zm 9v", "Zm9v\n", "Zm-_",  // outside the alphabet
        "Zh==", "Zm9=",  // nonzero unused bits
        "Zm9vé===",
    ])
    func rejectsJunk(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}

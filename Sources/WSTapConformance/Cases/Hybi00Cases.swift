import WSTapCore

/// wstap's own category 14, hybi-00 (draft-ietf-hybi-thewebsocketprotocol-00, the protocol of old browsers, which
/// `wstap serve` still speaks): the opening handshake (the 16-byte answer to the two keys and 8 key bytes, the
/// location and origin headers), text messages echoed in the draft's old framing (14.1: 0x00, the text, 0xFF) or
/// its new one (14.2: a type byte and an 8-byte length), the closing handshake. The framing cannot be negotiated:
/// `--hybi00-framing` says which one the server speaks, and only that group runs.
enum Hybi00Cases {
    static func group(_ prefix: String, _ framing: Hybi00Framing) -> [ConformanceCase] {
        func exchange(_ id: Int, _ name: String, _ messages: [[UInt8]], chop: Int? = nil, apart: Bool = false)
            -> ConformanceCase
        {
            ConformanceCase(
                "\(prefix).\(id)", name, [], .replies([]),
                hybi00: Hybi00Exchange(framing: framing, messages: messages, chop: chop, keyBytesApart: apart))
        }
        return [
            exchange(1, "the opening and closing handshakes, no message", []),
            exchange(2, "a text message echoed", [Array("Hello, hybi-00".utf8)]),
            exchange(3, "an empty text message echoed", [[]]),
            exchange(4, "text with 2-, 3- and 4-byte characters echoed", [Array("κόσμε € 😀".utf8)]),
            exchange(5, "a text message of 64 KiB echoed", [Payloads.ascii(64 << 10)]),
            exchange(6, "10 messages in one write echoed in order", (0..<10).map { Array("message \($0)".utf8) }),
            exchange(7, "a text message in 1-byte writes echoed", [Array("one byte at a time".utf8)], chop: 1),
            exchange(8, "the 8 key bytes in a write of their own", [Array("after the key bytes".utf8)], apart: true),
        ]
    }

    static let cases = group("14.1", .old) + group("14.2", .new)
}

import Crypto

/// The legacy hybi-00 handshake (draft-ietf-hybi-thewebsocketprotocol-00, the same as draft-hixie-76): two keys
/// in headers, 8 key bytes after the request head, and a 16-byte MD5 answer after the response head.
///
/// Validation lives in `Hybi00Handshake+ClientRequestValidation.swift` and
/// `Hybi00Handshake+ServerResponseValidation.swift`.
public enum Hybi00Handshake {
    /// The reason phrase of the draft's 101 status line.
    public static let switchingReason = "WebSocket Protocol Handshake"

    /// The values of `Sec-WebSocket-Key1` (or `-Key2`, by `name`) as a hybi-00 server reads them: the text after
    /// the one space that follows the colon, up to the end of the line, so that every other space counts, a
    /// trailing one included.
    ///
    /// The draft tells clients not to end a key with a space, but some do (the Racket `rfc6455` client ends
    /// about 0.8% of its keys with one) and their servers count it: a key read with its whitespace trimmed gives
    /// those clients a wrong answer. Fields made in code (no `wireValue`) are taken as they are.
    public static func keyTexts(_ name: String, in headers: HTTPHeaderFields) -> [String] {
        headers.wireValues(name).map { text in
            text.utf8.first == UInt8(ascii: " ") ? String(text.dropFirst()) : text
        }
    }

    /// The number a `Sec-WebSocket-Key1` or `-Key2` value encodes: all its digits read as one integer, divided
    /// by its number of spaces.
    ///
    /// - Throws: `Hybi00KeyError` when the key has no digits or no spaces, when the digits exceed 32 bits, or
    ///   when they are not an integer multiple of the space count.
    public static func keyNumber(_ key: String) throws(Hybi00KeyError) -> UInt32 {
        var digits: [UInt8] = []
        var value: UInt64 = 0
        var spaces = 0
        for byte in key.utf8 {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits.append(byte)
                if value <= UInt64(UInt32.max) {
                    value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
                }
            } else if byte == UInt8(ascii: " ") {
                spaces += 1
            }
        }
        guard !digits.isEmpty else { throw .noDigits(key: key) }
        guard let number = UInt32(exactly: value) else {
            throw .numberTooLarge(key: key, digits: String(decoding: digits, as: UTF8.self))
        }
        guard spaces > 0 else { throw .noSpaces(key: key) }
        guard UInt64(number) % UInt64(spaces) == 0 else {
            throw .notMultipleOfSpaces(key: key, number: number, spaces: spaces)
        }
        return UInt32(UInt64(number) / UInt64(spaces))
    }

    /// The 16-byte answer to three keys: the MD5 of key 1's number and key 2's number (4 bytes each,
    /// big-endian) followed by the 8 bytes of key 3.
    public static func answer(key1: String, key2: String, key3: [UInt8]) throws(Hybi00KeyError) -> [UInt8] {
        try answer(number1: keyNumber(key1), number2: keyNumber(key2), key3: key3)
    }

    /// The 16-byte answer from the numbers the first two keys encode and the 8 bytes of key 3.
    public static func answer(number1: UInt32, number2: UInt32, key3: [UInt8]) throws(Hybi00KeyError) -> [UInt8] {
        guard key3.count == 8 else { throw .wrongKey3Length(key3.count) }
        return md5Answer(number1: number1, number2: number2, key3: key3)
    }

    /// The MD5 of the two numbers (big-endian) and `key3`, whose length the caller has checked.
    static func md5Answer(number1: UInt32, number2: UInt32, key3: [UInt8]) -> [UInt8] {
        var challenge: [UInt8] = []
        for number in [number1, number2] {
            challenge += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: number >> $0) }
        }
        challenge += key3
        var hasher = Insecure.MD5()
        challenge.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    /// Fresh client keys made the draft's way: for each of key 1 and 2, 1 to 12 spaces, a random number whose
    /// product with the space count fits in 32 bits, that product in decimal with 1 to 12 random characters
    /// from U+0021-U+002F and U+003A-U+007E inserted, then the spaces inserted anywhere but the ends; key 3 is
    /// 8 random bytes.
    public static func makeClientKeys(using generator: inout some RandomNumberGenerator) -> Hybi00ClientKeys {
        let (key1, number1) = makeKey(using: &generator)
        let (key2, number2) = makeKey(using: &generator)
        let key3 = (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Hybi00ClientKeys(key1: key1, key2: key2, key3: key3, number1: number1, number2: number2)
    }

    /// Fresh client keys from the system's random number generator.
    public static func makeClientKeys() -> Hybi00ClientKeys {
        var generator = SystemRandomNumberGenerator()
        return makeClientKeys(using: &generator)
    }

    /// The client's handshake request and the 8 key bytes to send right after it.
    ///
    /// Headers: `Upgrade: WebSocket`, `Connection: Upgrade`, `Host`, then `Origin` and `Sec-WebSocket-Protocol`
    /// when given, `Sec-WebSocket-Key1`, `Sec-WebSocket-Key2`, then `extraHeaders`. An empty path becomes `/`.
    public static func makeClientRequest(
        host: String, path: String, origin: String? = nil, subprotocol: String? = nil,
        extraHeaders: HTTPHeaderFields = [:], keys: Hybi00ClientKeys
    ) -> (head: HTTPRequestHead, body: [UInt8]) {
        var headers: HTTPHeaderFields = ["Upgrade": "WebSocket", "Connection": "Upgrade", "Host": host]
        if let origin {
            headers.add(name: "Origin", value: origin)
        }
        if let subprotocol {
            headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
        }
        headers.add(name: "Sec-WebSocket-Key1", value: keys.key1)
        headers.add(name: "Sec-WebSocket-Key2", value: keys.key2)
        headers.add(contentsOf: extraHeaders)
        return (HTTPRequestHead(method: "GET", target: path.isEmpty ? "/" : path, headers: headers), keys.key3)
    }

    /// The server's response and the 16-byte answer to send right after it.
    ///
    /// Status line `HTTP/1.1 101 WebSocket Protocol Handshake`; headers `Upgrade: WebSocket`,
    /// `Connection: Upgrade`, `Sec-WebSocket-Origin` (when the request had an `Origin`), `Sec-WebSocket-Location`
    /// (see `Hybi00UpgradeRequest.location(secure:)`), and `Sec-WebSocket-Protocol` when given.
    public static func makeServerResponse(
        for request: Hybi00UpgradeRequest, location: String, subprotocol: String? = nil
    ) -> (head: HTTPResponseHead, body: [UInt8]) {
        var headers: HTTPHeaderFields = ["Upgrade": "WebSocket", "Connection": "Upgrade"]
        if let origin = request.origin {
            headers.add(name: "Sec-WebSocket-Origin", value: origin)
        }
        headers.add(name: "Sec-WebSocket-Location", value: location)
        if let subprotocol {
            headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
        }
        return (HTTPResponseHead(statusCode: 101, reason: switchingReason, headers: headers), request.answer)
    }

    // MARK: - Key generation

    /// One key and the number it encodes.
    private static func makeKey(using generator: inout some RandomNumberGenerator) -> (String, UInt32) {
        let spaces = UInt32.random(in: 1...12, using: &generator)
        let number = UInt32.random(in: 0...(UInt32.max / spaces), using: &generator)
        var key = Array(String(number * spaces).utf8)
        let noise = Array(UInt8(0x21)...UInt8(0x2F)) + Array(UInt8(0x3A)...UInt8(0x7E))
        for _ in 0..<Int.random(in: 1...12, using: &generator) {
            let character = noise[Int.random(in: 0..<noise.count, using: &generator)]
            key.insert(character, at: Int.random(in: 0...key.count, using: &generator))
        }
        // The key now has at least two characters, so there is always a position that is not an end.
        for _ in 0..<spaces {
            key.insert(UInt8(ascii: " "), at: Int.random(in: 1...(key.count - 1), using: &generator))
        }
        return (String(decoding: key, as: UTF8.self), number)
    }
}

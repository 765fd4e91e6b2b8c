/// The three keys of a hybi-00 client handshake, with the numbers they encode and the answer they demand.
public struct Hybi00ClientKeys: Hashable, Sendable {
    /// The `Sec-WebSocket-Key1` value.
    public let key1: String
    /// The `Sec-WebSocket-Key2` value.
    public let key2: String
    /// The 8 bytes sent after the request head.
    public let key3: [UInt8]
    /// The number `key1` encodes.
    public let number1: UInt32
    /// The number `key2` encodes.
    public let number2: UInt32
    /// The 16 bytes the server must answer with.
    public let expectedAnswer: [UInt8]

    /// Reads keys received or chosen elsewhere.
    ///
    /// - Throws: `Hybi00KeyError` when a key does not encode a number or `key3` is not 8 bytes.
    public init(key1: String, key2: String, key3: [UInt8]) throws(Hybi00KeyError) {
        let number1 = try Hybi00Handshake.keyNumber(key1)
        let number2 = try Hybi00Handshake.keyNumber(key2)
        self.key1 = key1
        self.key2 = key2
        self.key3 = key3
        self.number1 = number1
        self.number2 = number2
        self.expectedAnswer = try Hybi00Handshake.answer(number1: number1, number2: number2, key3: key3)
    }

    /// Keys whose numbers are known to match and whose `key3` is known to have 8 bytes.
    init(key1: String, key2: String, key3: [UInt8], number1: UInt32, number2: UInt32) {
        self.key1 = key1
        self.key2 = key2
        self.key3 = key3
        self.number1 = number1
        self.number2 = number2
        self.expectedAnswer = Hybi00Handshake.md5Answer(number1: number1, number2: number2, key3: key3)
    }
}

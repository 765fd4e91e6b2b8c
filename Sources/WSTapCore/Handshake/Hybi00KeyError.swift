/// Why hybi-00 handshake keys cannot produce an answer.
public enum Hybi00KeyError: Error, Hashable, Sendable {
    /// The key has no digits, so there is no number.
    case noDigits(key: String)
    /// The key has no spaces, so the number cannot be divided.
    case noSpaces(key: String)
    /// The key's digits read as one integer exceed 4,294,967,295.
    case numberTooLarge(key: String, digits: String)
    /// The key's digits read as one integer are not a multiple of its space count.
    case notMultipleOfSpaces(key: String, number: UInt32, spaces: Int)
    /// The third key is not exactly 8 bytes.
    case wrongKey3Length(Int)
}

extension Hybi00KeyError: CustomStringConvertible {
    /// One sentence naming the key and what is wrong with it.
    public var description: String {
        switch self {
        case .noDigits(let key):
            return "the hybi-00 key \"\(key)\" has no digits"
        case .noSpaces(let key):
            return "the hybi-00 key \"\(key)\" has no spaces to divide its number by"
        case .numberTooLarge(let key, let digits):
            return "the digits of the hybi-00 key \"\(key)\" make \(digits), which exceeds 4294967295"
        case .notMultipleOfSpaces(let key, let number, let spaces):
            return "the hybi-00 key \"\(key)\" has number \(number), which is not a multiple of its \(spaces) spaces"
        case .wrongKey3Length(let count):
            return "the hybi-00 third key has \(count) bytes but must have 8"
        }
    }
}

/// CBOR (RFC 8949), without a schema: every data item of a binary message, as JSON would show it (byte
/// strings as bytes, tags as `{"tag": n, "value": ...}`, `undefined` and other simple values by name). It
/// claims connections whose subprotocol names CBOR (`wamp.2.cbor`); `--lens cbor` forces it.
public struct CBORLens: Lens {
    /// `cbor`.
    public let name = "cbor"

    /// The lens.
    public init() {}

    /// A subprotocol that names CBOR.
    public func claims(subprotocol: String) -> Bool {
        subprotocol.lowercased().contains("cbor")
    }

    /// Never by a first message: too many binary messages would look like CBOR.
    public func claims(firstMessage message: LensMessage) -> Bool { false }

    /// A decoder: CBOR has no state between messages.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder()
    }

    struct Decoder: LensDecoder {
        mutating func decode(_ message: LensMessage) -> [LensView] {
            BinaryValueReader.views(of: message, format: "CBOR") { try CBORLens.item(&$0, depth: 0) }
        }
    }

    typealias Problem = BinaryValueReader.Problem

    /// The argument of a head: the additional information itself, or the 1, 2, 4 or 8 bytes after it; nil
    /// for 31 (indefinite length, or a break).
    static func argument(_ info: UInt8, _ reader: inout BinaryValueReader) throws(Problem) -> UInt64? {
        switch info {
        case 0..<24: return UInt64(info)
        case 24, 25, 26, 27: return try reader.unsigned(1 << Int(info - 24))
        case 31: return nil
        default: throw Problem(description: "additional information \(info) is reserved")
        }
    }

    /// The next data item, or nil for a break (0xff).
    static func item(_ reader: inout BinaryValueReader, depth: Int) throws(Problem) -> LensValue? {
        guard depth < JSONText.maximumDepth else {
            throw Problem(description: "nested deeper than \(JSONText.maximumDepth)")
        }
        let head = try reader.byte()
        let major = head >> 5
        let info = head & 0x1F
        if head == 0xFF { return nil }
        switch major {
        case 0:
            guard let value = try argument(info, &reader) else {
                throw Problem(description: "an integer of indefinite length")
            }
            return value <= UInt64(Int64.max) ? .integer(Int64(value)) : .number(String(value))
        case 1:
            guard let value = try argument(info, &reader) else {
                throw Problem(description: "an integer of indefinite length")
            }
            if value < UInt64(Int64.max) { return .integer(-1 - Int64(value)) }
            // -1 - value, beyond Int64: written out.
            let (plusOne, overflow) = value.addingReportingOverflow(1)
            return .number("-" + (overflow ? "18446744073709551616" : String(plusOne)))
        case 2, 3:
            var bytes: [UInt8] = []
            if let length = try argument(info, &reader) {
                bytes = try reader.take(length)
            } else {
                // Indefinite length: chunks of the same major type until a break.
                while true {
                    let chunkHead = try reader.byte()
                    if chunkHead == 0xFF { break }
                    guard chunkHead >> 5 == major, let length = try argument(chunkHead & 0x1F, &reader) else {
                        throw Problem(description: "a chunk of an indefinite-length string is not a definite string")
                    }
                    bytes += try reader.take(length)
                }
            }
            return major == 2 ? .bytes(bytes) : BinaryValueReader.text(bytes)
        case 4, 5:
            let count = try argument(info, &reader)
            if let count { try reader.checkCount(count, each: major == 5 ? 2 : 1) }
            var elements: [LensValue] = []
            var fields: [LensField] = []
            var index: UInt64 = 0
            while count.map({ index < $0 }) ?? true {
                guard let first = try item(&reader, depth: depth + 1) else {
                    guard count == nil else { throw Problem(description: "a break inside a definite-length item") }
                    break
                }
                if major == 4 {
                    elements.append(first)
                } else {
                    guard let second = try item(&reader, depth: depth + 1) else {
                        throw Problem(description: "a map's key without a value")
                    }
                    fields.append(LensField(BinaryValueReader.key(first), second))
                }
                index += 1
            }
            return major == 4 ? .list(elements) : .object(fields)
        case 6:
            guard let tag = try argument(info, &reader) else {
                throw Problem(description: "a tag of indefinite length")
            }
            guard let tagged = try item(&reader, depth: depth + 1) else {
                throw Problem(description: "a tag without an item")
            }
            return .object([LensField("tag", .number(String(tag))), LensField("value", tagged)])
        default:
            switch info {
            case 20: return .bool(false)
            case 21: return .bool(true)
            case 22: return .null
            case 23: return .string("undefined")
            case 24: return .string("simple(\(try reader.byte()))")
            case 25: return BinaryValueReader.number(halfFloat(UInt16(try reader.unsigned(2))))
            case 26: return BinaryValueReader.number(Double(Float(bitPattern: UInt32(try reader.unsigned(4)))))
            case 27: return BinaryValueReader.number(Double(bitPattern: try reader.unsigned(8)))
            case 0..<20: return .string("simple(\(info))")
            default: throw Problem(description: "additional information \(info) is reserved for simple values")
            }
        }
    }

    /// An IEEE 754 half-precision number (RFC 8949, appendix D).
    static func halfFloat(_ bits: UInt16) -> Double {
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = Double(bits & 0x3FF)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = mantissa * 0x1p-24
        case 31: magnitude = mantissa == 0 ? .infinity : .nan
        default: magnitude = (mantissa + 1024) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return bits & 0x8000 != 0 ? -magnitude : magnitude
    }
}

import NIOCore
import WSTapMutation
import WSTapTestSupport

/// Byte helpers shared by the compression tests.
enum TestBytes {
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }

    static func array(_ buffer: ByteBuffer) -> [UInt8] {
        Array(buffer.readableBytesView)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    static func fromHex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex), index < text.endIndex {
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    /// Random bytes, or repetitive text when `repetitive` is set.
    static func payload(size: Int, repetitive: Bool, using generator: inout FuzzRandom) -> [UInt8] {
        if repetitive {
            let words = Array("the quick brown fox jumps over the lazy dog; lorem ipsum dolor sit amet. ".utf8)
            return (0..<size).map { words[($0 * 7 / 5) % words.count] }
        }
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices {
            bytes[index] = UInt8(truncatingIfNeeded: generator.next())
        }
        return bytes
    }
}

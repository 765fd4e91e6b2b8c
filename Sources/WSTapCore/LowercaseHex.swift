/// Bytes as lowercase hexadecimal digits, two per byte, without separators: the `payloadHex` of the JSON
/// events and the bytes of lens fields. Table-driven, written straight into the destination's memory (no
/// per-byte appends): it runs on every message `--jsonl` prints.
public enum LowercaseHex {
    private static let digits: StaticString = "0123456789abcdef"

    /// The digits of `bytes` as a string.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ string(UnsafeRawBufferPointer($0)) }) {
            return text
        }
        return Array(bytes).withUnsafeBytes { string($0) }
    }

    /// The digits of the bytes at `bytes` as a string.
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            guard let base = out.baseAddress else { return 0 }
            write(bytes, to: base)
            return bytes.count * 2
        }
    }

    /// Appends the digits of `bytes` to `out`.
    public static func append(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        if bytes.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0), to: &out) }) == nil {
            Array(bytes).withUnsafeBytes { append($0, to: &out) }
        }
    }

    /// Appends the digits of the bytes at `bytes` to `out`.
    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bytes.count * 2))
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            write(bytes, to: base + start)
        }
    }

    /// Writes two digits per byte at `destination`, which has room for them.
    private static func write(_ bytes: UnsafeRawBufferPointer, to destination: UnsafeMutablePointer<UInt8>) {
        let table = digits.utf8Start
        var out = destination
        for byte in bytes {
            out[0] = table[Int(byte >> 4)]
            out[1] = table[Int(byte & 0x0F)]
            out += 2
        }
    }
}

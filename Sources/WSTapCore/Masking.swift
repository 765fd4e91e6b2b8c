/// Masking and unmasking of payload bytes (RFC 6455 section 5.3), a machine word at a time.
///
/// Masking is its own inverse: the same call masks and unmasks. `phase` is the position of the first
/// byte within the payload modulo 4, so a payload can be processed in chunks of any size.
public enum Masking {
    /// XORs `count` bytes read from `source` with the key and writes them to `destination`.
    ///
    /// `source` and `destination` may be the same pointer (in place) but must not otherwise overlap.
    /// - Returns: the phase of the byte after the last one processed.
    @inlinable
    @discardableResult
    public static func apply(
        key: MaskingKey, phase: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer,
        count: Int
    ) -> Int {
        var index = 0
        // Eight copies of the key bytes starting at `phase`, in memory order, as one word.
        let word = repeatedKeyWord(key: key, phase: phase)
        while index &+ 32 <= count {
            let a = source.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ word
            let b = source.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self) ^ word
            let c = source.loadUnaligned(fromByteOffset: index &+ 16, as: UInt64.self) ^ word
            let d = source.loadUnaligned(fromByteOffset: index &+ 24, as: UInt64.self) ^ word
            destination.storeBytes(of: a, toByteOffset: index, as: UInt64.self)
            destination.storeBytes(of: b, toByteOffset: index &+ 8, as: UInt64.self)
            destination.storeBytes(of: c, toByteOffset: index &+ 16, as: UInt64.self)
            destination.storeBytes(of: d, toByteOffset: index &+ 24, as: UInt64.self)
            index &+= 32
        }
        while index &+ 8 <= count {
            let a = source.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ word
            destination.storeBytes(of: a, toByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < count {
            let byte = source.load(fromByteOffset: index, as: UInt8.self) ^ key[phase &+ index]
            destination.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
            index &+= 1
        }
        return (phase &+ count) & 3
    }

    /// Masks or unmasks bytes in place.
    @inlinable
    @discardableResult
    public static func apply(key: MaskingKey, phase: Int, inPlace bytes: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return phase & 3 }
        return apply(key: key, phase: phase, from: UnsafeRawPointer(base), to: base, count: bytes.count)
    }

    /// Masks or unmasks an array of bytes, returning the result.
    public static func applied(key: MaskingKey, phase: Int = 0, to bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        result.withUnsafeMutableBytes { _ = apply(key: key, phase: phase, inPlace: $0) }
        return result
    }

    /// The word whose bytes in memory are key[phase], key[phase+1], ... eight times over.
    @inlinable
    static func repeatedKeyWord(key: MaskingKey, phase: Int) -> UInt64 {
        // The key bytes in wire order as the value of a little-endian 32-bit word (byte 0 lowest), then
        // rotated so that key[phase] is the lowest byte, then repeated: no per-byte loop or branches.
        let bytes = key.bytes
        let inOrder = UInt32(bytes.0) | UInt32(bytes.1) << 8 | UInt32(bytes.2) << 16 | UInt32(bytes.3) << 24
        let shift = UInt32(truncatingIfNeeded: phase & 3) &* 8
        let rotated = (inOrder &>> shift) | (inOrder &<< ((32 &- shift) & 31))
        let word = UInt64(rotated) | UInt64(rotated) << 32
        // That value is the little-endian memory image; swap on big-endian hosts.
        return UInt64(littleEndian: word)
    }
}

/// The two framings of the hybi-00 draft that the original library speaks.
public enum Hybi00Framing: String, Hashable, Sendable, CaseIterable {
    /// Sentinel framing: `0x00`, UTF-8 text, `0xFF`; close is `0xFF 0x00`. Frame types with the high bit
    /// set carry a length in 7-bit groups (the draft's binary frames).
    case old
    /// Length-prefixed framing: a type byte (`0xFF` data, `0x00` close), an 8-byte big-endian length,
    /// then the payload.
    case new
}

/// Why a ``FrameSpec`` cannot be written.
public struct FrameEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The length that was to be declared.
    public var declaredLength: UInt64
    /// The encoding that cannot hold it.
    public var encoding: PayloadLengthEncoding

    /// Says which length does not fit, in which field, and the field's largest value.
    public var description: String {
        let largest = encoding == .bits7 ? "125" : "65535"
        return "a \(encoding.bitCount)-bit length field cannot hold \(declaredLength): its largest value is \(largest)"
    }
}

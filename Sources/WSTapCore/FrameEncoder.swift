public import NIOCore

/// Writes RFC 6455 frames: the fast path for endpoints, and free-form crafting from a ``FrameSpec``.
public enum FrameEncoder {
    /// Writes a header and its payload, masking the payload with the header's key if it has one.
    ///
    /// The payload is written as given even when its length differs from the declared one.
    public static func write(header: FrameHeader, payload: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        let total = header.size + payload.count
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { destination in
            let headerSize = header.write(to: destination)
            guard payload.count > 0, let source = payload.baseAddress, let target = destination.baseAddress else {
                return headerSize
            }
            if let key = header.maskingKey {
                Masking.apply(key: key, phase: 0, from: source, to: target + headerSize, count: payload.count)
            } else {
                (target + headerSize).copyMemory(from: source, byteCount: payload.count)
            }
            return total
        }
    }

    /// Writes a header and a payload held in a ByteBuffer.
    public static func write(header: FrameHeader, payload: ByteBuffer, into buffer: inout ByteBuffer) {
        payload.withUnsafeReadableBytes { write(header: header, payload: $0, into: &buffer) }
    }

    /// Writes a header and a payload given as any collection of bytes.
    public static func write(header: FrameHeader, payload: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        let done: Void? = payload.withContiguousStorageIfAvailable {
            write(header: header, payload: UnsafeRawBufferPointer($0), into: &buffer)
        }
        if done == nil {
            Array(payload).withUnsafeBytes { write(header: header, payload: $0, into: &buffer) }
        }
    }

    /// The header a spec describes, drawing a random key from `generator` when asked to.
    public static func header(
        for spec: FrameSpec, using generator: inout some RandomNumberGenerator
    ) throws(FrameEncodingError) -> FrameHeader {
        let length = spec.declaredLength ?? UInt64(spec.payload.count)
        let encoding = spec.lengthEncoding ?? .minimal(for: length)
        guard encoding.canHold(length) else {
            throw FrameEncodingError(declaredLength: length, encoding: encoding)
        }
        let key: MaskingKey?
        switch spec.mask {
        case .none: key = nil
        case .random: key = .random(using: &generator)
        case .key(let given): key = given
        }
        return FrameHeader(
            fin: spec.fin, reservedBits: spec.reservedBits, opcode: spec.opcode, maskingKey: key,
            payloadLength: length, lengthEncoding: encoding)
    }

    /// Writes the frame a spec describes.
    /// - Returns: the header written (with the key drawn, if random).
    @discardableResult
    public static func encode(
        _ spec: FrameSpec, into buffer: inout ByteBuffer, using generator: inout some RandomNumberGenerator
    ) throws(FrameEncodingError) -> FrameHeader {
        let header = try header(for: spec, using: &generator)
        write(header: header, payload: spec.payload, into: &buffer)
        return header
    }

    /// The bytes of the frame a spec describes, with random keys from the system's secure source.
    public static func encode(_ spec: FrameSpec) throws(FrameEncodingError) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var buffer = ByteBuffer()
        try encode(spec, into: &buffer, using: &generator)
        return Array(buffer.readableBytesView)
    }
}

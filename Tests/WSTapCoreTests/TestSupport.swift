import NIOCore
import WSTapCore

/// Bytes written as hexadecimal with optional spaces.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}

/// Decodes a whole byte stream fed in pieces of the given sizes (cycled), returning every frame and
/// what was left incomplete.
func decodeAll(
    _ bytes: [UInt8], chunkSizes: [Int] = [Int.max], configuration: FrameDecoderConfiguration = .init()
) -> (frames: [DecodedFrame], incomplete: IncompleteFrame?) {
    var decoder = FrameDecoder(configuration: configuration)
    var frames: [DecodedFrame] = []
    var offset = 0
    var chunkIndex = 0
    while offset < bytes.count {
        let size = max(1, min(chunkSizes[chunkIndex % chunkSizes.count], bytes.count - offset))
        chunkIndex += 1
        decoder.append(ByteBuffer(bytes: bytes[offset..<(offset + size)]))
        offset += size
        while let frame = decoder.nextFrame() { frames.append(frame) }
    }
    while let frame = decoder.nextFrame() { frames.append(frame) }
    return (frames, decoder.finish())
}

extension DecodedFrame {
    var payloadBytes: [UInt8] { Array(payload.readableBytesView) }
    var violationKinds: [Violation.Kind] { violations.map(\.kind) }
}

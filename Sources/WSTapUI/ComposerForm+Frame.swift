import NIOCore
public import WSTapCore
import WSTapInspect

extension ComposerForm {
    /// A form that, unchanged, gives back the frame's exact bytes (its masking key kept): the start of a
    /// repeater with edits. `nil` when the frame's whole payload is not held.
    public init?(frame: TrafficEvent.FrameSeen, target: ComposerTarget) {
        switch frame.content {
        case .rfc6455(let decoded):
            guard decoded.isPayloadComplete else { return nil }
            self.init(target: target, variant: .rfc6455)
            fill(header: decoded.header, payload: Array(decoded.payload.readableBytesView))
        case .hybi00(let decoded):
            guard decoded.isComplete else { return nil }
            self.init(target: target, variant: .hybi00)
            fillHybi00(
                framing: decoded.framing, typeByte: decoded.typeByte, isClose: decoded.isClose,
                declaredLength: decoded.declaredLength, payload: Array(decoded.payload.readableBytesView))
        }
    }

    /// The same form from a frame's row in the list and its whole payload as it was on the wire (for frames
    /// older than the ones kept as captured). `nil` when the row cannot give the frame back: a payload cut
    /// at the capture limit, or one shown inflated (the bytes sent were compressed).
    init?(row: FrameRow, payload: [UInt8], target: ComposerTarget) {
        guard row.flags.contains(.payloadComplete), !row.flags.contains(.inflated) else { return nil }
        if row.isHybi00 {
            self.init(target: target, variant: .hybi00)
            fillHybi00(
                framing: row.flags.contains(.hybi00NewFraming) ? .new : .old, typeByte: row.firstByte,
                isClose: row.flags.contains(.hybi00Close),
                declaredLength: row.flags.contains(.hybi00DeclaredLength) ? row.payloadLength : nil, payload: payload)
        } else {
            guard UInt64(payload.count) == row.payloadLength else { return nil }
            self.init(target: target, variant: .rfc6455)
            fill(header: row.header, payload: payload)
        }
    }

    /// The fields of an RFC 6455 frame: header bits, masking key, a non-minimal length, the payload (a close
    /// body as code and reason when the reason is printable).
    private mutating func fill(header: FrameHeader, payload: [UInt8]) {
        fin = header.fin
        reservedBits = header.reservedBits
        opcode = header.opcode
        if let key = header.maskingKey {
            mask = .key
            maskKeyText = key.hex
        } else {
            mask = .none
        }
        if header.hasNonMinimalLength {
            switch header.lengthEncoding {
            case .bits7: length = .bits7
            case .bits16: length = .bits16
            case .bits64: length = .bits64
            }
        }
        if header.opcode == .close, payload.count >= 2, let body = Self.closeBodyFields(payload) {
            closeCodeText = body.code
            closeReasonText = body.reason
        } else {
            setPayload(payload)
        }
    }

    /// The fields of a hybi-00 frame: framing, an unusual type byte, a declared length that differs.
    private mutating func fillHybi00(
        framing: Hybi00Framing, typeByte: UInt8, isClose: Bool, declaredLength: UInt64?, payload: [UInt8]
    ) {
        self.framing = framing
        opcode = isClose ? .close : .text
        let usual: UInt8 = (framing == .old) == isClose ? 0xFF : 0x00
        if typeByte != usual { typeByteText = "0x" + HexText.format([typeByte]) }
        if let declaredLength, declaredLength != UInt64(payload.count) { declaredLengthText = String(declaredLength) }
        setPayload(payload)
    }

    /// Sets the payload as text when it is printable UTF-8, as hex otherwise.
    mutating func setPayload(_ bytes: [UInt8]) {
        if let text = Self.printableText(bytes) {
            payloadSource = .text
            payloadText = text
        } else {
            payloadSource = .hex
            payloadText = HexText.format(bytes, separator: " ")
        }
    }

    /// The bytes as text when they are valid UTF-8 without control characters (which a field cannot hold).
    static func printableText(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else { return nil }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        return text
    }

    /// A close body's code and reason as field text, when the reason is printable.
    private static func closeBodyFields(_ payload: [UInt8]) -> (code: String, reason: String)? {
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        guard let reason = printableText(Array(payload.dropFirst(2))) else { return nil }
        return (String(code), reason)
    }
}

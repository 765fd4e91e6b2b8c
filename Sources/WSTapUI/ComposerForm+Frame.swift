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
            let header = decoded.header
            self.init(target: target, variant: .rfc6455)
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
            let payload = Array(decoded.payload.readableBytesView)
            if header.opcode == .close, payload.count >= 2, let body = Self.closeBodyFields(payload) {
                closeCodeText = body.code
                closeReasonText = body.reason
            } else {
                setPayload(payload)
            }
        case .hybi00(let decoded):
            guard decoded.isComplete else { return nil }
            self.init(target: target, variant: .hybi00)
            framing = decoded.framing
            opcode = decoded.isClose ? .close : .text
            let usual: UInt8 = (decoded.framing == .old) == decoded.isClose ? 0xFF : 0x00
            if decoded.typeByte != usual { typeByteText = "0x" + HexText.format([decoded.typeByte]) }
            if let declared = decoded.declaredLength, declared != UInt64(decoded.payload.readableBytes) {
                declaredLengthText = String(declared)
            }
            setPayload(Array(decoded.payload.readableBytesView))
        }
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

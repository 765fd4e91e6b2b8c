import NIOCore
import WSTapCore

extension FrameRow {
    /// The compact row of a frame the proxy saw, and the payload its preview is cut from (the inflated
    /// payload of a compressed message).
    init(_ frame: TrafficEvent.FrameSeen) {
        var flags: Flags = frame.direction == .serverToClient ? [.serverToClient] : []
        var closeCode: UInt16 = 0
        switch frame.content {
        case .rfc6455(let decoded):
            let header = decoded.header
            firstByte = header.firstByte
            maskKey = header.maskingKey?.value ?? 0
            if header.isMasked { flags.insert(.masked) }
            switch header.lengthEncoding {
            case .bits7: break
            case .bits16: flags.insert(.length16)
            case .bits64: flags.insert(.length64)
            }
            payloadLength = header.payloadLength
            if decoded.isPayloadComplete { flags.insert(.payloadComplete) }
            if header.opcode == .close, decoded.payload.readableBytes >= 2,
                let code = decoded.payload.getInteger(at: decoded.payload.readerIndex, as: UInt16.self)
            {
                closeCode = code
                flags.insert(.hasCloseCode)
            }
        case .hybi00(let decoded):
            flags.insert(.hybi00)
            if decoded.framing == .new { flags.insert(.hybi00NewFraming) }
            if decoded.isClose { flags.insert(.hybi00Close) }
            if decoded.isText { flags.insert(.hybi00Text) }
            if decoded.isComplete { flags.insert(.payloadComplete) }
            firstByte = decoded.typeByte
            maskKey = 0
            if let declared = decoded.declaredLength {
                flags.insert(.hybi00DeclaredLength)
                payloadLength = declared
            } else {
                payloadLength = UInt64(decoded.payload.readableBytes)
            }
        }
        if frame.inflatedPayload != nil { flags.insert(.inflated) }
        if frame.inflationCut != nil { flags.insert(.inflatedCut) }
        self.flags = flags
        self.closeCode = closeCode
        wallSeconds = frame.at.wallSeconds
        connection = frame.connection
        holdID = frame.disposition.holdID ?? 0
        dispositionKind = Self.dispositionCode(frame.disposition)
        violationKinds = Self.violationMask(frame.violations)
        previewCount = 0
    }

    /// The bytes the frame took on the wire (for the rates).
    static func wireLength(_ frame: TrafficEvent.FrameSeen) -> UInt64 {
        switch frame.content {
        case .rfc6455(let decoded): return decoded.wireLength
        case .hybi00(let decoded): return UInt64(decoded.wireLength)
        }
    }
}

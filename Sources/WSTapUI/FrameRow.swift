import WSTapCore

/// One frame as the frame list keeps it: the header fields in a few machine words, no payload (the
/// preview bytes live beside it in ``FrameStore``). A million of these take about 64 MB.
struct FrameRow: Sendable {
    var wallSeconds: Double
    /// Where ``FrameStore``'s ring of whole payloads keeps this frame's payload (-1: not kept).
    var payloadOffset: Int64 = -1
    /// The declared payload length (hybi-00: the declared length, or the payload's length).
    var payloadLength: UInt64
    var connection: UInt64
    /// The hold id of the disposition, if it has one.
    var holdID: UInt64
    var maskKey: UInt32
    /// Bit `n` set: the frame breaks rule number `n` of `Violation.Kind.allCases`.
    var violationKinds: UInt32
    var closeCode: UInt16
    /// RFC 6455: FIN, RSV1-3 and the opcode; hybi-00: the frame-type byte.
    var firstByte: UInt8
    var flags: Flags
    var dispositionKind: UInt8
    /// How many preview bytes are kept (at most ``FrameStore/previewCapacity``).
    var previewCount: UInt8

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt16
        static let serverToClient = Flags(rawValue: 1 << 0)
        static let masked = Flags(rawValue: 1 << 1)
        static let length16 = Flags(rawValue: 1 << 2)
        static let length64 = Flags(rawValue: 1 << 3)
        static let hybi00 = Flags(rawValue: 1 << 4)
        static let hybi00NewFraming = Flags(rawValue: 1 << 5)
        static let hasCloseCode = Flags(rawValue: 1 << 6)
        static let payloadComplete = Flags(rawValue: 1 << 7)
        static let inflated = Flags(rawValue: 1 << 8)
        static let hybi00DeclaredLength = Flags(rawValue: 1 << 9)
        static let hybi00Close = Flags(rawValue: 1 << 10)
        static let hybi00Text = Flags(rawValue: 1 << 11)
        /// Decoded again in another framing: the frames after it replace this one.
        static let superseded = Flags(rawValue: 1 << 12)
        /// Its inflated payload holds only the start of what it inflates to (a display limit).
        static let inflatedCut = Flags(rawValue: 1 << 13)
        /// The payload shown (captured or inflated) is longer than the preview kept beside the row.
        static let previewCut = Flags(rawValue: 1 << 14)
    }

    var direction: TrafficDirection { flags.contains(.serverToClient) ? .serverToClient : .clientToServer }
    var isHybi00: Bool { flags.contains(.hybi00) }
    var variant: ProtocolVariant { isHybi00 ? .hybi00 : .rfc6455 }
    var opcode: Opcode { Opcode(lowBitsOf: firstByte) }
    var fin: Bool { firstByte & 0x80 != 0 }
    var reservedBits: ReservedBits { ReservedBits(rawValue: firstByte) }
    var maskingKey: MaskingKey? { flags.contains(.masked) ? MaskingKey(value: maskKey) : nil }
    var closeCodeValue: CloseCode? { flags.contains(.hasCloseCode) ? CloseCode(closeCode) : nil }
    var hasViolations: Bool { violationKinds != 0 }

    /// Whether the preview kept beside the row is not the whole payload the list shows: the payload was
    /// cut at the capture limit, or is longer than the preview, or (inflated) was cut at the display limit.
    func previewIsCut(_ preview: ArraySlice<UInt8>) -> Bool {
        guard flags.contains(.inflated) else {
            return UInt64(preview.count) < payloadLength || !flags.contains(.payloadComplete)
        }
        return flags.contains(.previewCut) || flags.contains(.inflatedCut)
    }

    var lengthEncoding: PayloadLengthEncoding {
        if flags.contains(.length64) { return .bits64 }
        if flags.contains(.length16) { return .bits16 }
        return .bits7
    }

    /// The header as it was on the wire (RFC 6455 frames).
    var header: FrameHeader {
        FrameHeader(
            fin: fin, reservedBits: reservedBits, opcode: opcode, maskingKey: maskingKey, payloadLength: payloadLength,
            lengthEncoding: lengthEncoding)
    }

    /// The words the list's preview shows that are not payload bytes, so that search finds them too: a
    /// close frame's code and the code's name (`1000 normal-closure`).
    var rowWords: String? {
        guard !isHybi00, opcode == .close, let code = closeCodeValue else { return nil }
        return "\(code.rawValue) \(code.name)"
    }

    /// The opcode name, or the hybi-00 frame kind.
    var kindName: String {
        guard isHybi00 else { return opcode.name }
        if flags.contains(.hybi00Text) { return "text" }
        if flags.contains(.hybi00Close) { return "close" }
        if !flags.contains(.hybi00NewFraming), firstByte & 0x80 != 0 { return "binary" }
        return "unknown"
    }

    var disposition: FrameDisposition {
        switch dispositionKind & 0x0F {
        case 1: return .held(holdID)
        case 2: return .released(holdID)
        case 3: return .edited(holdID)
        case 4: return .dropped(holdID)
        case 5: return .injected
        case 6: return .replaced
        case 7: return .removed
        case 8: return .rewritten
        default: return .relayed
        }
    }

    /// For a frame that arrived held: what the user decided (released, edited or dropped), once known.
    /// Kept in the high bits of `dispositionKind`.
    var heldOutcome: FrameDisposition? {
        get {
            guard case .held(let id) = disposition else { return nil }
            switch dispositionKind >> 4 {
            case 2: return .released(id)
            case 3: return .edited(id)
            case 4: return .dropped(id)
            default: return nil
            }
        }
        set {
            dispositionKind = (dispositionKind & 0x0F) | (newValue.map { Self.dispositionCode($0) << 4 } ?? 0)
        }
    }

    /// `held`, or what became of a held frame: `held, then edited`.
    var dispositionWords: String {
        heldOutcome.map { "\(disposition.name), then \($0.name)" } ?? disposition.name
    }

    /// The violation kinds, in `Violation.Kind.allCases` order.
    var violations: [Violation.Kind] {
        guard violationKinds != 0 else { return [] }
        return Violation.Kind.allCases.enumerated().compactMap { index, kind in
            violationKinds & (1 << UInt32(index)) != 0 ? kind : nil
        }
    }

    static func violationMask(_ violations: [Violation]) -> UInt32 {
        var mask: UInt32 = 0
        for violation in violations {
            if let index = Violation.Kind.allCases.firstIndex(of: violation.kind), index < 32 {
                mask |= 1 << UInt32(index)
            }
        }
        return mask
    }

    static func dispositionCode(_ disposition: FrameDisposition) -> UInt8 {
        switch disposition {
        case .relayed: return 0
        case .held: return 1
        case .released: return 2
        case .edited: return 3
        case .dropped: return 4
        case .injected: return 5
        case .replaced: return 6
        case .removed: return 7
        case .rewritten: return 8
        }
    }
}

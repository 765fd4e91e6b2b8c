import NIOCore
public import WSTapCore
public import WSTapInspect  // InputError, HexText

/// The composer's form: every choice that makes up a handcrafted frame (or a run of fragments), as the
/// user sets it. ``build(using:)`` turns it into bytes; the overlay shows them live and sending sends
/// exactly them.
public struct ComposerForm: Hashable, Sendable {
    /// How the payload is masked.
    public enum MaskChoice: String, Hashable, Sendable, CaseIterable {
        case none
        /// A fresh key per frame from the state's generator (shown before it is sent).
        case random
        /// The key typed in the mask key field.
        case key
    }

    /// How the payload length is written.
    public enum LengthChoice: String, Hashable, Sendable, CaseIterable {
        case minimal
        case bits7 = "7-bit"
        case bits16 = "16-bit"
        case bits64 = "64-bit"

        var encoding: PayloadLengthEncoding? {
            switch self {
            case .minimal: return nil
            case .bits7: return .bits7
            case .bits16: return .bits16
            case .bits64: return .bits64
            }
        }
    }

    /// Where the payload bytes come from.
    public enum PayloadSource: String, Hashable, Sendable, CaseIterable {
        case text
        case hex
        /// The payload field holds a path; the glue reads the file (``UIEffect/loadFile(path:)``).
        case file
    }

    /// Where Enter sends the frame.
    public var target: ComposerTarget
    /// The protocol of the target connection: hybi-00 frames have a framing and no header bits.
    public var variant: ProtocolVariant
    /// FIN of the (last) frame; earlier fragments always have it clear.
    public var fin = true
    /// RSV1-3 of the (first) frame.
    public var reservedBits: ReservedBits = []
    /// The (first) frame's opcode, any of the 16; hybi-00: text or close.
    public var opcode: Opcode = .text
    /// How the frames are masked: not at all, with a fresh random key each, or with the key typed in
    /// ``maskKeyText``.
    public var mask: MaskChoice
    /// The key when ``mask`` is ``MaskChoice/key``: eight hex digits.
    public var maskKeyText = ""
    /// The length encoding of every frame.
    public var length: LengthChoice = .minimal
    /// Empty: the payload's real length.
    public var declaredLengthText = ""
    /// How many frames the payload is split into: the first carries the opcode, the rest are continuations.
    public var fragmentsText = "1"
    /// Empty: a close frame with no body.
    public var closeCodeText = ""
    /// The close reason after the code (only with a close code).
    public var closeReasonText = ""
    /// hybi-00: old (sentinel) or new (length-prefixed) framing.
    public var framing: Hybi00Framing = .old
    /// hybi-00: the frame-type byte; empty: the one the opcode and framing call for.
    public var typeByteText = ""
    /// What the payload field holds.
    public var payloadSource: PayloadSource = .text
    /// The payload as text, as hex digits, or a file's path (by ``payloadSource``).
    public var payloadText = ""
    /// The file read for the payload, and its path.
    public internal(set) var loadedFile: LoadedFile?
    /// The field the cursor is on.
    public internal(set) var focus: ComposerField = .payload
    /// Where typing goes in the focused text field, in characters from its start; `nil`: at its end.
    public internal(set) var cursor: Int?
    /// The entry of the recent list that the recent field points at.
    var recentSelection = 0

    /// A file the glue has read for the payload.
    public struct LoadedFile: Hashable, Sendable {
        /// The path as typed.
        public var path: String
        /// The file's bytes: the payload.
        public var bytes: [UInt8]
    }

    /// A form with the defaults for its target: masked with a random key from client to server,
    /// unmasked the other way.
    public init(target: ComposerTarget, variant: ProtocolVariant = .rfc6455) {
        self.target = target
        self.variant = variant
        mask = target.direction == .clientToServer ? .random : .none
    }

    /// The longest text a field takes.
    static let maxFieldCharacters = 4096
    /// The most fragments a message is split into.
    static let maxFragments = 4096

    // MARK: Fields

    /// The fields shown, in the order Tab visits them.
    public var fields: [ComposerField] {
        var fields: [ComposerField] = []
        if case .proxied = target { fields += [.connection, .direction] }
        fields.append(.opcode)
        switch variant {
        case .rfc6455:
            fields += [.fin, .reservedBits, .mask]
            if mask == .key { fields.append(.maskKey) }
            fields += [.lengthEncoding, .declaredLength, .fragments]
            if opcode == .close { fields += [.closeCode, .closeReason] }
        case .hybi00:
            fields += [.typeByte, .framing, .declaredLength]
        }
        fields += [.payloadSource, .payload, .recent]
        return fields
    }

    /// The text of a text field (empty for the others).
    func text(of field: ComposerField) -> String {
        switch field {
        case .maskKey: return maskKeyText
        case .typeByte: return typeByteText
        case .declaredLength: return declaredLengthText
        case .fragments: return fragmentsText
        case .closeCode: return closeCodeText
        case .closeReason: return closeReasonText
        case .payload: return payloadText
        default: return ""
        }
    }

    mutating func setText(_ text: String, of field: ComposerField) {
        switch field {
        case .maskKey: maskKeyText = text
        case .typeByte: typeByteText = text
        case .declaredLength: declaredLengthText = text
        case .fragments: fragmentsText = text
        case .closeCode: closeCodeText = text
        case .closeReason: closeReasonText = text
        case .payload: payloadText = text
        default: break
        }
    }

    // MARK: Bytes

    /// Whether the payload is a file that has not been read yet (or was read from another path).
    public var needsFile: Bool {
        payloadSource == .file && loadedFile?.path != payloadText.trimmingSpaces
    }

    /// The frames' bytes, one after another. Random keys come from `generator`, one per frame.
    /// - Throws: ``InputError`` naming the field and why it does not make a frame.
    public func build(using generator: inout some RandomNumberGenerator) throws(InputError) -> [UInt8] {
        let frames = try buildFrames(using: &generator)
        guard frames.count != 1 else { return frames[0] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frames.reduce(0) { $0 + $1.count })
        for frame in frames { bytes.append(contentsOf: frame) }
        return bytes
    }

    /// Each frame's bytes (more than one when fragmented).
    func buildFrames(using generator: inout some RandomNumberGenerator) throws(InputError) -> [[UInt8]] {
        var payload = try payloadBytes()
        let declaredLength = try number(declaredLengthText, field: .declaredLength, limit: UInt64.max)
        switch variant {
        case .rfc6455:
            if opcode == .close, !closeCodeText.trimmingSpaces.isEmpty {
                let code = try number(closeCodeText, field: .closeCode, limit: 0xFFFF) ?? 0
                payload = CloseBody(code: CloseCode(UInt16(code)), reason: closeReasonText).bytes + payload
            } else if opcode == .close, !closeReasonText.isEmpty {
                throw InputError("reason", "needs a close code: a close reason follows the code on the wire")
            }
            let count = try number(fragmentsText, field: .fragments, limit: UInt64(Self.maxFragments)) ?? 1
            guard count >= 1 else { throw InputError("fragments", "0 frames carry nothing: give 1 or more") }
            if count > 1, declaredLength != nil {
                throw InputError("declared", "a declared length works on a single frame, not on \(count) fragments")
            }
            let maskSpec: FrameSpec.Mask
            switch mask {
            case .none: maskSpec = .none
            case .random: maskSpec = .random
            case .key:
                guard let key = MaskingKey(hex: maskKeyText.trimmingSpaces) else {
                    throw InputError("mask key", "'\(maskKeyText)' is not a key of 8 hex digits like 37fa213d")
                }
                maskSpec = .key(key)
            }
            var frames: [[UInt8]] = []
            let fragments = Int(count)
            for index in 0..<fragments {
                let piece = payload[payload.count * index / fragments..<payload.count * (index + 1) / fragments]
                let spec = FrameSpec(
                    fin: index == fragments - 1 ? fin : false, reservedBits: index == 0 ? reservedBits : [],
                    opcode: index == 0 ? opcode : .continuation, mask: maskSpec, lengthEncoding: length.encoding,
                    declaredLength: declaredLength, payload: Array(piece))
                var buffer = ByteBuffer()
                do {
                    try FrameEncoder.encode(spec, into: &buffer, using: &generator)
                } catch {
                    throw InputError("length", error.description)
                }
                frames.append(Array(buffer.readableBytesView))
            }
            return frames
        case .hybi00:
            guard opcode == .text || opcode == .close else {
                throw InputError("opcode", "hybi-00 has only text and closing frames")
            }
            let typeByte = try number(typeByteText, field: .typeByte, limit: 0xFF).map { UInt8($0) }
            return [
                Hybi00FrameEncoder.encode(
                    Hybi00FrameSpec(
                        framing: framing, typeByte: typeByte, isClose: opcode == .close,
                        declaredLength: declaredLength, payload: payload))
            ]
        }
    }

    /// The payload field's bytes.
    func payloadBytes() throws(InputError) -> [UInt8] {
        switch payloadSource {
        case .text:
            return Array(payloadText.utf8)
        case .hex:
            do {
                return try HexText.parse(payloadText)
            } catch {
                throw InputError("payload", error.reason)
            }
        case .file:
            let path = payloadText.trimmingSpaces
            guard !path.isEmpty else { throw InputError("payload", "no file name: type a path") }
            guard let loadedFile, loadedFile.path == path else {
                throw InputError("payload", "\(path) is not read yet: Enter reads it")
            }
            return loadedFile.bytes
        }
    }

    /// A decimal (or `0x` hexadecimal) number typed in a field; `nil` when the field is empty.
    private func number(_ text: String, field: ComposerField, limit: UInt64) throws(InputError) -> UInt64? {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return nil }
        let lowered = trimmed.lowercased()
        let parsed = lowered.hasPrefix("0x") ? UInt64(lowered.dropFirst(2), radix: 16) : UInt64(lowered)
        guard let value = parsed else {
            throw InputError(field.label, "'\(trimmed)' is not a number")
        }
        guard value <= limit else {
            throw InputError(field.label, "\(value) is out of range: at most \(limit)")
        }
        return value
    }

    // MARK: Words

    /// A short description for the recent list: opcode, payload start, size and where it went.
    func summary(byteCount: Int) -> String {
        var text =
            variant == .hybi00 ? "hybi-00 \(framing.rawValue) \(opcode == .close ? "close" : "text")" : opcode.name
        if opcode == .close, !closeCodeText.isEmpty { text += " \(closeCodeText.trimmingSpaces)" }
        let fragments = fragmentsText.trimmingSpaces
        if variant == .rfc6455, fragments != "1", !fragments.isEmpty { text += " ×\(fragments)" }
        switch payloadSource {
        case .text: if !payloadText.isEmpty { text += " \"\(payloadText)\"" }
        case .hex: if !payloadText.isEmpty { text += " hex \(payloadText)" }
        case .file: text += " file \(payloadText)"
        }
        return text + " (\(byteCount) B)"
    }
}

/// One line of the composer's form. Which ones show depends on the target, the protocol and the
/// opcode (see ``ComposerForm/fields``).
public enum ComposerField: String, Hashable, Sendable, CaseIterable {
    case connection
    case direction
    case opcode
    case typeByte
    case fin
    case reservedBits
    case mask
    case maskKey
    case lengthEncoding
    case declaredLength
    case fragments
    case closeCode
    case closeReason
    case framing
    case payloadSource
    case payload
    case recent

    /// The label drawn before the value.
    var label: String {
        switch self {
        case .connection: return "connection"
        case .direction: return "direction"
        case .opcode: return "opcode"
        case .typeByte: return "type byte"
        case .fin: return "FIN"
        case .reservedBits: return "RSV1 2 3"
        case .mask: return "mask"
        case .maskKey: return "mask key"
        case .lengthEncoding: return "length"
        case .declaredLength: return "declared"
        case .fragments: return "fragments"
        case .closeCode: return "close code"
        case .closeReason: return "reason"
        case .framing: return "framing"
        case .payloadSource: return "payload as"
        case .payload: return "payload"
        case .recent: return "recent"
        }
    }

    /// Whether typing edits the field's text (the others change with Space and ←/→).
    var isText: Bool {
        switch self {
        case .maskKey, .typeByte, .declaredLength, .fragments, .closeCode, .closeReason, .payload: return true
        default: return false
        }
    }
}

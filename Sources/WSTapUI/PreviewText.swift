import WSTapCore
import WSTapInspect

/// The one-line preview of a stored frame: quoted text, hex for binary, code and reason for close.
enum PreviewText {
    static func make(_ row: FrameRow, _ bytes: ArraySlice<UInt8>, maxCharacters: Int) -> String {
        let cut = row.previewIsCut(bytes)
        if row.isHybi00 {
            if row.flags.contains(.hybi00Close) { return bytes.isEmpty ? "(closing frame)" : hex(bytes, cut: cut) }
            return textOrHex(bytes, cut: cut, preferText: row.kindName != "binary", maxCharacters: maxCharacters)
        }
        let opcode = row.opcode
        if opcode == .close {
            guard let code = row.closeCodeValue else {
                return bytes.isEmpty ? "(no status code)" : hex(bytes, cut: cut)
            }
            let reason = bytes.dropFirst(2)
            var text = "\(code.rawValue) \(code.name)"
            if !reason.isEmpty {
                text += " " + textOrHex(reason, cut: cut, preferText: true, maxCharacters: maxCharacters)
            }
            return text
        }
        if bytes.isEmpty, row.flags.contains(.inflated) {
            // Its compressed bytes inflate to nothing of their own (the end of a message), or to bytes past
            // the display limit.
            return row.flags.contains(.inflatedCut) ? "(inflated past the display limit: not kept)" : "\"\" (inflated)"
        }
        if bytes.isEmpty { return row.payloadLength == 0 ? "\"\"" : "(payload not held)" }
        return textOrHex(bytes, cut: cut, preferText: opcode != .binary, maxCharacters: maxCharacters)
    }

    static func textOrHex(_ bytes: ArraySlice<UInt8>, cut: Bool, preferText: Bool, maxCharacters: Int) -> String {
        if preferText, let text = validPrefix(bytes, cut: cut) {
            return PayloadPreview.quoted(text, maxCharacters: maxCharacters) + (cut ? "…" : "")
        }
        return hex(bytes, cut: cut)
    }

    static func hex(_ bytes: ArraySlice<UInt8>, cut: Bool) -> String {
        "hex:" + HexText.format(bytes) + (cut ? "…" : "")
    }

    /// The bytes as text when they are UTF-8, allowing a character cut at the end of a cut payload.
    static func validPrefix(_ bytes: ArraySlice<UInt8>, cut: Bool) -> String? {
        for drop in 0...(cut ? min(3, bytes.count) : 0) {
            let prefix = bytes.dropLast(drop)
            if UTF8Validator.isValid(prefix) { return String(decoding: prefix, as: UTF8.self) }
        }
        return nil
    }
}

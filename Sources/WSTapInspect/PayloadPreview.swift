public import NIOCore
import WSTapCore

/// A short, one-line rendering of a payload: quoted text when it is valid UTF-8, hexadecimal otherwise.
public enum PayloadPreview {
    /// Quoted, escaped text for UTF-8 payloads; hex for the rest. Long payloads are cut with a note of
    /// how many bytes were left out, counted against `totalLength` (the payload's whole length, when
    /// `payload` holds only its start: cut at a capture limit), so that a frame reads the same whether all
    /// of it was captured or not.
    public static func make(
        _ payload: ByteBuffer, preferText: Bool, totalLength: UInt64? = nil, maxCharacters: Int = 60,
        maxHexBytes: Int = 32
    ) -> String {
        let view = payload.readableBytesView
        let total = max(UInt64(view.count), totalLength ?? 0)
        func more(_ shownBytes: Int) -> String {
            let rest = total - UInt64(shownBytes)
            return rest > 0 ? "… (+\(CountWords.of(rest, "byte")))" : ""
        }
        // A payload cut short may end inside a character: up to three bytes of it are left out.
        let isCut = total > UInt64(view.count)
        if preferText, let text = validText(view, allowingCutCharacter: isCut) {
            var shownBytes = 0
            var count = 0
            for scalar in text.unicodeScalars {
                if count == maxCharacters { break }
                count += 1
                shownBytes += UTF8.width(scalar)
            }
            return quoted(text, maxCharacters: maxCharacters, notingCut: false) + more(shownBytes)
        }
        if payload.readableBytes == 0 { return total > 0 ? "…" + more(0) : "\"\"" }
        let shown = view.prefix(maxHexBytes)
        return "hex:" + HexText.format(shown) + more(shown.count)
    }

    /// The bytes as text when they are UTF-8; with `allowingCutCharacter`, the text before a character
    /// cut at the end.
    static func validText(_ bytes: ByteBufferView, allowingCutCharacter: Bool) -> String? {
        for drop in 0...(allowingCutCharacter ? min(3, bytes.count) : 0) {
            let prefix = bytes.dropLast(drop)
            if UTF8Validator.isValid(prefix) { return String(decoding: prefix, as: UTF8.self) }
        }
        return nil
    }

    /// Text in double quotes with control characters, quotes and backslashes escaped, cut at
    /// `maxCharacters` characters (noting how many were left out unless `notingCut` is false).
    public static func quoted(_ text: String, maxCharacters: Int = Int.max, notingCut: Bool = true) -> String {
        var out = "\""
        var count = 0
        var cut = 0
        for scalar in text.unicodeScalars {
            if count >= maxCharacters {
                cut += 1
                continue
            }
            count += 1
            TextEscaping.terminalControls.append(scalar, to: &out)
        }
        out += "\""
        if cut > 0, notingCut { out += "… (+\(CountWords.of(cut, "character")))" }
        return out
    }
}

/// Hex dump lines: `00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a           |Hello world.|`.
enum HexDump {
    /// The most bytes per line (16, 8 or 4) whose lines fit a pane `width` columns wide (drawn from its
    /// second column): a line takes 14 + 4 columns per byte.
    static func bytesPerLine(width: Int) -> Int {
        let room = width - 1
        if room >= 14 + 4 * 16 { return 16 }
        if room >= 14 + 4 * 8 { return 8 }
        return 4
    }

    static func lines(_ bytes: some Collection<UInt8>, bytesPerLine: Int = 16) -> [String] {
        var out: [String] = []
        var offset = 0
        var lineBytes: [UInt8] = []
        lineBytes.reserveCapacity(bytesPerLine)
        func flush() {
            var text = offsetText(offset) + "  "
            for index in 0..<bytesPerLine {
                if index == bytesPerLine / 2 { text += " " }
                text += index < lineBytes.count ? HexByte.text(lineBytes[index]) + " " : "   "
            }
            text += " |"
            for byte in lineBytes { text.append(byte >= 0x20 && byte < 0x7F ? Character(Unicode.Scalar(byte)) : ".") }
            text += "|"
            out.append(text)
            offset += lineBytes.count
            lineBytes.removeAll(keepingCapacity: true)
        }
        for byte in bytes {
            lineBytes.append(byte)
            if lineBytes.count == bytesPerLine { flush() }
        }
        if !lineBytes.isEmpty { flush() }
        return out
    }

    static func offsetText(_ offset: Int) -> String {
        let digits = String(offset, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

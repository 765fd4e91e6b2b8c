import WSTapCore

/// The RFC 6455 section 5.2 header diagram with a row of this frame's values under the field names.
enum HeaderDiagram {
    static let ruler = [
        " 0                   1                   2                   3",
        " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1",
    ]
    static let border = "+-+-+-+-+-------+-+-------------+-------------------------------+"
    static let names = [
        "|F|R|R|R| opcode|M| Payload len |    Extended payload length    |",
        "|I|S|S|S|  (4)  |A|     (7)     |            (16/64)            |",
        "|N|V|V|V|       |S|             |   (if payload len==126/127)   |",
        "| |1|2|3|       |K|             |                               |",
    ]

    static func lines(_ header: FrameHeader) -> [String] {
        let bits = header.reservedBits
        let sevenBit: UInt64
        let extended: String
        switch header.lengthEncoding {
        case .bits7:
            sevenBit = header.payloadLength & 0x7F
            extended = "(none)"
        case .bits16:
            sevenBit = 126
            extended = "\(header.payloadLength) (16-bit)"
        case .bits64:
            sevenBit = 127
            extended = "\(header.payloadLength) (64-bit)"
        }
        let values =
            "|\(header.fin ? 1 : 0)|\(bits.contains(.rsv1) ? 1 : 0)|\(bits.contains(.rsv2) ? 1 : 0)"
            + "|\(bits.contains(.rsv3) ? 1 : 0)|" + centred("0x" + String(header.opcode.rawValue, radix: 16), 7)
            + "|\(header.isMasked ? 1 : 0)|" + centred(String(sevenBit), 13) + "|" + centred(extended, 31) + "|"
        var out = ruler + [border] + names + [border, values, border]
        if let key = header.maskingKey {
            let text = "Masking-key: " + HexText4.spaced(key)
            out.append("|" + centred(text, 63) + "|")
            out.append("+" + String(repeating: "-", count: 63) + "+")
        }
        return out
    }

    static func centred(_ text: String, _ width: Int) -> String {
        guard text.count < width else { return String(text.prefix(width)) }
        let left = (width - text.count) / 2
        return String(repeating: " ", count: left) + text + String(repeating: " ", count: width - text.count - left)
    }
}

/// A masking key as `37 fa 21 3d`.
enum HexText4 {
    static func spaced(_ key: MaskingKey) -> String {
        [key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3].map(HexByte.text).joined(separator: " ")
    }
}

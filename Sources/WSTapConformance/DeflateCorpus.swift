import WSTapMutation

/// The payloads of the permessage-deflate cases, one per kind of data Autobahn's 12.x compresses (its files are
/// not shipped here, so wstap generates data of the same kinds and about the same sizes, the same bytes every
/// run): JSON, a grey-scale bitmap, German prose, HTML, and a PDF-like mix of text and incompressible streams.
public enum DeflateCorpus: String, Sendable, CaseIterable {
    case json, bitmap, prose, html, pdf

    /// What it is, in a few words (Autobahn's description of the data it stands for).
    public var name: String {
        switch self {
        case .json: return "JSON data (text)"
        case .bitmap: return "a 512x512 grey-scale bitmap (binary)"
        case .prose: return "German prose (binary, as Autobahn sends Goethe's Faust)"
        case .html: return "HTML (text)"
        case .pdf: return "a PDF-like mix of text and incompressible streams (binary)"
        }
    }

    /// Whether its messages are binary (text otherwise), as in Autobahn's cases.
    public var isBinary: Bool { self == .bitmap || self == .prose || self == .pdf }

    /// The data.
    public var bytes: [UInt8] {
        switch self {
        case .json: return Self.jsonBytes
        case .bitmap: return Self.bitmapBytes
        case .prose: return Self.proseBytes
        case .html: return Self.htmlBytes
        case .pdf: return Self.pdfBytes
        }
    }

    private static let words = [
        "der", "die", "und", "Nacht", "Geist", "Welt", "habe", "nun", "ach", "Philosophie", "Juristerei", "Medizin",
        "leider", "auch", "Theologie", "durchaus", "studiert", "heißem", "Bemühn", "steh", "ich", "armer", "Tor",
        "bin", "so", "klug", "als", "wie", "zuvor", "Magister", "heiße", "Doktor", "gar", "zehen", "Jahr", "Schüler",
        "Nase", "herum", "sehe", "daß", "wir", "nichts", "wissen", "können", "Herz", "verbrennen", "über", "Fülle",
    ]

    /// The words without their umlauts and ß: text messages are cut from the text at any byte, which must not
    /// fall inside a character.
    private static let asciiWords = words.map { word in
        word.replacing("ä", with: "ae").replacing("ö", with: "oe").replacing("ü", with: "ue").replacing("ß", with: "ss")
    }

    private static let jsonBytes: [UInt8] = {
        var random = FuzzRandom(seed: 12_1)
        var text = "["
        var index = 0
        while text.utf8.count < 194_000 {
            let tags = (0..<random.below(4)).map { _ in "\"\(random.pick(asciiWords))\"" }.joined(separator: ",")
            text +=
                (index == 0 ? "" : ",")
                + "{\"id\":\(index),\"name\":\"\(random.pick(asciiWords)) \(random.pick(asciiWords))\",\"score\":"
                + "\(random.below(100_000)),\"ratio\":0.\(random.below(1000)),\"active\":\(random.chance(1, in: 2)),"
                + "\"tags\":[\(tags)],\"note\":\"\((0..<random.below(12)).map { _ in random.pick(asciiWords) }.joined(separator: " "))\"}"
            index += 1
        }
        return Array((text + "]").utf8)
    }()

    private static let bitmapBytes: [UInt8] = {
        var random = FuzzRandom(seed: 12_2)
        // A 54-byte header and a 256-entry grey palette, as a BMP file has, then smooth shades with some noise.
        var bytes = Array("BM".utf8) + [UInt8](repeating: 0, count: 52)
        for grey in 0..<256 { bytes += [UInt8(grey), UInt8(grey), UInt8(grey), 0] }
        for y in 0..<512 {
            for x in 0..<512 {
                let shade = (x * 3 + y * 2) / 5 + (x / 64 + y / 64) % 2 * 40 + random.below(6)
                bytes.append(UInt8(shade & 0xFF))
            }
        }
        return bytes
    }()

    private static let proseBytes: [UInt8] = {
        var random = FuzzRandom(seed: 12_3)
        var text = ""
        while text.utf8.count < 222_000 {
            var line = (0..<(4 + random.below(8))).map { _ in random.pick(words) }.joined(separator: " ")
            line += random.pick([",", ".", "!", "?", ";"])
            text += line + (random.chance(1, in: 6) ? "\n\n" : "\n")
        }
        return Array(text.utf8)
    }()

    private static let htmlBytes: [UInt8] = {
        var random = FuzzRandom(seed: 12_4)
        var text =
            "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Faust</title></head><body>\n"
        var section = 0
        while text.utf8.count < 263_000 {
            section += 1
            text +=
                "<div class=\"section\" id=\"s\(section)\"><h2>\(random.pick(asciiWords)) \(random.pick(asciiWords))</h2>\n"
            for _ in 0..<(1 + random.below(5)) {
                let sentence = (0..<(5 + random.below(20))).map { _ in random.pick(asciiWords) }.joined(separator: " ")
                text += "  <p class=\"text\">\(sentence) <a href=\"/page/\(random.below(500)).html\">mehr</a></p>\n"
            }
            text += "</div>\n"
        }
        return Array((text + "</body></html>\n").utf8)
    }()

    private static let pdfBytes: [UInt8] = {
        var random = FuzzRandom(seed: 12_5)
        var bytes = Array("%PDF-1.4\n".utf8)
        var object = 0
        while bytes.count < 1_000_000 {
            object += 1
            if random.chance(1, in: 3) {
                let text = (0..<(20 + random.below(60))).map { _ in random.pick(words) }.joined(separator: " ")
                bytes += Array("\(object) 0 obj\n<< /Type /Page /Contents (\(text)) >>\nendobj\n".utf8)
            } else {
                let length = 2000 + random.below(20_000)
                bytes += Array("\(object) 0 obj\n<< /Length \(length) /Filter /FlateDecode >>\nstream\n".utf8)
                bytes += (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                bytes += Array("\nendstream\nendobj\n".utf8)
            }
        }
        return bytes + Array("%%EOF\n".utf8)
    }()
}

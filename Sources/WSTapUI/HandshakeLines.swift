import WSTapCore

/// A connection's opening handshake as lines, the way browsers' Headers tab shows it: the request line and
/// headers, the status line and response headers, what was agreed (subprotocol, every extension with its
/// parameters explained), and hybi-00's key bytes and answer.
enum HandshakeLines {
    static func lines(_ opened: TrafficEvent.ConnectionOpened, width: Int) -> [StyledLine] {
        let heading = CellStyle(.heading, [.bold])
        let name = CellStyle(.accent)
        let dim = CellStyle(.dim)
        var out: [StyledLine] = []
        func field(_ field: HTTPHeaderFields.Field) {
            var line = StyledLine("  ")
            line.add(field.name, name)
            line.add(":" + field.serializedValue)
            out += wrapped(line, width: width)
        }
        out.append(
            StyledLine("request" + (opened.clientAddress.isEmpty ? "" : " from \(opened.clientAddress)"), heading))
        out += wrapped(StyledLine("  " + opened.request.startLine, CellStyle(.clientToServer, [.bold])), width: width)
        opened.request.headers.fields.forEach(field)
        if !opened.requestBody.isEmpty {
            out.append(StyledLine("  key3 (\(CountWords.of(opened.requestBody.count, "byte")) after the head): ", dim))
            out[out.count - 1].add(hex(opened.requestBody))
        }
        out.append(StyledLine())
        out.append(StyledLine("response", heading))
        out += wrapped(StyledLine("  " + opened.response.startLine, CellStyle(.serverToClient, [.bold])), width: width)
        opened.response.headers.fields.forEach(field)
        if !opened.responseBody.isEmpty {
            out.append(
                StyledLine("  answer (\(CountWords.of(opened.responseBody.count, "byte")) after the head): ", dim))
            out[out.count - 1].add(hex(opened.responseBody))
        }
        out.append(StyledLine())
        out.append(StyledLine("agreed", heading))
        out += wrapped(StyledLine("  protocol     " + variantText(opened)), width: width)
        out += wrapped(StyledLine("  subprotocol  " + subprotocolText(opened)), width: width)
        if opened.extensions.isEmpty {
            let offered = opened.request.headers.values(ExtensionOffer.headerName)
            out += wrapped(
                StyledLine(
                    "  extensions   none" + (offered.isEmpty ? "" : " (offered: \(offered.joined(separator: ", ")))")),
                width: width)
        }
        for (index, offer) in opened.extensions.enumerated() {
            var line = StyledLine(index == 0 ? "  extensions   " : "               ")
            line.add(offer.name, CellStyle(.normal, [.bold]))
            out.append(line)
            for (parameter, meaning) in parameterLines(offer) {
                var line = StyledLine("                 " + parameter)
                if !meaning.isEmpty { line.add("  " + meaning, dim) }
                out += wrapped(line, width: width)
            }
        }
        if let check = checkText(opened) { out += wrapped(StyledLine("  check        " + check), width: width) }
        return out
    }

    static func variantText(_ opened: TrafficEvent.ConnectionOpened) -> String {
        switch opened.variant {
        case .rfc6455: return "RFC 6455"
        case .hybi00: return "hybi-00 (framing \(opened.framing.rawValue))"
        }
    }

    static func subprotocolText(_ opened: TrafficEvent.ConnectionOpened) -> String {
        let offered = opened.request.headers.values("Sec-WebSocket-Protocol").joined(separator: ", ")
        let tail = offered.isEmpty ? "" : " (offered: \(offered))"
        return (opened.subprotocol ?? "none") + tail
    }

    /// Each parameter of an agreed extension, with what it means for permessage-deflate.
    static func parameterLines(_ offer: ExtensionOffer) -> [(String, String)] {
        let deflate = offer.name.lowercased() == "permessage-deflate"
        var lines = offer.parameters.map { parameter -> (String, String) in
            guard deflate else { return (parameter.headerText, "") }
            let bits = parameter.value.flatMap { Int($0) }
            switch parameter.name.lowercased() {
            case "server_no_context_takeover":
                return (parameter.headerText, "the server compresses each message afresh")
            case "client_no_context_takeover":
                return (parameter.headerText, "the client compresses each message afresh")
            case "server_max_window_bits":
                return (parameter.headerText, bits.map { "the server's window: \(1 << min($0, 30)) bytes" } ?? "")
            case "client_max_window_bits":
                return (parameter.headerText, bits.map { "the client's window: \(1 << min($0, 30)) bytes" } ?? "")
            default: return (parameter.headerText, "")
            }
        }
        if deflate, offer.parameters.isEmpty {
            lines.append(("(no parameters)", "context takeover both ways, 32768-byte windows"))
        }
        return lines
    }

    /// Whether the server's answer matches the client's key: `Sec-WebSocket-Accept` for RFC 6455, the
    /// 16-byte answer for hybi-00.
    static func checkText(_ opened: TrafficEvent.ConnectionOpened) -> String? {
        switch opened.variant {
        case .rfc6455:
            guard let key = opened.request.headers.first("Sec-WebSocket-Key"),
                let accept = opened.response.headers.first("Sec-WebSocket-Accept")
            else { return nil }
            return RFC6455Handshake.acceptValue(forKey: key) == accept
                ? "Sec-WebSocket-Accept matches the key" : "Sec-WebSocket-Accept does NOT match the key"
        case .hybi00:
            guard let key1 = Hybi00Handshake.keyTexts("Sec-WebSocket-Key1", in: opened.request.headers).first,
                let key2 = Hybi00Handshake.keyTexts("Sec-WebSocket-Key2", in: opened.request.headers).first,
                opened.requestBody.count == 8
            else { return nil }
            guard let expected = try? Hybi00Handshake.answer(key1: key1, key2: key2, key3: opened.requestBody) else {
                return "the keys do not make an answer (a key's digits are not a multiple of its spaces)"
            }
            return expected == opened.responseBody
                ? "the answer is MD5 of the keys, as it should be"
                : "the answer is NOT the MD5 of the keys (expected \(hex(expected)))"
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }

    /// A line wrapped at `width` columns, the continuation indented by four.
    static func wrapped(_ line: StyledLine, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        var current = StyledLine()
        var columns = 0
        let limit = max(16, width)
        for piece in line.pieces {
            var text = ""
            for character in piece.text {
                let characterWidth = max(1, CharacterWidth.of(character))
                if columns + characterWidth > limit {
                    if !text.isEmpty { current.add(text, piece.style) }
                    out.append(current)
                    current = StyledLine("    ")
                    columns = 4
                    text = ""
                }
                text.append(character)
                columns += characterWidth
            }
            if !text.isEmpty { current.add(text, piece.style) }
        }
        out.append(current)
        return out
    }
}

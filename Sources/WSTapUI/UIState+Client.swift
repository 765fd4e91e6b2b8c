import WSTapCore
import WSTapInspect

/// The keys that mean something else in client mode (`wstap connect`): `s` types a text message to send,
/// `o` switches the client connection's hybi-00 framing; intercept is a proxy's business (not a client's
/// or a server's).
extension UIState {
    /// Keys whose meaning depends on the mode; `nil` for the keys every mode shares.
    mutating func handleModeKey(_ key: Key) -> [UIEffect]? {
        switch (mode, key) {
        case (.client, .character("s")):
            guard clientConnection != nil else {
                notice = "the connection is closed: nothing can be sent (q quits)"
                return []
            }
            prompt = Prompt(.message)
            return []
        case (_, .character("s")):
            notice = "s sends on the client connection of wstap connect; here R sends the selected frame again"
            return []
        case (.client, .character("i")), (.client, .character("I")), (.server, .character("i")),
            (.server, .character("I")):
            notice = "intercept is not available in \(mode.rawValue) mode (it holds the frames a proxy relays)"
            return []
        case (.client, .character("o")):
            return toggleClientFraming()
        default:
            return nil
        }
    }

    /// The connection of `wstap connect` while it is open (the newest one, should there be more).
    var clientConnection: ConnectionSummary? {
        guard let id = connectionOrder.last, let summary = connections[id], summary.isOpen else { return nil }
        return summary
    }

    /// A text message as one frame of the connection's protocol: RFC 6455 masked with the next key of
    /// ``maskingKeys``, hybi-00 in the framing the connection is switched to.
    mutating func sendTextMessage(_ text: String) -> [UIEffect] {
        guard let connection = clientConnection else {
            notice = "the connection is closed: not sent"
            return []
        }
        // As connect's lines: `hex:` and `b64:` send binary, `text:` escapes a prefix.
        var payload = Array(text.utf8)
        var opcode = Opcode.text
        if text.hasPrefix("hex:") {
            do {
                payload = try HexText.parse(text.dropFirst(4))
            } catch {
                notice = "not sent: hex: \(error.reason)"
                return []
            }
            opcode = .binary
        } else if text.hasPrefix("b64:") {
            guard let decoded = Base64.decode(String(text.dropFirst(4).filter { $0 != " " })) else {
                notice = "not sent: b64: not base64 (A-Z a-z 0-9 + /, padded with = to 4)"
                return []
            }
            payload = decoded
            opcode = .binary
        } else if text.hasPrefix("text:") {
            payload = Array(text.utf8.dropFirst(5))
        }
        let bytes: [UInt8]
        switch connection.variant {
        case .rfc6455:
            let key = MaskingKey.random(using: &maskingKeys)
            do {
                bytes = try FrameEncoder.encode(FrameSpec(opcode: opcode, mask: .key(key), payload: payload))
            } catch {
                notice = "not sent: \(error)"
                return []
            }
        case .hybi00:
            bytes = Hybi00FrameEncoder.encode(
                Hybi00FrameSpec(
                    framing: connection.framing, typeByte: opcode == .binary ? 0x80 : nil, payload: payload))
        }
        notice = "sent a \(opcode.name) message of \(CountWords.of(payload.count, "byte"))"
        return [.send(bytes: bytes)]
    }

    /// `o` in client mode: the client connection's hybi-00 framing (what it sends, `s` included, and how it
    /// reads), whichever frame is selected.
    private mutating func toggleClientFraming() -> [UIEffect] {
        guard let id = connectionOrder.last, var summary = connections[id] else {
            notice = "no connection yet"
            return []
        }
        guard summary.variant == .hybi00 else {
            notice = "the connection speaks RFC 6455: it has no hybi-00 framing to switch"
            return []
        }
        summary.framing = summary.framing == .old ? .new : .old
        connections[id] = summary
        // No notice yet: the connection reports the switch at once (``TrafficEvent/framingChanged(_:)``), and
        // that report says it. A notice here would be replaced by it before anyone could read it.
        return [.setFraming(connection: id, framing: summary.framing)]
    }

    /// What the status bar adds in client mode: the round-trip time, and how the connection ended.
    var clientStatusWords: [String] {
        var words: [String] = []
        if let time = roundTripTime { words.append("rtt \(Self.milliseconds(time)) ms") }
        if let id = connectionOrder.last, let summary = connections[id], !summary.isOpen {
            let code = summary.serverCloseCode ?? summary.clientCloseCode
            if summary.error != nil {
                words.append("FAILED")
            } else {
                words.append("CLOSED" + (code.map { " \($0.rawValue)" } ?? ""))
            }
        }
        return words
    }

    /// A duration in milliseconds with three decimals.
    static func milliseconds(_ time: Duration) -> String {
        let (seconds, attoseconds) = time.components
        let micro = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        let fraction = String(micro % 1000)
        return "\(micro / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

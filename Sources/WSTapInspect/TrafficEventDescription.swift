import NIOCore
public import WSTapCore

/// Traffic events as one line each (like mitmdump), for `wstap proxy --no-tui` and `wstap view --no-tui`;
/// ``TrafficEventJSON`` writes them as JSON lines.
public enum TrafficEventDescription {
    /// `12:00:01.234 #3 → text fin=1 ... "hello"`.
    public static func line(_ event: TrafficEvent) -> String {
        switch event {
        case .connectionOpened(let opened):
            var text =
                "\(clock(opened.at)) #\(opened.connection) open \(opened.clientAddress) → \(opened.target) "
                + "\(opened.request.method) \(opened.request.target) \(opened.variant.rawValue)"
            if opened.variant == .hybi00 { text += " framing=\(opened.framing.rawValue)" }
            if let subprotocol = opened.subprotocol { text += " subprotocol=\(subprotocol)" }
            if !opened.extensions.isEmpty {
                text += " extensions=" + opened.extensions.map(\.name).joined(separator: ",")
            }
            if !opened.requestBody.isEmpty { text += " request-body=" + HexText.format(opened.requestBody) }
            if !opened.responseBody.isEmpty { text += " response-body=" + HexText.format(opened.responseBody) }
            return text
        case .frame(let seen):
            let frameText: String
            switch seen.content {
            case .rfc6455(let frame):
                let compressed = seen.inflatedPayload != nil || seen.inflationError != nil
                frameText = FrameDescription.line(frame, index: 0, compressed: compressed)
            case .hybi00(let frame): frameText = FrameDescription.line(frame, index: 0)
            }
            // Drop the "#0 @offset" prefix: the connection and direction say where it was.
            let body = frameText.split(separator: " ", maxSplits: 2).dropFirst(2).first.map(String.init) ?? frameText
            var line = "\(clock(seen.at)) #\(seen.connection) \(seen.direction.arrow) \(body)"
            if let inflated = seen.inflatedPayload {
                let whole = seen.inflationCut?.inflatedLength.map(UInt64.init)
                line += " inflated=" + PayloadPreview.make(inflated, preferText: true, totalLength: whole)
                if let cut = seen.inflationCut {
                    // A display limit, not an error.
                    let kept = "the first \(CountWords.of(cut.limit, "byte")) of each message kept"
                    line += cut.inflatedLength == nil ? "… (inflates to more; \(kept))" : " (\(kept))"
                }
            }
            if let error = seen.inflationError {
                line += " inflate-error=" + PayloadPreview.quoted(error)
            }
            if seen.disposition != .relayed {
                line += " [\(seen.disposition.name)"
                if let id = seen.disposition.holdID { line += " hold=\(id)" }
                line += "]"
            }
            return line
        case .message(let message):
            let kind = message.isText ? "text" : "binary"
            var line = "\(clock(message.at)) #\(message.connection) \(message.direction.arrow) message \(kind)"
            line += " frames=\(message.frameCount)"
            if message.wasCompressed { line += " compressed" }
            line += " " + PayloadPreview.make(message.payload, preferText: message.isText, totalLength: message.length)
            return line
        case .leftoverBytes(let connection, let direction, let bytes, let at):
            return
                "\(clock(at)) #\(connection) \(direction.arrow) \(CountWords.of(bytes.readableBytes, "byte")) left inside an unfinished frame"
        case .connectionClosed(let closed):
            var parts = ["\(clock(closed.at)) #\(closed.connection) closed", closed.wasClean ? "clean" : "unclean"]
            if let by = closed.closedBy { parts.append("tcp-first=\(by.rawValue)") }
            if let code = closed.clientCloseCode { parts.append("client-code=\(code.rawValue)") }
            if let code = closed.serverCloseCode { parts.append("server-code=\(code.rawValue)") }
            if !closed.closeReason.isEmpty { parts.append("reason=" + PayloadPreview.quoted(closed.closeReason)) }
            if let error = closed.error { parts.append("error=" + PayloadPreview.quoted(error)) }
            return parts.joined(separator: " ")
        case .proxyError(let message, let at):
            return "\(clock(at)) error \(message)"
        case .note(let connection, let text, let at):
            if let connection { return "\(clock(at)) #\(connection) note \(text)" }
            return "\(clock(at)) note \(text)"
        case .framingChanged(let change):
            return "\(clock(change.at)) #\(change.connection) framing=\(change.framing.rawValue)"
                + (change.redecoded ? " (every frame so far decoded again below)" : " (from the next frame)")
        }
    }

    /// `HH:MM:SS.mmm` in UTC.
    static func clock(_ time: TrafficTimestamp) -> String {
        let total = Int(time.wallSeconds.rounded(.down))
        let millis = Int((time.wallSeconds - Double(total)) * 1000)
        let seconds = total % 60
        let minutes = (total / 60) % 60
        let hours = (total / 3600) % 24
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let ms = millis < 10 ? "00\(millis)" : (millis < 100 ? "0\(millis)" : "\(millis)")
        return "\(two(hours)):\(two(minutes)):\(two(seconds)).\(ms)"
    }
}

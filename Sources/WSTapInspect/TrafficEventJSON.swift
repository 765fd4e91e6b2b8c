import NIOCore
public import WSTapCore

/// Traffic events as the JSON lines every command prints with `--jsonl` (`proxy`, `connect`, `serve`,
/// `view`): one object per event, in the schema of docs/json-events.md (docs/json-events.schema.json).
///
/// It numbers the frames of each connection and direction from 0 (`index`), so one value formats one
/// stream of events, in order; after a `framing` event that decoded a connection again, its frames are
/// numbered from 0 again (they follow again, from the start).
public struct TrafficEventJSON: Sendable {
    private struct Stream: Hashable {
        var connection: UInt64
        var direction: TrafficDirection
    }

    private var nextIndex: [Stream: Int] = [:]

    /// A formatter at the start of a stream: every connection's frames numbered from 0.
    public init() {}

    /// Takes an event that is not printed (filtered out): a frame still takes its index, so the frames
    /// printed keep the numbers they have in the whole stream.
    public mutating func skip(_ event: TrafficEvent) {
        _ = advance(event)
    }

    /// Counts the event: a frame's index, or nil for other events.
    private mutating func advance(_ event: TrafficEvent) -> Int? {
        switch event {
        case .frame(let seen):
            let stream = Stream(connection: seen.connection, direction: seen.direction)
            let index = nextIndex[stream, default: 0]
            nextIndex[stream] = index + 1
            return index
        case .framingChanged(let change) where change.redecoded:
            for direction in TrafficDirection.allCases {
                nextIndex[Stream(connection: change.connection, direction: direction)] = nil
            }
            return nil
        default:
            return nil
        }
    }

    /// The event as one JSON object (one line: strings escape their line breaks).
    public mutating func line(_ event: TrafficEvent) -> String {
        write(event).json
    }

    /// The event as one JSON object and a line feed, in UTF-8: a line to print.
    public mutating func jsonLine(_ event: TrafficEvent) -> [UInt8] {
        write(event).finishLine()
    }

    private mutating func write(_ event: TrafficEvent) -> JSONWriter {
        let index = advance(event)
        var writer = JSONWriter()
        switch event {
        case .connectionOpened(let opened):
            Self.common("open", opened.connection, opened.at, to: &writer)
            writer.add("client", opened.clientAddress)
            writer.add("target", opened.target)
            writer.add("variant", opened.variant.rawValue)
            if opened.variant == .hybi00 { writer.add("framing", opened.framing.rawValue) }
            if let subprotocol = opened.subprotocol { writer.add("subprotocol", subprotocol) }
            if !opened.extensions.isEmpty {
                writer.add("extensions", ExtensionOffer.headerValue(for: opened.extensions))
            }
            writer.add("requestHead", String(decoding: opened.request.wireBytes, as: UTF8.self))
            writer.add("responseHead", String(decoding: opened.response.wireBytes, as: UTF8.self))
            if !opened.requestBody.isEmpty { writer.add("requestBodyHex", HexText.format(opened.requestBody)) }
            if !opened.responseBody.isEmpty { writer.add("responseBodyHex", HexText.format(opened.responseBody)) }
        case .frame(let seen):
            Self.common("frame", seen.connection, seen.at, to: &writer)
            writer.add("direction", seen.direction.rawValue)
            writer.add("index", index ?? 0)
            if seen.disposition != .relayed {
                writer.add("disposition", seen.disposition.name)
                if let id = seen.disposition.holdID { writer.add("holdID", id) }
            }
            let compressed = seen.inflatedPayload != nil || seen.inflationError != nil
            switch seen.content {
            case .rfc6455(let frame): FrameDescription.addFields(frame, compressed: compressed, to: &writer)
            case .hybi00(let frame): FrameDescription.addFields(frame, to: &writer)
            }
            if compressed { writer.add("compressed", true) }
            if let inflated = seen.inflatedPayload {
                let view = inflated.readableBytesView
                if UTF8Validator.isValid(view) { writer.add("inflatedText", String(buffer: inflated)) }
                writer.add("inflatedHex", HexText.format(view))
            }
            if let error = seen.inflationError { writer.add("inflationError", error) }
            if let cut = seen.inflationCut {
                // The inflated fields hold only the start: the display limit, and the whole length when known.
                writer.add("inflatedKeptLimit", cut.limit)
                if let length = cut.inflatedLength { writer.add("inflatedLength", length) }
            }
        case .message(let message):
            Self.addMessage(message, to: &writer)
        case .leftoverBytes(let connection, let direction, let bytes, let at):
            Self.common("leftover", connection, at, to: &writer)
            writer.add("direction", direction.rawValue)
            writer.add("hex", HexText.format(bytes.readableBytesView))
        case .connectionClosed(let closed):
            Self.common("close", closed.connection, closed.at, to: &writer)
            writer.add("clean", closed.wasClean)
            if let by = closed.closedBy { writer.add("tcpClosedFirstBy", by.rawValue) }
            if let code = closed.clientCloseCode { writer.add("clientCode", code.rawValue) }
            if let code = closed.serverCloseCode { writer.add("serverCode", code.rawValue) }
            writer.add("reason", closed.closeReason)
            if let error = closed.error { writer.add("error", error) }
        case .proxyError(let message, let at):
            Self.common("error", nil, at, to: &writer)
            writer.add("message", message)
        case .note(let connection, let text, let at):
            Self.common("note", connection, at, to: &writer)
            writer.add("text", text)
        case .framingChanged(let change):
            Self.common("framing", change.connection, change.at, to: &writer)
            writer.add("framing", change.framing.rawValue)
            writer.add("redecoded", change.redecoded)
        }
        return writer
    }

    /// The fields of a `message` event (without its lens).
    static func addMessage(_ message: TrafficEvent.MessageSeen, to writer: inout JSONWriter) {
        common("message", message.connection, message.at, to: &writer)
        writer.add("direction", message.direction.rawValue)
        writer.add("type", message.isText ? "text" : "binary")
        writer.add("frames", message.frameCount)
        if let length = message.length { writer.add("length", length) }
        writer.add("compressed", message.wasCompressed)
        writer.add("cut", message.isCut)
        // The payload once: as text when it is UTF-8, else as hex.
        let isUTF8 = UTF8Validator.isValid(message.payload.readableBytesView)
        message.payload.withUnsafeReadableBytes { bytes in
            if isUTF8 {
                writer.add("text", utf8: bytes)
            } else {
                writer.add("payloadHex", hex: bytes)
            }
        }
    }

    /// A `listening` event: a proxy or server is ready at `address`.
    public static func listening(_ listening: ListeningEvent) -> String {
        var writer = JSONWriter()
        common("listening", nil, listening.at, to: &writer)
        writer.add("mode", listening.mode.rawValue)
        writer.add("address", listening.address)
        if let upstream = listening.upstream { writer.add("upstream", upstream) }
        if let certificate = listening.caCertificate {
            writer.add("caCertificate", certificate)
            writer.add("caCreated", listening.caCreated)
        }
        if let control = listening.control { writer.add("control", control) }
        return writer.json
    }

    /// An `rtt` event: a keepalive ping's round trip on `connection`.
    public static func roundTrip(connection: UInt64, microseconds: Int64, at time: TrafficTimestamp) -> String {
        var writer = JSONWriter()
        common("rtt", connection, time, to: &writer)
        writer.add("microseconds", microseconds)
        return writer.json
    }

    /// A `note` event about the whole program (a warning, say).
    public static func note(_ text: String, at time: TrafficTimestamp) -> String {
        var writer = JSONWriter()
        common("note", nil, time, to: &writer)
        writer.add("text", text)
        return writer.json
    }

    /// The fields every event starts with: `event`, `connection` (when it concerns one), `time`.
    static func common(
        _ kind: String, _ connection: UInt64?, _ time: TrafficTimestamp, to writer: inout JSONWriter
    ) {
        writer.add("event", kind)
        if let connection { writer.add("connection", connection) }
        writer.add("time", seconds: time.wallSeconds)
    }
}

import NIOCore
import WSTapCore
import WSTapInspect

/// Turns recorded connections into an HTTP Archive (HAR 1.2) that browser devtools and HAR viewers open:
/// one entry per connection (the upgrade request, the 101 response, timings) carrying its messages in
/// Chrome's `_webSocketMessages` list.
///
/// Each message is whole (fragments joined) and shown as the application saw it (compressed messages
/// inflated). Text goes in as text (invalid UTF-8 replaced by U+FFFD), binary data as base64. Control
/// frames are not listed, as in Chrome. Connections whose opening handshake the recording lacks are
/// left out (a HAR entry needs a request).
public enum HARExporter {
    /// The HAR document for `transcripts`, written by wstap `version`.
    public static func document(_ transcripts: [ConnectionTranscript], creatorVersion: String) -> String {
        var creator = JSONWriter()
        creator.add("name", "wstap")
        creator.add("version", creatorVersion)
        var log = JSONWriter()
        log.add("version", "1.2")
        log.addRaw("creator", creator.json)
        log.addRaw("entries", JSONWriter.array(transcripts.compactMap(entry)))
        var root = JSONWriter()
        root.addRaw("log", log.json)
        return root.json + "\n"
    }

    /// One connection's entry, or `nil` when its opening was not recorded.
    static func entry(_ transcript: ConnectionTranscript) -> String? {
        guard let opened = transcript.opened else { return nil }
        let messages = MessageReassembler.messages(of: transcript).filter(\.isData)
        let end = transcript.closed?.at ?? messages.last?.at ?? opened.at
        let elapsed = max(
            0, Double(Int64(bitPattern: end.monotonicNanoseconds &- opened.at.monotonicNanoseconds)) / 1e6)

        var entry = JSONWriter()
        entry.add("startedDateTime", ISO8601Time.string(wallSeconds: opened.at.wallSeconds))
        entry.addRaw("time", number(elapsed))
        entry.addRaw("request", request(opened))
        entry.addRaw("response", response(opened))
        entry.addRaw("cache", "{}")
        var timings = JSONWriter()
        for name in ["blocked", "dns", "connect"] { timings.add(name, -1) }
        timings.add("send", 0)
        timings.addRaw("wait", number(elapsed))
        timings.add("receive", 0)
        timings.add("ssl", -1)
        entry.addRaw("timings", timings.json)
        entry.add("connection", String(transcript.connection))
        entry.add("_resourceType", "websocket")
        entry.addRaw("_webSocketMessages", JSONWriter.array(messages.map(message)))
        return entry.json
    }

    private static func request(_ opened: TrafficEvent.ConnectionOpened) -> String {
        let head = opened.request
        var request = JSONWriter()
        request.add("method", head.method)
        request.add("url", url(opened))
        request.add("httpVersion", head.version)
        request.addRaw("cookies", cookies(head.headers.values("Cookie").flatMap { $0.split(separator: ";") }))
        request.addRaw("headers", headers(head.headers))
        request.addRaw("queryString", queryString(head.target))
        request.add("headersSize", head.wireBytes.count)
        request.add("bodySize", opened.requestBody.count)
        if !opened.requestBody.isEmpty {
            // hybi-00's 8 key bytes: binary, so base64 (HAR has no encoding field for requests).
            var postData = JSONWriter()
            postData.add("mimeType", "application/octet-stream")
            postData.add("text", Base64.encode(opened.requestBody))
            postData.add("_encoding", "base64")
            request.addRaw("postData", postData.json)
        }
        return request.json
    }

    private static func response(_ opened: TrafficEvent.ConnectionOpened) -> String {
        let head = opened.response
        var response = JSONWriter()
        response.add("status", head.statusCode)
        response.add("statusText", head.reason)
        response.add("httpVersion", head.version)
        // Set-Cookie: only the leading name=value of each field is the cookie; the rest are attributes.
        response.addRaw(
            "cookies", cookies(head.headers.values("Set-Cookie").compactMap { $0.split(separator: ";").first }))
        response.addRaw("headers", headers(head.headers))
        var content = JSONWriter()
        content.add("size", opened.responseBody.count)
        if opened.responseBody.isEmpty {
            content.add("mimeType", "")
        } else {
            // hybi-00's 16-byte answer.
            content.add("mimeType", "application/octet-stream")
            content.add("text", Base64.encode(opened.responseBody))
            content.add("encoding", "base64")
        }
        response.addRaw("content", content.json)
        response.add("redirectURL", "")
        response.add("headersSize", head.wireBytes.count)
        response.add("bodySize", opened.responseBody.count)
        return response.json
    }

    private static func message(_ message: RecordedMessage) -> String {
        var item = JSONWriter()
        item.add("type", message.direction == .clientToServer ? "send" : "receive")
        item.addRaw("time", number(message.at.wallSeconds))
        item.add("opcode", message.opcode.rawValue)
        if message.opcode == .text {
            item.add("data", String(decoding: message.data.readableBytesView, as: UTF8.self))
        } else {
            item.add("data", Base64.encode(message.data.readableBytesView))
        }
        return item.json
    }

    /// `ws://` or `wss://`, the host the request named, then its target.
    static func url(_ opened: TrafficEvent.ConnectionOpened) -> String {
        let target = try? WebSocketURL(opened.target)
        let scheme = target?.isSecure == true ? "wss" : "ws"
        let host = opened.request.headers.first("Host") ?? target?.hostHeader ?? "localhost"
        let path = opened.request.target.hasPrefix("/") ? opened.request.target : "/" + opened.request.target
        return "\(scheme)://\(host)\(path)"
    }

    private static func headers(_ fields: HTTPHeaderFields) -> String {
        JSONWriter.array(fields.fields.map { pair($0.name, $0.value) })
    }

    private static func cookies(_ parts: [Substring]) -> String {
        JSONWriter.array(
            parts.compactMap { part in
                let trimmed = part.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), equals != trimmed.startIndex else { return nil }
                return pair(String(trimmed[..<equals]), String(trimmed[trimmed.index(after: equals)...]))
            })
    }

    /// The query's `name=value` pairs as written (not percent-decoded).
    private static func queryString(_ target: String) -> String {
        guard let question = target.firstIndex(of: "?") else { return "[]" }
        let query = target[target.index(after: question)...].prefix { $0 != "#" }
        return JSONWriter.array(
            query.split(separator: "&").map { item in
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return pair(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            })
    }

    private static func pair(_ name: String, _ value: String) -> String {
        var object = JSONWriter()
        object.add("name", name)
        object.add("value", value)
        return object.json
    }

    /// A JSON number for a finite double.
    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "0"
    }
}

import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork

/// Recorded proxy traffic exported to HAR: the document has every field HAR 1.2 requires, with the
/// right types, and its `_webSocketMessages` are the messages the peers sent.
@Suite(.serialized) struct HARExportTests {
    /// A message as the HAR should list it.
    struct Expected: Equatable, CustomStringConvertible {
        var type: String
        var opcode: Int
        var data: String
        var description: String { "\(type) \(opcode) \(data.prefix(40))" }
    }

    @Test(arguments: [false, true])
    func documentIsHAR12WithTheMessages(compression: Bool) async throws {
        let binary: [UInt8] = [0, 1, 2, 0xFE, 0xFF]
        let long = String(repeating: "compress me please ", count: 200)
        let events = try await ProxiedSession.record(
            path: "/chat?room=1&user=ann", compression: compression, subprotocols: ["chat.v1"]
        ) { connection in
            try await connection.send("Hello")
            _ = await connection.receive()
            try await connection.send(bytes: binary)
            _ = await connection.receive()
            try await connection.send(ByteBuffer(string: "frag"), opcode: .text, finalFragment: false)
            try await connection.send(ByteBuffer(string: "mented"), opcode: .continuation, finalFragment: true)
            _ = await connection.receive()
            try await connection.send(long)
            _ = await connection.receive()
            await connection.close()
        }
        let transcripts = ConnectionTranscript.group(events)
        #expect(transcripts.count == 1)
        if compression {
            #expect(transcripts.first?.opened?.extensions.isEmpty == false, "deflate was not agreed")
        }
        let text = HARExporter.document(transcripts, creatorVersion: "9.9.9")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let log = try #require(root["log"] as? [String: Any])
        #expect(log["version"] as? String == "1.2")
        let creator = try #require(log["creator"] as? [String: Any])
        #expect(creator["name"] as? String == "wstap")
        #expect(creator["version"] as? String == "9.9.9")
        let entries = try #require(log["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        try Self.checkEntry(entry)

        let request = try #require(entry["request"] as? [String: Any])
        #expect((request["url"] as? String)?.hasPrefix("ws://127.0.0.1:") == true)
        #expect((request["url"] as? String)?.hasSuffix("/chat?room=1&user=ann") == true)
        let query = try #require(request["queryString"] as? [[String: String]])
        #expect(query == [["name": "room", "value": "1"], ["name": "user", "value": "ann"]])
        let response = try #require(entry["response"] as? [String: Any])
        #expect(response["status"] as? Int == 101)
        let responseHeaders = try #require(response["headers"] as? [[String: String]])
        #expect(
            responseHeaders.contains {
                $0["name"]?.lowercased() == "sec-websocket-protocol" && $0["value"] == "chat.v1"
            })

        let messages = try #require(entry["_webSocketMessages"] as? [[String: Any]])
        let sent: [Expected] = [
            Expected(type: "send", opcode: 1, data: "Hello"),
            Expected(type: "send", opcode: 2, data: Base64.encode(binary)),
            Expected(type: "send", opcode: 1, data: "fragmented"),
            Expected(type: "send", opcode: 1, data: long),
        ]
        let expected = sent.flatMap { [$0, Expected(type: "receive", opcode: $0.opcode, data: $0.data)] }
        let listed = messages.map {
            Expected(
                type: $0["type"] as? String ?? "?", opcode: $0["opcode"] as? Int ?? -1,
                data: $0["data"] as? String ?? "?")
        }
        #expect(listed == expected)
        // Times are seconds since 1970, in order, within the recorded connection's life.
        let times = messages.compactMap { $0["time"] as? Double }
        #expect(times.count == messages.count)
        #expect(times == times.sorted())
        if case .connectionOpened(let opened)? = events.first, let first = times.first {
            #expect(abs(first - opened.at.wallSeconds) < 60)
        }
    }

    /// A hybi-00 entry carries the key bytes as the request body and the answer as the response content.
    @Test func hybi00HandshakeBodiesAreInTheEntry() async throws {
        let events = try await ProxiedSession.record(variant: .hybi00) { connection in
            try await connection.send("Hello")
            _ = await connection.receive()
            await connection.close()
        }
        let transcripts = ConnectionTranscript.group(events)
        let opened = try #require(transcripts.first?.opened)
        let text = HARExporter.document(transcripts, creatorVersion: "9.9.9")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let entry = try #require(((root["log"] as? [String: Any])?["entries"] as? [[String: Any]])?.first)
        try Self.checkEntry(entry)
        let request = try #require(entry["request"] as? [String: Any])
        #expect(request["bodySize"] as? Int == 8)
        let post = try #require(request["postData"] as? [String: Any])
        #expect(post["text"] as? String == Base64.encode(opened.requestBody))
        let response = try #require(entry["response"] as? [String: Any])
        #expect(response["bodySize"] as? Int == 16)
        let content = try #require(response["content"] as? [String: Any])
        #expect(content["size"] as? Int == 16)
        #expect(content["encoding"] as? String == "base64")
        #expect(content["text"] as? String == Base64.encode(opened.responseBody))
    }

    @Test func connectionsWithoutAnOpeningAreLeftOut() throws {
        var tap = TrafficTap(connection: 3, variant: .rfc6455)
        var events: [TrafficEvent] = []
        let bytes = try FrameEncoder.encode(FrameSpec.text("orphan"))
        tap.bytes(
            ByteBuffer(bytes: bytes), direction: .serverToClient,
            at: TrafficTimestamp(wallSeconds: 1, monotonicNanoseconds: 1)
        ) { events.append($0) }
        let text = HARExporter.document(ConnectionTranscript.group(events), creatorVersion: "1")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let log = try #require(root["log"] as? [String: Any])
        #expect((log["entries"] as? [Any])?.isEmpty == true)
    }

    /// Every field HAR 1.2 requires of an entry, its request, response, content and timings, with its type.
    static func checkEntry(_ entry: [String: Any]) throws {
        let started = try #require(entry["startedDateTime"] as? String)
        #expect(started.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(started)")
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: started) != nil)
        #expect(entry["time"] is NSNumber)
        #expect(entry["cache"] is [String: Any])
        let timings = try #require(entry["timings"] as? [String: Any])
        for name in ["send", "wait", "receive"] { #expect(timings[name] is NSNumber, "timings.\(name)") }

        let request = try #require(entry["request"] as? [String: Any])
        for name in ["method", "url", "httpVersion"] { #expect(request[name] is String, "request.\(name)") }
        for name in ["cookies", "headers", "queryString"] { #expect(request[name] is [Any], "request.\(name)") }
        for name in ["headersSize", "bodySize"] { #expect(request[name] is NSNumber, "request.\(name)") }
        for list in ["cookies", "headers", "queryString"] {
            for item in request[list] as? [Any] ?? [] {
                let pair = item as? [String: Any]
                #expect(pair?["name"] is String && pair?["value"] is String, "request.\(list)")
            }
        }
        #expect((request["headers"] as? [Any])?.isEmpty == false)
        if let postData = request["postData"] {
            let post = try #require(postData as? [String: Any])
            #expect(post["mimeType"] is String, "request.postData.mimeType")
            #expect(post["text"] is String || post["params"] is [Any], "request.postData.text or params")
        }

        let response = try #require(entry["response"] as? [String: Any])
        #expect(response["status"] is NSNumber)
        for name in ["statusText", "httpVersion", "redirectURL"] {
            #expect(response[name] is String, "response.\(name)")
        }
        for name in ["cookies", "headers"] { #expect(response[name] is [Any], "response.\(name)") }
        for name in ["headersSize", "bodySize"] { #expect(response[name] is NSNumber, "response.\(name)") }
        let content = try #require(response["content"] as? [String: Any])
        #expect(content["size"] is NSNumber)
        #expect(content["mimeType"] is String)
        if content["encoding"] != nil { #expect(content["text"] is String, "content.encoding without text") }
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}

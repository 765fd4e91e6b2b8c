import Foundation
import NIOCore
import WSTapCore

/// What is wrong with one line, in words (the reader adds the file and line number).
struct LineProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Turns one line of a recording back into a traffic event and its wire bytes.
struct RecordingLineDecoder {
    private let json = JSONDecoder()

    /// Parses the JSON of a line (lines as wstap writes them through ``FlatLineParser``, anything else
    /// through `JSONDecoder`, which also explains what is wrong).
    func parse(_ bytes: UnsafeRawBufferPointer) throws(LineProblem) -> RecordingLine {
        if let line = FlatLineParser.parse(bytes) { return line }
        return try parse(Data(bytes))
    }

    /// Parses the JSON of a line.
    func parse(_ bytes: [UInt8]) throws(LineProblem) -> RecordingLine {
        if let line = bytes.withUnsafeBytes({ FlatLineParser.parse($0) }) { return line }
        return try parse(Data(bytes))
    }

    private func parse(_ data: Data) throws(LineProblem) -> RecordingLine {
        guard data.count > 0 else { throw LineProblem("empty line (every line must be one JSON object)") }
        do {
            return try json.decode(RecordingLine.self, from: data)
        } catch let error as DecodingError {
            throw LineProblem(Self.describe(error))
        } catch {
            throw LineProblem("not JSON: \(error)")
        }
    }

    /// The header from the first line.
    func header(_ line: RecordingLine) throws(LineProblem) -> RecordingHeader {
        guard line.format == RecordingHeader.formatName else {
            throw LineProblem("the first line has no \"format\":\"\(RecordingHeader.formatName)\"")
        }
        guard let version = line.version else { throw LineProblem("the header has no \"version\"") }
        guard version >= 1, version <= RecordingHeader.currentVersion else {
            throw LineProblem(
                "format version \(version) is not one this wstap reads (1...\(RecordingHeader.currentVersion))")
        }
        guard let modeName = line.mode, let mode = RecordingMode(rawValue: modeName) else {
            throw LineProblem("the header's \"mode\" must be proxy, client or server")
        }
        if let side = line.sideFile, side.contains("/") || side == "." || side == ".." || side.isEmpty {
            throw LineProblem("the header's \"sideFile\" must be a plain file name")
        }
        return RecordingHeader(
            version: version, wstapVersion: line.wstap ?? "", mode: mode, startedAt: line.t ?? 0,
            startedMonotonicNanoseconds: line.mono ?? 0, sideFileName: line.sideFile)
    }

    /// The event a line records, with its wire bytes; `sideFile` reads `length` bytes at an offset of
    /// the side file.
    func event(
        _ line: RecordingLine, sideFile: (_ offset: UInt64, _ length: Int) throws(LineProblem) -> ByteBuffer
    ) throws(LineProblem) -> (TrafficEvent, ByteBuffer?) {
        guard let type = line.type else { throw LineProblem("the line has no \"type\"") }
        let at = TrafficTimestamp(wallSeconds: line.t ?? 0, monotonicNanoseconds: line.mono ?? 0)
        switch type {
        case "open":
            return (.connectionOpened(try opened(line, at: at)), nil)
        case "frame":
            return try frame(line, at: at, sideFile: sideFile)
        case "raw":
            let connection = try required(line.conn, "conn", type)
            let direction = try self.direction(line)
            let wire = try wireBytes(line, sideFile: sideFile) ?? ByteBuffer()
            return (.leftoverBytes(connection: connection, direction: direction, bytes: wire, at: at), wire)
        case "close":
            let closedBy: EndpointRole?
            if let name = line.closedBy {
                guard let role = EndpointRole(rawValue: name) else {
                    throw LineProblem("\"closedBy\" must be client or server, not \"\(name)\"")
                }
                closedBy = role
            } else {
                closedBy = nil
            }
            return (
                .connectionClosed(
                    .init(
                        connection: try required(line.conn, "conn", type), closedBy: closedBy,
                        clientCloseCode: try closeCode(line.clientCode, "clientCode"),
                        serverCloseCode: try closeCode(line.serverCode, "serverCode"), closeReason: line.reason ?? "",
                        wasClean: line.clean ?? false, error: line.error, at: at)), nil
            )
        case "note":
            return (.note(connection: line.conn, text: try required(line.text, "text", type), at: at), nil)
        case "error":
            return (.proxyError(message: try required(line.message, "message", type), at: at), nil)
        case "framing":
            let change = TrafficEvent.FramingChange(
                connection: try required(line.conn, "conn", type),
                framing: try framing(try required(line.framing, "framing", type)), redecoded: line.redecoded ?? false,
                at: at)
            return (.framingChanged(change), nil)
        default:
            throw LineProblem("unknown event type \"\(type)\" (open, frame, raw, close, note, error or framing)")
        }
    }

    private func opened(_ line: RecordingLine, at: TrafficTimestamp) throws(LineProblem)
        -> TrafficEvent.ConnectionOpened
    {
        let requestBytes = try headBytes(line.request, line.requestData, "request")
        let responseBytes = try headBytes(line.response, line.responseData, "response")
        let request: HTTPRequestHead
        let response: HTTPResponseHead
        do {
            request = try HTTPHeadParser.parseRequest(requestBytes)
        } catch {
            throw LineProblem("\"request\" is not an HTTP request head: \(error)")
        }
        do {
            response = try HTTPHeadParser.parseResponse(responseBytes)
        } catch {
            throw LineProblem("\"response\" is not an HTTP response head: \(error)")
        }
        let variant = try self.variant(line)
        let framing = try self.framing(line.framing ?? Hybi00Framing.old.rawValue)
        var extensions: [ExtensionOffer] = []
        if let text = line.extensions {
            do {
                extensions = try ExtensionOffer.parse(values: [text])
            } catch {
                throw LineProblem("\"extensions\" is not an extension list: \(error)")
            }
        }
        return .init(
            connection: try required(line.conn, "conn", "open"), clientAddress: line.client ?? "",
            target: line.target ?? "", request: request, response: response, variant: variant, framing: framing,
            subprotocol: line.subprotocol, extensions: extensions, at: at,
            requestBody: try bodyBytes(line.requestBody, "requestBody"),
            responseBody: try bodyBytes(line.responseBody, "responseBody"))
    }

    /// A handshake body (base64), empty when the field is absent.
    private func bodyBytes(_ text: String?, _ name: String) throws(LineProblem) -> [UInt8] {
        guard let text else { return [] }
        guard let bytes = Base64.decode(text) else { throw LineProblem("\"\(name)\" is not valid base64") }
        return bytes
    }

    private func frame(
        _ line: RecordingLine, at: TrafficTimestamp,
        sideFile: (_ offset: UInt64, _ length: Int) throws(LineProblem) -> ByteBuffer
    ) throws(LineProblem) -> (TrafficEvent, ByteBuffer?) {
        let connection = try required(line.conn, "conn", "frame")
        let direction = try self.direction(line)
        let disposition = try self.disposition(line)
        let variant = try self.variant(line)
        let wire = try wireBytes(line, sideFile: sideFile)
        let violations = try (line.violations ?? []).map { (record) throws(LineProblem) -> Violation in
            guard let kind = Violation.Kind(rawValue: record.kind) else {
                throw LineProblem("unknown violation kind \"\(record.kind)\"")
            }
            return Violation(kind, record.detail ?? "")
        }
        let streamOffset = line.offset ?? 0
        let content: TrafficEvent.FrameSeen.Content
        switch variant {
        case .rfc6455:
            let opcodeNumber = try required(line.opcode, "opcode", "frame")
            guard (0...15).contains(opcodeNumber) else { throw LineProblem("\"opcode\" must be 0 to 15") }
            let rsv = line.rsv ?? 0
            guard (0...7).contains(rsv) else { throw LineProblem("\"rsv\" must be 0 to 7") }
            var key: MaskingKey?
            if let hex = line.mask {
                guard let parsed = MaskingKey(hex: hex) else { throw LineProblem("\"mask\" must be 8 hex digits") }
                key = parsed
            }
            let length = try required(line.len, "len", "frame")
            let encoding: PayloadLengthEncoding
            switch line.lenBits ?? PayloadLengthEncoding.minimal(for: length).bitCount {
            case 7: encoding = .bits7
            case 16: encoding = .bits16
            case 64: encoding = .bits64
            default: throw LineProblem("\"lenBits\" must be 7, 16 or 64")
            }
            guard encoding.canHold(length) else {
                throw LineProblem("\"len\" \(length) does not fit in \(encoding.bitCount) bits")
            }
            let header = FrameHeader(
                fin: line.fin ?? true, reservedBits: ReservedBits(number: UInt8(rsv)),
                opcode: Opcode(lowBitsOf: UInt8(opcodeNumber)), maskingKey: key, payloadLength: length,
                lengthEncoding: encoding)
            var payload = try self.payload(line, wire: wire)
            if let key, wire != nil {
                payload.withUnsafeMutableReadableBytes { _ = Masking.apply(key: key, phase: 0, inPlace: $0) }
            }
            content = .rfc6455(
                DecodedFrame(header: header, payload: payload, violations: violations, streamOffset: streamOffset))
        case .hybi00:
            let typeByte = try required(line.typeByte, "typeByte", "frame")
            guard (0...255).contains(typeByte) else { throw LineProblem("\"typeByte\" must be 0 to 255") }
            let payload = try self.payload(line, wire: wire)
            content = .hybi00(
                Hybi00Frame(
                    framing: try framing(line.framing ?? Hybi00Framing.old.rawValue), typeByte: UInt8(typeByte),
                    declaredLength: line.declared, payload: payload, violations: violations, streamOffset: streamOffset,
                    wireLength: wire?.readableBytes ?? line.wireLength ?? 0, isComplete: line.complete ?? true))
        }
        var inflated: ByteBuffer?
        if let text = line.inflated {
            inflated = ByteBuffer(string: text)
        } else if let data = line.inflatedData {
            guard let bytes = Base64.decode(data) else { throw LineProblem("\"inflatedData\" is not valid base64") }
            inflated = ByteBuffer(bytes: bytes)
        }
        let cut = line.inflateKept.map { InflationCut(limit: $0, inflatedLength: line.inflatedLength) }
        let seen = TrafficEvent.FrameSeen(
            connection: connection, direction: direction, content: content, at: at, inflatedPayload: inflated,
            inflationError: line.inflateError, inflationCut: cut, disposition: disposition)
        return (.frame(seen), wire)
    }

    /// The payload: the `pat`/`plen` range of the wire bytes (still masked), or `text`/`data` when the
    /// wire bytes were not recorded.
    private func payload(_ line: RecordingLine, wire: ByteBuffer?) throws(LineProblem) -> ByteBuffer {
        if let wire {
            let start = line.pat ?? 0
            let count = line.plen ?? 0
            guard start >= 0, count >= 0, start <= wire.readableBytes, count <= wire.readableBytes - start else {
                throw LineProblem(
                    "\"pat\" and \"plen\" (\(start), \(count)) lie outside the \(wire.readableBytes) wire bytes")
            }
            return wire.getSlice(at: wire.readerIndex + start, length: count) ?? ByteBuffer()
        }
        if let text = line.text { return ByteBuffer(string: text) }
        if let data = line.data {
            guard let bytes = Base64.decode(data) else { throw LineProblem("\"data\" is not valid base64") }
            return ByteBuffer(bytes: bytes)
        }
        return ByteBuffer()
    }

    private func wireBytes(
        _ line: RecordingLine, sideFile: (_ offset: UInt64, _ length: Int) throws(LineProblem) -> ByteBuffer
    ) throws(LineProblem) -> ByteBuffer? {
        if let text = line.wire {
            guard let bytes = Base64.decode(text) else { throw LineProblem("\"wire\" is not valid base64") }
            if let length = line.wireLength, length != bytes.count {
                throw LineProblem("\"wireLength\" is \(length) but \"wire\" holds \(bytes.count) bytes")
            }
            return ByteBuffer(bytes: bytes)
        }
        if let offset = line.sideOffset {
            let length = try required(line.wireLength, "wireLength", line.type ?? "frame")
            guard length >= 0 else { throw LineProblem("\"wireLength\" must not be negative") }
            return try sideFile(offset, length)
        }
        return nil
    }

    private func headBytes(_ text: String?, _ data: String?, _ name: String) throws(LineProblem) -> [UInt8] {
        if let text { return Array(text.utf8) }
        if let data {
            guard let bytes = Base64.decode(data) else { throw LineProblem("\"\(name)Data\" is not valid base64") }
            return bytes
        }
        throw LineProblem("an open event needs \"\(name)\"")
    }

    private func direction(_ line: RecordingLine) throws(LineProblem) -> TrafficDirection {
        guard let name = line.dir else { throw LineProblem("the line has no \"dir\"") }
        guard let direction = TrafficDirection(rawValue: name) else {
            throw LineProblem("\"dir\" must be c2s or s2c, not \"\(name)\"")
        }
        return direction
    }

    private func variant(_ line: RecordingLine) throws(LineProblem) -> ProtocolVariant {
        guard let name = line.variant else { throw LineProblem("the line has no \"variant\"") }
        guard let variant = ProtocolVariant(rawValue: name) else {
            throw LineProblem("\"variant\" must be rfc6455 or hybi00, not \"\(name)\"")
        }
        return variant
    }

    private func framing(_ name: String) throws(LineProblem) -> Hybi00Framing {
        guard let framing = Hybi00Framing(rawValue: name) else {
            throw LineProblem("\"framing\" must be old or new, not \"\(name)\"")
        }
        return framing
    }

    private func disposition(_ line: RecordingLine) throws(LineProblem) -> FrameDisposition {
        let name = line.disp ?? "relayed"
        func hold() throws(LineProblem) -> UInt64 {
            guard let id = line.hold else { throw LineProblem("a \(name) frame needs \"hold\"") }
            return id
        }
        switch name {
        case "relayed": return .relayed
        case "injected": return .injected
        case "held": return .held(try hold())
        case "released": return .released(try hold())
        case "edited": return .edited(try hold())
        case "dropped": return .dropped(try hold())
        case "replaced": return .replaced
        case "removed": return .removed
        case "rewritten": return .rewritten
        default:
            throw LineProblem(
                "\"disp\" must be relayed, held, released, edited, dropped, injected, replaced, removed or rewritten,"
                    + " not \"\(name)\"")
        }
    }

    private func closeCode(_ value: Int?, _ name: String) throws(LineProblem) -> CloseCode? {
        guard let value else { return nil }
        guard (0...0xFFFF).contains(value) else { throw LineProblem("\"\(name)\" must be 0 to 65535") }
        return CloseCode(UInt16(value))
    }

    private func required<Value>(_ value: Value?, _ name: String, _ type: String) throws(LineProblem) -> Value {
        guard let value else { throw LineProblem("a \(type) event needs \"\(name)\"") }
        return value
    }

    /// A short account of a decoding error: which field, what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the line" : "\"" + names.joined(separator: ".") + "\""
        }
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(path(context)): \(context.debugDescription)"
        case .typeMismatch(let type, let context):
            return "\(path(context)) must be \(Self.typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context)) must be \(Self.typeName(type)), not null"
        case .keyNotFound(let key, _):
            return "missing \"\(key.stringValue)\""
        @unknown default:
            return "not a recording line"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is UInt64.Type: return "an integer"
        case is Double.Type: return "a number"
        default: return "of the right type"
        }
    }
}

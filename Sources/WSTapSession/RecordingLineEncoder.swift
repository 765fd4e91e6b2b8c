import NIOCore
import WSTapCore

/// Turns the header and traffic events into lines of the recording format (docs/recording-format.md).
/// One instance is reused for every line, so encoding allocates nothing per frame once warmed up.
struct RecordingLineEncoder {
    /// The encoded lines, waiting to be written.
    let builder = JSONLineBuilder()
    /// Holds an unmasked payload while it is encoded.
    private var scratch: [UInt8] = []
    /// Payloads whose wire bytes are in the line are repeated as `text` only up to this many bytes.
    let textLimit: Int

    init(textLimit: Int = RecorderOptions.defaultTextLimit) {
        self.textLimit = textLimit
    }

    /// How many bytes of lines wait to be written.
    var count: Int { builder.count }

    /// Calls `body` with the lines waiting to be written.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try builder.withBytes(body)
    }

    /// Forgets the lines (once written).
    func removeAll() {
        builder.removeAll()
    }

    mutating func header(_ header: RecordingHeader) {
        builder.beginObject()
        builder.field("format", RecordingHeader.formatName)
        builder.field("version", header.version)
        builder.field("wstap", header.wstapVersion)
        builder.field("mode", header.mode.rawValue)
        builder.field("t", seconds: header.startedAt)
        builder.field("mono", header.startedMonotonicNanoseconds)
        if let side = header.sideFileName { builder.field("sideFile", side) }
        builder.endLine()
    }

    /// Encodes one event; `wire` says where a frame's or raw event's bytes are.
    mutating func event(_ event: TrafficEvent, wire: FrameWire) {
        if case .message = event { return }  // not recorded: their frames hold them
        builder.beginObject()
        switch event {
        case .connectionOpened(let opened):
            builder.field("type", "open")
            time(opened.at, connection: opened.connection)
            builder.field("client", opened.clientAddress)
            builder.field("target", opened.target)
            head("request", "requestData", opened.request.wireBytes)
            head("response", "responseData", opened.response.wireBytes)
            if !opened.requestBody.isEmpty {
                builder.key("requestBody")
                opened.requestBody.withUnsafeBytes { builder.base64String($0) }
            }
            if !opened.responseBody.isEmpty {
                builder.key("responseBody")
                opened.responseBody.withUnsafeBytes { builder.base64String($0) }
            }
            builder.field("variant", opened.variant.rawValue)
            builder.field("framing", opened.framing.rawValue)
            if let subprotocol = opened.subprotocol { builder.field("subprotocol", subprotocol) }
            if !opened.extensions.isEmpty {
                builder.field("extensions", ExtensionOffer.headerValue(for: opened.extensions))
            }
        case .frame(let seen):
            frame(seen, wire: wire)
        case .leftoverBytes(let connection, let direction, let bytes, let at):
            builder.field("type", "raw")
            time(at, connection: connection)
            builder.field("dir", direction.rawValue)
            wireFields(wire, fallbackLength: bytes.readableBytes)
        case .connectionClosed(let closed):
            builder.field("type", "close")
            time(closed.at, connection: closed.connection)
            if let by = closed.closedBy { builder.field("closedBy", by.rawValue) }
            if let code = closed.clientCloseCode { builder.field("clientCode", Int(code.rawValue)) }
            if let code = closed.serverCloseCode { builder.field("serverCode", Int(code.rawValue)) }
            if !closed.closeReason.isEmpty { builder.field("reason", closed.closeReason) }
            builder.field("clean", closed.wasClean)
            if let error = closed.error { builder.field("error", error) }
        case .proxyError(let message, let at):
            builder.field("type", "error")
            time(at, connection: nil)
            builder.field("message", message)
        case .note(let connection, let text, let at):
            builder.field("type", "note")
            time(at, connection: connection)
            builder.field("text", text)
        case .framingChanged(let change):
            builder.field("type", "framing")
            time(change.at, connection: change.connection)
            builder.field("framing", change.framing.rawValue)
            builder.field("redecoded", change.redecoded)
        case .message:
            break  // returned above
        }
        builder.endLine()
    }

    private mutating func time(_ at: TrafficTimestamp, connection: UInt64?) {
        if let connection { builder.field("conn", connection) }
        builder.field("t", seconds: at.wallSeconds)
        builder.field("mono", at.monotonicNanoseconds)
    }

    private mutating func head(_ textKey: StaticString, _ dataKey: StaticString, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            if UTF8Validator.isValid(raw) {
                builder.key(textKey)
                builder.escapedString(raw)
            } else {
                builder.key(dataKey)
                builder.base64String(raw)
            }
        }
    }

    private mutating func frame(_ seen: TrafficEvent.FrameSeen, wire: FrameWire) {
        builder.field("type", "frame")
        time(seen.at, connection: seen.connection)
        builder.field("dir", seen.direction.rawValue)
        // `relayed` is the default: left out, as most frames are relayed.
        if seen.disposition != .relayed { builder.field("disp", seen.disposition.name) }
        if let hold = seen.disposition.holdID { builder.field("hold", hold) }
        let prefersText: Bool
        let key: MaskingKey?
        let fallbackLength: Int
        switch seen.content {
        case .rfc6455(let frame):
            let header = frame.header
            builder.field("variant", ProtocolVariant.rfc6455.rawValue)
            builder.field("fin", header.fin)
            builder.field("rsv", Int(header.reservedBits.number))
            builder.field("opcode", Int(header.opcode.rawValue))
            if let mask = header.maskingKey { builder.field("mask", hex32: mask.value) }
            builder.field("len", header.payloadLength)
            builder.field("lenBits", header.lengthEncoding.bitCount)
            builder.field("offset", frame.streamOffset)
            prefersText = header.opcode != .binary
            key = header.maskingKey
            fallbackLength = Int(clamping: frame.wireLength)
        case .hybi00(let frame):
            builder.field("variant", ProtocolVariant.hybi00.rawValue)
            builder.field("framing", frame.framing.rawValue)
            builder.field("typeByte", Int(frame.typeByte))
            if let declared = frame.declaredLength { builder.field("declared", declared) }
            builder.field("complete", frame.isComplete)
            builder.field("offset", frame.streamOffset)
            prefersText = true
            key = nil
            fallbackLength = frame.wireLength
        }
        wireFields(wire, fallbackLength: fallbackLength)
        // Where the payload is in the wire bytes; the payload itself again only as short text, readable.
        switch wire {
        case .inline(let bytes):
            let range = PayloadLocation.range(of: seen.content, wireCount: bytes.readableBytes)
            builder.field("pat", range.lowerBound)
            builder.field("plen", range.count)
            if prefersText, range.count <= textLimit {
                bytes.withUnsafeReadableBytes { raw in
                    payload(UnsafeRawBufferPointer(rebasing: raw[range]), key: key)
                }
            }
        case .sideFile(_, let length):
            let range: Range<Int> = PayloadLocation.range(of: seen.content, wireCount: length)
            builder.field("pat", range.lowerBound)
            builder.field("plen", range.count)
        case .missing:
            let payloadBytes: ByteBuffer
            switch seen.content {
            case .rfc6455(let frame): payloadBytes = frame.payload
            case .hybi00(let frame): payloadBytes = frame.payload
            }
            payloadBytes.withUnsafeReadableBytes { writePayload($0, prefersText: prefersText) }
        }
        let violations = seen.violations
        if !violations.isEmpty {
            builder.key("violations")
            builder.append(UInt8(ascii: "["))
            for (index, violation) in violations.enumerated() {
                if index > 0 { builder.append(UInt8(ascii: ",")) }
                builder.append(Self.kindPrefix)
                builder.string(violation.kind.rawValue)
                if !violation.detail.isEmpty {
                    builder.append(Self.detailPrefix)
                    builder.string(violation.detail)
                }
                builder.append(UInt8(ascii: "}"))
            }
            builder.append(UInt8(ascii: "]"))
        }
        if seen.inflatedPayload != nil || seen.inflationError != nil { builder.field("compressed", true) }
        if let inflated = seen.inflatedPayload {
            inflated.withUnsafeReadableBytes { raw in
                if UTF8Validator.isValid(raw) {
                    builder.key("inflated")
                    builder.escapedString(raw)
                } else {
                    builder.key("inflatedData")
                    builder.base64String(raw)
                }
            }
        }
        if let error = seen.inflationError { builder.field("inflateError", error) }
        if let cut = seen.inflationCut {
            builder.field("inflateKept", cut.limit)
            if let length = cut.inflatedLength { builder.field("inflatedLength", length) }
        }
    }

    private mutating func wireFields(_ wire: FrameWire, fallbackLength: Int) {
        switch wire {
        case .inline(let bytes):
            builder.field("wireLength", bytes.readableBytes)
            builder.key("wire")
            bytes.withUnsafeReadableBytes { builder.base64String($0) }
        case .sideFile(let offset, let length):
            builder.field("wireLength", length)
            builder.field("sideOffset", offset)
        case .missing:
            builder.field("wireLength", fallbackLength)
        }
    }

    /// `text` when the (unmasked) payload is valid UTF-8; else nothing.
    private mutating func payload(_ raw: UnsafeRawBufferPointer, key: MaskingKey?) {
        guard let key else {
            writeText(raw)
            return
        }
        // Unmask into the reused scratch array (moved out while it is read, so `self` stays writable).
        var unmasked = scratch
        scratch = []
        unmasked.removeAll(keepingCapacity: true)
        unmasked.append(contentsOf: raw)
        unmasked.withUnsafeMutableBytes { bytes in
            _ = Masking.apply(key: key, phase: 0, inPlace: bytes)
            writeText(UnsafeRawBufferPointer(bytes))
        }
        scratch = unmasked
    }

    private mutating func writeText(_ bytes: UnsafeRawBufferPointer) {
        guard UTF8Validator.isValid(bytes) else { return }
        builder.key("text")
        builder.escapedString(bytes)
    }

    /// `text` when the payload is valid UTF-8 and not a binary frame's, `data` (base64) otherwise.
    private mutating func writePayload(_ bytes: UnsafeRawBufferPointer, prefersText: Bool) {
        if prefersText, UTF8Validator.isValid(bytes) {
            builder.key("text")
            builder.escapedString(bytes)
        } else {
            builder.key("data")
            builder.base64String(bytes)
        }
    }

    private static let kindPrefix: StaticString = "{\"kind\":"
    private static let detailPrefix: StaticString = ",\"detail\":"
}

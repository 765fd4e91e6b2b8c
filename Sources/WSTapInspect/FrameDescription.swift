import NIOCore
public import WSTapCore

/// One-line and JSON descriptions of frames, as `wstap decode` prints them; the JSON fields are those of
/// the `frame` and `leftover` events of docs/json-events.md, which every command shares. `index` counts
/// frames from 0.
public enum FrameDescription {
    // MARK: RFC 6455

    /// `#0 @0 text fin=1 rsv=000 mask=37fa213d len=5 (7-bit) "Hello"`, then close code and reason, then
    /// `!! violation; violation` when there are any. With `compressed` (a frame of a permessage-deflate
    /// message) the payload is shown as hex, not as text, whatever its bytes: the inflated text is shown apart.
    public static func line(_ frame: DecodedFrame, index: Int, compressed: Bool = false) -> String {
        let header = frame.header
        var parts = [
            "#\(index)", "@\(frame.streamOffset)", header.opcode.name, "fin=\(header.fin ? 1 : 0)",
            "rsv=\(bits(header.reservedBits))", "mask=\(header.maskingKey?.hex ?? "-")",
            "len=\(header.payloadLength) (\(header.lengthEncoding.bitCount)-bit)",
        ]
        if let body = frame.closeBody {
            if let code = body.code {
                parts.append("code=\(code.rawValue) (\(code.name))")
                parts.append("reason=" + PayloadPreview.quoted(body.reason, maxCharacters: 60))
            } else if body.reasonBytes.isEmpty {
                parts.append("no-status")
            } else {
                parts.append(PayloadPreview.make(frame.payload, preferText: false, totalLength: header.payloadLength))
            }
        } else {
            parts.append(
                PayloadPreview.make(
                    frame.payload, preferText: !compressed && header.opcode != .binary,
                    totalLength: header.payloadLength))
        }
        if !frame.isPayloadComplete {
            parts.append("(payload cut at \(CountWords.of(frame.payload.readableBytes, "byte")))")
        }
        return parts.joined(separator: " ") + violationSuffix(frame.violations)
    }

    /// The frame as a `frame` event of docs/json-events.md without connection and time (what `wstap decode
    /// --json` prints); `direction` when the sender is known.
    public static func json(_ frame: DecodedFrame, index: Int, direction: TrafficDirection? = nil) -> String {
        frameEvent(index: index, direction: direction) { addFields(frame, to: &$0) }
    }

    /// A `frame` event without connection and time: the event's name, `direction` when known, `index`, then
    /// the frame's own fields as `addFields` writes them.
    private static func frameEvent(
        index: Int, direction: TrafficDirection?, addFields: (inout JSONWriter) -> Void
    ) -> String {
        var writer = JSONWriter()
        writer.add("event", "frame")
        if let direction { writer.add("direction", direction.rawValue) }
        writer.add("index", index)
        addFields(&writer)
        return writer.json
    }

    /// The frame's own fields of a `frame` event. With `compressed` (a frame of a permessage-deflate
    /// message) the payload is not text, whatever its bytes: `text` is null.
    static func addFields(_ frame: DecodedFrame, compressed: Bool = false, to writer: inout JSONWriter) {
        let header = frame.header
        writer.add("variant", "rfc6455")
        writer.add("offset", frame.streamOffset)
        writer.add("wireLength", frame.wireLength)
        writer.add("fin", header.fin)
        writer.add("rsv1", header.reservedBits.contains(.rsv1))
        writer.add("rsv2", header.reservedBits.contains(.rsv2))
        writer.add("rsv3", header.reservedBits.contains(.rsv3))
        writer.add("opcode", header.opcode.rawValue)
        writer.add("opcodeName", header.opcode.name)
        writer.add("masked", header.isMasked)
        if let key = header.maskingKey { writer.add("maskingKey", key.hex) } else { writer.addNull("maskingKey") }
        writer.add("payloadLength", header.payloadLength)
        writer.add("lengthEncoding", header.lengthEncoding.bitCount)
        writer.add("payloadComplete", frame.isPayloadComplete)
        addPayload(frame.payload, isText: !compressed, to: &writer)
        if let body = frame.closeBody {
            var close = JSONWriter()
            if let code = body.code {
                close.add("code", code.rawValue)
                close.add("name", code.name)
            } else {
                close.addNull("code")
            }
            close.add("reason", body.reason)
            writer.addRaw("close", close.json)
        }
        writer.addRaw("violations", violationsJSON(frame.violations))
    }

    // MARK: hybi-00

    /// `#0 @0 hybi00-old text len=2 "Hi"` and violations.
    public static func line(_ frame: Hybi00Frame, index: Int) -> String {
        var parts = [
            frame.isComplete ? "#\(index)" : "incomplete", "@\(frame.streamOffset)", "hybi00-\(frame.framing.rawValue)",
        ]
        if frame.isComplete { parts.append(frame.kindName) }
        parts.append("type=0x" + HexText.format([frame.typeByte]))
        if let length = frame.declaredLength {
            parts.append("len=\(length)")
        } else if frame.isComplete {
            parts.append("len=\(frame.payload.readableBytes) (sentinel)")
        } else {
            parts.append(CountWords.of(frame.wireLength, "byte"))
        }
        if !frame.isClose || frame.payload.readableBytes > 0 {
            parts.append(PayloadPreview.make(frame.payload, preferText: frame.kindName != "binary"))
        }
        return parts.joined(separator: " ") + violationSuffix(frame.violations, variant: .hybi00)
    }

    /// The hybi-00 frame as a `frame` event of docs/json-events.md without connection and time (what
    /// `wstap decode --json` prints); `direction` when the sender is known.
    public static func json(_ frame: Hybi00Frame, index: Int, direction: TrafficDirection? = nil) -> String {
        frameEvent(index: index, direction: direction) { addFields(frame, to: &$0) }
    }

    /// The hybi-00 frame's own fields of a `frame` event.
    static func addFields(_ frame: Hybi00Frame, to writer: inout JSONWriter) {
        writer.add("variant", "hybi00")
        writer.add("framing", frame.framing.rawValue)
        writer.add("offset", frame.streamOffset)
        writer.add("wireLength", frame.wireLength)
        writer.add("kind", frame.kindName)
        writer.add("typeByte", frame.typeByte)
        if let length = frame.declaredLength {
            writer.add("declaredLength", length)
        } else {
            writer.addNull("declaredLength")
        }
        writer.add("complete", frame.isComplete)
        addPayload(frame.payload, isText: true, to: &writer)
        writer.addRaw("violations", violationsJSON(frame.violations, variant: .hybi00))
    }

    // MARK: Leftovers

    /// What was left at the end of the input: a header without its whole payload, or bytes that do not
    /// make up a header.
    public static func line(_ incomplete: IncompleteFrame) -> String {
        if let header = incomplete.header {
            let got = incomplete.receivedPayload.readableBytes
            return "incomplete @\(incomplete.streamOffset) \(header.opcode.name) fin=\(header.fin ? 1 : 0) "
                + "rsv=\(bits(header.reservedBits)) mask=\(header.maskingKey?.hex ?? "-") "
                + "len=\(header.payloadLength) (\(header.lengthEncoding.bitCount)-bit): only \(got) payload bytes arrived"
                + violationSuffix(incomplete.violations)
        }
        let bytes = incomplete.unparsedBytes.readableBytesView
        return "incomplete @\(incomplete.streamOffset): \(bytes.count) byte\(bytes.count == 1 ? "" : "s") "
            + "that do not make up a frame header: " + HexText.format(bytes.prefix(16), separator: " ")
    }

    /// The leftover as a `leftover` event of docs/json-events.md without connection and time (what `wstap
    /// decode --json` prints): its bytes as they were in the input, and the header when one was whole.
    public static func json(_ incomplete: IncompleteFrame, direction: TrafficDirection? = nil) -> String {
        var writer = JSONWriter()
        writer.add("event", "leftover")
        if let direction { writer.add("direction", direction.rawValue) }
        writer.add("offset", incomplete.streamOffset)
        writer.add("hex", HexText.format(incomplete.wireBytes.readableBytesView))
        if let header = incomplete.header {
            writer.add("fin", header.fin)
            writer.add("opcode", header.opcode.rawValue)
            writer.add("opcodeName", header.opcode.name)
            writer.add("payloadLength", header.payloadLength)
            writer.add("receivedPayloadBytes", incomplete.receivedPayload.readableBytes)
        }
        writer.addRaw("violations", violationsJSON(incomplete.violations))
        return writer.json
    }

    // MARK: Pieces

    static func bits(_ bits: ReservedBits) -> String {
        (bits.contains(.rsv1) ? "1" : "0") + (bits.contains(.rsv2) ? "1" : "0") + (bits.contains(.rsv3) ? "1" : "0")
    }

    static func violationSuffix(_ violations: [Violation], variant: ProtocolVariant = .rfc6455) -> String {
        violations.isEmpty ? "" : "  !! " + violations.map { $0.description(for: variant) }.joined(separator: "; ")
    }

    static func violationsJSON(_ violations: [Violation], variant: ProtocolVariant = .rfc6455) -> String {
        if violations.isEmpty { return "[]" }
        return JSONWriter.array(
            violations.map { violation in
                var writer = JSONWriter()
                writer.add("kind", violation.kind.rawValue)
                writer.add("section", violation.kind.section(for: variant))
                writer.add("summary", violation.kind.summary)
                writer.add("detail", violation.detail)
                return writer.json
            })
    }

    /// `text` (the payload as UTF-8 text, or null when it is not valid UTF-8 or not text at all) and
    /// `payloadHex`.
    static func addPayload(_ payload: ByteBuffer, isText: Bool, to writer: inout JSONWriter) {
        let isUTF8 = isText && UTF8Validator.isValid(payload.readableBytesView)
        payload.withUnsafeReadableBytes { bytes in
            if isUTF8 {
                writer.add("text", utf8: bytes)
            } else {
                writer.addNull("text")
            }
            writer.add("payloadHex", hex: bytes)
        }
    }
}

// libFuzzer entry point for WSTapCore. The first input byte chooses a mode; the next few bytes
// configure it; the rest is the byte stream under test. Every invariant is a `precondition`, so a
// broken one is reported by libFuzzer as a crash (with the input saved as an artifact).
//
//   mode 0  RFC 6455 FrameDecoder (fuzzer-chosen configuration and chunking) + MessageAssembler
//   mode 1  Hybi00FrameDecoder, old/new framing switched at fuzzer-chosen points
//   mode 2  UTF8Validator: chunked vs whole vs the standard library
//   mode 3  craft round trip: FrameEncoder.encode(FrameSpec) / Hybi00FrameEncoder.encode -> decoders
//   mode 4  HTTP heads and handshakes (HTTPHeadParser, RFC 6455 / hybi-00 handshake validation, header
//           value lists, base64) and the `decode` command's input path (WSTapInspect.DecodeRun); see
//           HandshakeModes.swift
//
// See docs/fuzzing.md.

import NIOCore
import WSTapCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let mode = input.first else { return 0 }
    let body = UnsafeBufferPointer(rebasing: input[1...])
    switch mode % 5 {
    case 0: fuzzFrameDecoder(body)
    case 1: fuzzHybi00(body)
    case 2: fuzzUTF8(body)
    case 3: fuzzCraftRoundTrip(body)
    default: fuzzHandshake(body)
    }
    return 0
}

// MARK: - Input helpers

/// Splits `bytes` into `configCount` configuration bytes (zero when missing) and the stream after them.
func split(_ bytes: UnsafeBufferPointer<UInt8>, configCount: Int) -> ([UInt8], UnsafeBufferPointer<UInt8>) {
    var config = [UInt8](repeating: 0, count: configCount)
    for index in 0..<min(configCount, bytes.count) { config[index] = bytes[index] }
    let start = min(configCount, bytes.count)
    return (config, UnsafeBufferPointer(rebasing: bytes[start...]))
}

/// Chunk boundaries from one config byte: 0 feeds everything at once; otherwise the low 3 bits pick
/// a maximum chunk size and the high 5 bits seed the sizes.
struct Chunker {
    var state: UInt64
    let maxChunk: Int

    static let maxima = [Int.max, 1, 2, 3, 5, 8, 64, 1024]

    init(_ byte: UInt8) {
        maxChunk = Self.maxima[Int(byte & 7)]
        state = UInt64(byte >> 3) &* 0x9E37_79B9_7F4A_7C15 | 1
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// The chunks of `total` bytes, as ranges.
    mutating func ranges(_ total: Int) -> [Range<Int>] {
        if maxChunk == Int.max { return total == 0 ? [] : [0..<total] }
        var result: [Range<Int>] = []
        var start = 0
        while start < total {
            let length = min(total - start, 1 + Int(next() % UInt64(maxChunk)))
            result.append(start..<start + length)
            start += length
        }
        return result
    }
}

let captureLimits = [Int.max, 0, 1, 2, 3, 4, 8, 16, 125, 126, 200, 256, 1000, 65535, 65536, 1 << 20]
let sizeLimits: [UInt64] = [UInt64.max, 0, 1, 4, 16, 125, 126, 1000, 65535, 65536, 1 << 20, 1 << 31, 1 << 63]

func stdlibValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
    String(validating: bytes, as: UTF8.self) != nil
}

/// The payload as it travels in the stream, unmasked byte by byte (independent of Masking).
func trueRFC6455Payload(_ stream: UnsafeBufferPointer<UInt8>, frameStart: Int, header: FrameHeader) -> [UInt8] {
    let start = frameStart + header.size
    let count = Int(header.payloadLength)
    var out = Array(stream[start..<start + count])
    if let key = header.maskingKey {
        let keyBytes = [key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3]
        for index in 0..<count { out[index] ^= keyBytes[index % 4] }
    }
    return out
}

// MARK: - Mode 0: RFC 6455

/// Mirror of the message-level state that the decoder's UTF-8 checks depend on.
struct TextMessageOracle {
    var open = false
    var checks = false
    var text: [UInt8] = []
    var invalidSeen = false

    mutating func observe(_ frame: DecodedFrame, truePayload: [UInt8], configuration: FrameDecoderConfiguration) {
        let header = frame.header
        guard header.opcode.isData else { return }
        if header.opcode == .continuation {
            guard open else { return }
        } else {
            let compressed = header.reservedBits.contains(.rsv1) && configuration.allowedReservedBits.contains(.rsv1)
            open = true
            checks = header.opcode == .text && configuration.validatesUTF8 && !compressed
            text = []
            invalidSeen = false
        }
        if checks {
            text += truePayload
            if frame.violations.contains(where: { $0.kind == .invalidUTF8 }) {
                precondition(!invalidSeen, "invalid UTF-8 reported twice in one message")
                invalidSeen = true
                // Reported at the first frame that makes the text invalid: the text so far cannot be a
                // prefix of valid UTF-8, unless this is the last frame and it ends inside a character.
                var validator = UTF8Validator()
                let bad = text.withUnsafeBytes { validator.validate($0) }
                precondition(bad != nil || (header.fin && !validator.isAtCharacterBoundary), "invalid UTF-8 reported too early")
            } else if !invalidSeen {
                // Not reported yet: the text so far must be a valid prefix.
                var validator = UTF8Validator()
                let bad = text.withUnsafeBytes { validator.validate($0) }
                precondition(bad == nil, "invalid UTF-8 in a text message not reported")
            }
        }
        if header.fin {
            if checks {
                precondition(invalidSeen == !stdlibValidUTF8(text), "UTF-8 verdict differs from the standard library")
            }
            open = false
            checks = false
            text = []
        }
    }
}

/// Mirror of MessageAssembler's bookkeeping, checking what it emits.
struct AssemblerOracle {
    var assembler: MessageAssembler
    var openOpcode: Opcode?
    var collected: [UInt8] = []

    init(mode: MessageAssembler.Mode, maxMessageSize: Int) {
        assembler = MessageAssembler(mode: mode, maxMessageSize: maxMessageSize)
    }

    mutating func push(_ frame: DecodedFrame) {
        let payload = Array(frame.payload.readableBytesView)
        let event = assembler.push(frame)
        let opcode = frame.header.opcode
        if opcode.isControl {
            guard case .control(let passed)? = event else { preconditionFailure("control frame not passed through") }
            precondition(passed.header == frame.header)
            return
        }
        if opcode == .continuation {
            guard openOpcode != nil else {
                guard case .failure(let violation)? = event, violation.kind == .continuationWithoutMessage else {
                    preconditionFailure("continuation without a message not reported")
                }
                return
            }
        } else if openOpcode != nil {
            guard case .failure(let violation)? = event, violation.kind == .dataFrameInsideMessage else {
                preconditionFailure("data frame inside a message not reported")
            }
            openOpcode = nil
            collected = []
            return
        } else {
            openOpcode = opcode
            collected = []
        }
        let isFirst = opcode != .continuation
        collected += payload
        if collected.count > assembler.maxMessageSize {
            guard case .failure(let violation)? = event, violation.kind == .messageTooBig else {
                preconditionFailure("oversized message not reported")
            }
            openOpcode = nil
            collected = []
            return
        }
        let messageOpcode = openOpcode!
        switch assembler.mode {
        case .streaming:
            guard case .chunk(let chunk)? = event else { preconditionFailure("no chunk in streaming mode") }
            precondition(chunk.opcode == messageOpcode && chunk.isFirst == isFirst && chunk.isFinal == frame.header.fin)
            precondition(Array(chunk.data.readableBytesView) == payload)
        case .whole:
            if frame.header.fin {
                guard case .message(let message)? = event else { preconditionFailure("no message at the last fragment") }
                precondition(message.opcode == messageOpcode)
                precondition(Array(message.data.readableBytesView) == collected, "message bytes differ from fragments")
            } else {
                precondition(event == nil, "event before the last fragment")
            }
        }
        if frame.header.fin {
            openOpcode = nil
            collected = []
        }
        precondition(assembler.isMessageOpen == (openOpcode != nil))
    }
}

func fuzzFrameDecoder(_ bytes: UnsafeBufferPointer<UInt8>) {
    let (config, stream) = split(bytes, configCount: 5)
    let senders: [EndpointRole?] = [nil, .client, .server, nil]
    let configuration = FrameDecoderConfiguration(
        sender: senders[Int(config[0] & 3)],
        allowedReservedBits: ReservedBits(number: (config[0] >> 2) & 7),
        maxFrameSize: sizeLimits[Int(config[2] & 0xF) % sizeLimits.count],
        maxMessageSize: sizeLimits[Int(config[2] >> 4) % sizeLimits.count],
        payloadCaptureLimit: captureLimits[Int(config[1]) % captureLimits.count],
        validatesUTF8: config[0] & 0x20 == 0
    )
    var chunker = Chunker(config[3])
    let assemblerMaxima = [Int.max, 0, 1, 16, 125, 1000, 65536]
    var assembler = AssemblerOracle(
        mode: config[4] & 1 == 0 ? .whole : .streaming,
        maxMessageSize: assemblerMaxima[Int(config[4] >> 1) % assemblerMaxima.count])

    var decoder = FrameDecoder(configuration: configuration)
    var appended = 0
    var framesEnd = 0  // the stream offset just past the last frame returned
    var textOracle = TextMessageOracle()
    let capture = configuration.payloadCaptureLimit

    for range in chunker.ranges(stream.count) {
        decoder.append(ByteBuffer(bytes: UnsafeBufferPointer(rebasing: stream[range])))
        appended += range.count
        while let frame = decoder.nextFrame() {
            let header = frame.header
            precondition(frame.streamOffset == framesEnd, "frames are not contiguous")
            let wire = frame.wireLength
            precondition(wire <= UInt64(appended - framesEnd), "frame longer than the bytes received")
            let truePayload = trueRFC6455Payload(stream, frameStart: framesEnd, header: header)

            // Header: re-encoding gives back the wire bytes.
            var headerBytes = ByteBuffer()
            FrameEncoder.write(header: header, payload: UnsafeRawBufferPointer(start: nil, count: 0), into: &headerBytes)
            precondition(Array(headerBytes.readableBytesView) == Array(stream[framesEnd..<framesEnd + header.size]))

            // Payload: the captured prefix of the unmasked payload.
            let kept = Int(min(header.payloadLength, UInt64(capture)))
            precondition(frame.payload.readableBytes == kept, "captured payload has the wrong size")
            precondition(Array(frame.payload.readableBytesView) == Array(truePayload[0..<kept]), "payload not unmasked right")
            if frame.isPayloadComplete {
                // The whole frame re-encodes, masked again with its key, to exactly its input bytes.
                var again = ByteBuffer()
                FrameEncoder.write(header: header, payload: frame.payload, into: &again)
                precondition(
                    Array(again.readableBytesView) == Array(stream[framesEnd..<framesEnd + Int(wire)]),
                    "re-encoded frame differs from its input bytes")
                precondition(frame.wireBytes == again)
            } else {
                precondition(frame.wireBytes == nil)
            }

            // Violations that follow from the header alone.
            let kinds = Set(frame.violations.map(\.kind))
            switch configuration.sender {
            case .client?: precondition(kinds.contains(.clientFrameUnmasked) == (header.maskingKey == nil))
            case .server?: precondition(kinds.contains(.serverFrameMasked) == (header.maskingKey != nil))
            case nil: precondition(!kinds.contains(.clientFrameUnmasked) && !kinds.contains(.serverFrameMasked))
            }
            precondition(kinds.contains(.reservedOpcode) == header.opcode.isReserved)
            precondition(kinds.contains(.controlFrameTooLong) == (header.opcode.isControl && header.payloadLength > 125))
            precondition(kinds.contains(.frameTooBig) == (header.payloadLength > configuration.maxFrameSize))
            precondition(kinds.contains(.nonMinimalLength) == header.hasNonMinimalLength)
            precondition(!kinds.contains(.incompleteFrame))

            textOracle.observe(frame, truePayload: truePayload, configuration: configuration)
            assembler.push(frame)
            framesEnd += Int(wire)
        }
        // Between frames: every byte received is consumed or pending, and nothing parsable is left.
        precondition(decoder.streamOffset + decoder.pendingByteCount == appended, "bytes lost or invented")
        if let header = decoder.currentFrameHeader {
            let consumed = decoder.streamOffset - framesEnd
            precondition(consumed >= header.size && UInt64(consumed - header.size) < header.payloadLength)
            precondition(decoder.pendingByteCount == 0, "payload bytes left unread")
        } else {
            precondition(decoder.streamOffset == framesEnd)
            precondition(decoder.pendingByteCount < 14, "a whole header is pending but no frame came out")
        }
    }

    let pendingHeader = decoder.currentFrameHeader
    let pending = decoder.pendingByteCount
    let incomplete = decoder.finish()
    if let header = pendingHeader {
        guard let incomplete else { preconditionFailure("frame in progress not reported at finish") }
        precondition(incomplete.header == header && incomplete.streamOffset == framesEnd)
        precondition(incomplete.violations.last?.kind == .incompleteFrame)
        let received = appended - framesEnd - header.size
        let kept = min(received, capture)
        let start = framesEnd + header.size
        var expected = Array(stream[start..<start + kept])
        if let key = header.maskingKey {
            let keyBytes = [key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3]
            for index in 0..<expected.count { expected[index] ^= keyBytes[index % 4] }
        }
        precondition(Array(incomplete.receivedPayload.readableBytesView) == expected)
    } else if pending > 0 {
        guard let incomplete else { preconditionFailure("pending bytes not reported at finish") }
        precondition(incomplete.header == nil && incomplete.streamOffset == framesEnd)
        precondition(Array(incomplete.unparsedBytes.readableBytesView) == Array(stream[framesEnd..<appended]))
    } else {
        precondition(incomplete == nil)
    }
    precondition(decoder.pendingByteCount == 0 && decoder.currentFrameHeader == nil)
}

// MARK: - Mode 1: hybi-00

func fuzzHybi00(_ bytes: UnsafeBufferPointer<UInt8>) {
    let (config, stream) = split(bytes, configCount: 3)
    let capture = captureLimits[Int(config[0] >> 1) % captureLimits.count]
    let maxFrameSize = sizeLimits[Int(config[1] & 0xF) % sizeLimits.count]
    var chunker = Chunker(config[2])
    // High nibble of config[1]: 0 never switches framing; otherwise it seeds the switch points.
    let switching = config[1] >> 4 != 0
    var switches = UInt64(config[1] >> 4) &* 0x2545_F491_4F6C_DD1D | 1
    var decoder = Hybi00FrameDecoder(
        framing: config[0] & 1 == 0 ? .old : .new, maxFrameSize: maxFrameSize, payloadCaptureLimit: capture)
    var appended = 0
    var framesEnd = 0

    func check(_ frame: Hybi00Frame, finished: Bool) {
        precondition(frame.streamOffset == framesEnd, "hybi-00 frames are not contiguous")
        precondition(frame.wireLength >= 1 && frame.wireLength <= appended - framesEnd)
        let wire = Array(stream[framesEnd..<framesEnd + frame.wireLength])
        precondition(wire[0] == frame.typeByte)
        let payload = Array(frame.payload.readableBytesView)
        let truePayload: [UInt8]
        var capture = capture
        switch frame.framing {
        case .old where frame.typeByte & 0x80 == 0:
            precondition(frame.declaredLength == nil)
            if finished {
                truePayload = Array(wire[1...])
            } else {
                precondition(wire.last == 0xFF)
                truePayload = Array(wire[1..<wire.count - 1])
            }
            precondition(!truePayload.contains(0xFF), "sentinel frame runs past its 0xFF")
        case .old:
            var index = 1
            var length: UInt64 = 0
            while index < wire.count {
                let byte = wire[index]
                length = length << 7 | UInt64(byte & 0x7F)
                index += 1
                if byte & 0x80 == 0 { break }
            }
            if !finished || frame.declaredLength != nil {
                precondition(frame.declaredLength == length, "length groups misread")
            }
            truePayload = Array(wire[index...])
            if !finished { precondition(UInt64(truePayload.count) == length) }
        case .new:
            if wire.count >= 9, !(finished && frame.declaredLength == nil) {
                var length: UInt64 = 0
                for index in 1..<9 { length = length << 8 | UInt64(wire[index]) }
                precondition(frame.declaredLength == length)
                truePayload = Array(wire[9...])
                if !finished { precondition(UInt64(truePayload.count) == length) }
            } else {
                // A head cut short at the end of the stream: reported by finish() with what arrived.
                precondition(finished && frame.declaredLength == nil && wire.count < 9, "short new-framing head")
                // The bytes after the type byte are kept as the payload, within the capture limit (F1).
                truePayload = Array(wire[1...])
            }
        }
        precondition(payload == Array(truePayload.prefix(capture)), "hybi-00 payload captured wrong")
        let kinds = Set(frame.violations.map(\.kind))
        precondition(kinds.contains(.incompleteFrame) == finished)
        if frame.isText, !finished {
            precondition(kinds.contains(.invalidUTF8) == !stdlibValidUTF8(truePayload), "hybi-00 UTF-8 verdict")
        }
        if !finished, capture == Int.max {
            // Re-encode and compare with the wire bytes.
            var again = ByteBuffer()
            switch frame.framing {
            case .old where frame.typeByte & 0x80 == 0:
                Hybi00FrameEncoder.encode(
                    Hybi00FrameSpec(framing: .old, typeByte: frame.typeByte, payload: payload), into: &again)
            case .new:
                Hybi00FrameEncoder.encode(
                    Hybi00FrameSpec(framing: .new, typeByte: frame.typeByte, payload: payload), into: &again)
            case .old:
                // Length groups may be non-minimal on the wire; the encoder writes them minimal.
                again = ByteBuffer(bytes: wire)
            }
            precondition(Array(again.readableBytesView) == wire, "hybi-00 frame does not re-encode to its bytes")
        }
        framesEnd += frame.wireLength
    }

    for range in chunker.ranges(stream.count) {
        switches ^= switches << 13
        switches ^= switches >> 7
        switches ^= switches << 17
        if switching, switches & 4 == 0, !decoder.isInsideFrame {
            decoder.framing = decoder.framing == .old ? .new : .old
        }
        decoder.append(ByteBuffer(bytes: UnsafeBufferPointer(rebasing: stream[range])))
        appended += range.count
        while let frame = decoder.nextFrame() {
            check(frame, finished: false)
            // Switch framing between frames at fuzzer-chosen points.
            switches ^= switches << 13
            switches ^= switches >> 7
            switches ^= switches << 17
            if switching, switches & 3 == 0 { decoder.framing = decoder.framing == .old ? .new : .old }
        }
        precondition(decoder.streamOffset <= appended)
    }
    let wasInside = decoder.isInsideFrame
    let framingAtEnd = decoder.framing
    let pendingAtEnd = appended - framesEnd
    if let last = decoder.finish() {
        precondition(wasInside || (framingAtEnd == .new && pendingAtEnd > 0 && pendingAtEnd < 9))
        check(last, finished: true)
    } else {
        precondition(!wasInside && pendingAtEnd == 0)
    }
    // Every byte is in a frame (before main's fix, fewer than 9 bytes left in new framing were dropped).
    precondition(appended == framesEnd, "hybi-00 bytes lost")
}

// MARK: - Mode 2: UTF-8

func fuzzUTF8(_ bytes: UnsafeBufferPointer<UInt8>) {
    let (config, text) = split(bytes, configCount: 1)
    var whole = UTF8Validator()
    let wholeBad = whole.validate(UnsafeRawBufferPointer(text))
    let stdlib = stdlibValidUTF8(text)
    precondition((wholeBad == nil && whole.isAtCharacterBoundary) == stdlib, "UTF8Validator disagrees with the standard library")
    precondition(UTF8Validator.isValid(text) == stdlib)
    if let bad = wholeBad {
        // Everything before the bad byte is a prefix of valid UTF-8; with it, it is not.
        precondition(isValidPrefix(text[0..<bad]) && !isValidPrefix(text[0...bad]), "first bad byte misplaced")
        precondition(whole.validatedCount == bad)
    } else {
        precondition(whole.validatedCount == text.count)
        precondition(isValidPrefix(text[...]))
    }

    // Chunked: the same verdict at the same byte.
    var chunker = Chunker(config[0])
    var chunked = UTF8Validator()
    var chunkedBad: Int?
    for range in chunker.ranges(text.count) {
        if let bad = chunked.validate(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(text)[range])) {
            chunkedBad = range.lowerBound + bad
            break
        }
    }
    precondition(chunkedBad == wholeBad, "chunked and whole validation disagree")
    if chunkedBad == nil { precondition(chunked.isAtCharacterBoundary == whole.isAtCharacterBoundary) }
}

/// Whether `bytes` can be extended to valid UTF-8, judged with the standard library's decoder: valid
/// once an incomplete last sequence (at most 3 bytes) is cut off, and that cut-off sequence is the
/// start of some valid character.
func isValidPrefix(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
    if stdlibValidUTF8(bytes) { return true }
    // Try cutting 1...3 bytes that begin with a lead byte and completing them with continuation bytes.
    let completions: [UInt8] = [0x80, 0x90, 0xA0, 0xBF, 0x8F, 0x9F]
    for cut in 1...3 where cut <= bytes.count {
        let tail = Array(bytes.suffix(cut))
        let head = bytes.dropLast(cut)
        guard let lead = tail.first, lead >= 0xC0 else { continue }
        let needed: Int
        switch lead {
        case 0xC0...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF7: needed = 4
        default: continue
        }
        guard needed > cut, stdlibValidUTF8(head) else { continue }
        // Brute-force the completions of the missing bytes over representative continuation values.
        var candidates: [[UInt8]] = [tail]
        for _ in cut..<needed {
            candidates = candidates.flatMap { prefix in completions.map { prefix + [$0] } }
        }
        if candidates.contains(where: { stdlibValidUTF8($0) }) { return true }
    }
    return false
}

// MARK: - Mode 3: craft round trip

func fuzzCraftRoundTrip(_ bytes: UnsafeBufferPointer<UInt8>) {
    let (config, payloadBytes) = split(bytes, configCount: 7)
    let payload = Array(payloadBytes)
    // RFC 6455: any spec with a consistent length decodes back to itself.
    let encodings: [PayloadLengthEncoding?] = [nil, .bits7, .bits16, .bits64]
    let maskChoice = config[1] & 3
    let mask: FrameSpec.Mask =
        maskChoice == 0
        ? .none
        : .key(MaskingKey(config[2], config[3], config[4], maskChoice == 1 ? config[5] : 0))
    let spec = FrameSpec(
        fin: config[0] & 0x80 != 0, reservedBits: ReservedBits(rawValue: config[0]),
        opcode: Opcode(lowBitsOf: config[0]), mask: mask, lengthEncoding: encodings[Int(config[1] >> 2) & 3],
        payload: payload)
    var generator = SystemRandomNumberGenerator()
    var wire = ByteBuffer()
    do {
        let header = try FrameEncoder.encode(spec, into: &wire, using: &generator)
        var decoder = FrameDecoder()
        decoder.append(wire)
        guard let frame = decoder.nextFrame() else { preconditionFailure("crafted frame did not decode") }
        precondition(frame.header == header && Array(frame.payload.readableBytesView) == payload)
        precondition(decoder.nextFrame() == nil && decoder.finish() == nil)
        precondition(frame.wireBytes == wire)
    } catch {
        // Only a length the forced encoding cannot hold is refused.
        precondition(!(spec.lengthEncoding ?? .bits64).canHold(UInt64(payload.count)))
    }

    // hybi-00: text frames in both framings, and old-framing length-prefixed frames.
    for framing in Hybi00Framing.allCases {
        var buffer = ByteBuffer()
        let typeByte: UInt8? = config[6] & 1 == 0 ? nil : config[6]
        let hybiSpec = Hybi00FrameSpec(framing: framing, typeByte: typeByte, payload: payload)
        Hybi00FrameEncoder.encode(hybiSpec, into: &buffer)
        let total = buffer.readableBytes
        var decoder = Hybi00FrameDecoder(framing: framing)
        decoder.append(buffer)
        let sentinel = framing == .old && (typeByte ?? 0) & 0x80 == 0
        if sentinel, payload.contains(0xFF) { continue }  // the payload's 0xFF ends the frame early
        guard let frame = decoder.nextFrame() else { preconditionFailure("crafted hybi-00 frame did not decode") }
        precondition(frame.typeByte == (typeByte ?? (framing == .old ? 0x00 : 0xFF)))
        precondition(Array(frame.payload.readableBytesView) == payload && frame.wireLength == total)
        precondition(decoder.nextFrame() == nil && decoder.finish() == nil)
    }
}

extension DecodedFrame: @retroactive Equatable {
    public static func == (lhs: DecodedFrame, rhs: DecodedFrame) -> Bool {
        lhs.header == rhs.header && lhs.payload == rhs.payload && lhs.violations == rhs.violations
            && lhs.streamOffset == rhs.streamOffset
    }
}

extension MessageAssembler.Event: @retroactive Equatable {
    public static func == (lhs: MessageAssembler.Event, rhs: MessageAssembler.Event) -> Bool {
        switch (lhs, rhs) {
        case (.message(let a), .message(let b)): return a.opcode == b.opcode && a.data == b.data
        case (.chunk(let a), .chunk(let b)):
            return a.opcode == b.opcode && a.data == b.data && a.isFirst == b.isFirst && a.isFinal == b.isFinal
        case (.control(let a), .control(let b)): return a == b
        case (.failure(let a), .failure(let b)): return a == b
        default: return false
        }
    }
}

extension IncompleteFrame: @retroactive Equatable {
    public static func == (lhs: IncompleteFrame, rhs: IncompleteFrame) -> Bool {
        lhs.header == rhs.header && lhs.receivedPayload == rhs.receivedPayload
            && lhs.unparsedBytes == rhs.unparsedBytes && lhs.streamOffset == rhs.streamOffset
    }
}

extension Hybi00Frame: @retroactive Equatable {
    public static func == (lhs: Hybi00Frame, rhs: Hybi00Frame) -> Bool {
        lhs.framing == rhs.framing && lhs.typeByte == rhs.typeByte && lhs.payload == rhs.payload
            && lhs.streamOffset == rhs.streamOffset && lhs.wireLength == rhs.wireLength
    }
}

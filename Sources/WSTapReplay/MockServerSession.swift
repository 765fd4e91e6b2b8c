import NIOCore
import WSTapCore
import WSTapExport
import WSTapPipeline

/// One client's connection to the mock server, as a pure step function: bytes in, bytes to write and
/// reports out. Reads the handshake, answers it as recorded, then releases the recorded server frames as
/// the client's messages arrive.
struct MockServerSession {
    /// What to do after some bytes arrived.
    struct Step {
        /// Bytes to send, each with how long after this step it is due (the recorded spacing, unscaled).
        var writes: [Write] = []
        var reports: [(MockServerReport.Kind, String)] = []
        /// Close the connection after the writes.
        var closes = false
        /// The handshake was answered in this step: the connection as it opened (the client's address and
        /// the target are the caller's to fill in), and the compression agreed.
        var opened: (TrafficEvent.ConnectionOpened, PerMessageDeflateParameters?)?
        /// The bytes of this step that the client sent after its handshake (frames), as they came.
        var clientFrameBytes = ByteBuffer()
    }

    /// Bytes to send after a delay.
    struct Write {
        var bytes: ByteBuffer
        /// Nanoseconds after the client message (or the handshake) that released it, as recorded.
        var delayNanoseconds: UInt64
        /// Whether the bytes are frames (not the handshake's answer or a refusal).
        var isFrames = true
    }

    private let script: ReplayScript
    private let matching: MockServerOptions.Matching
    /// Whether clients connect over TLS (a hybi-00 answer names a `wss://` location).
    private let secure: Bool
    private var received = ByteBuffer()
    private var handshakeDone = false
    private var tap: TrafficTap?
    private var reassembler: MessageReassembler?
    private var clientMessageCount = 0
    private var nextServerSend = 0
    private var sawClientClose = false
    private var sentServerClose = false
    private var mismatches = 0
    /// The server frames to play: the recorded ones, made plain when the recording is compressed and the
    /// client did not offer compression.
    private var serverSends: [ReplayScript.ServerSend]

    /// The recorded client messages the live ones are counted (and matched) against.
    private let recordedClientMessages: [RecordedMessage]

    init(script: ReplayScript, matching: MockServerOptions.Matching, secure: Bool = false) {
        self.script = script
        self.matching = matching
        self.secure = secure
        recordedClientMessages = script.clientMessages.filter(\.isConversational)
        serverSends = script.serverSends
    }

    mutating func received(_ bytes: ByteBuffer) -> Step {
        var step = Step()
        var bytes = bytes
        guard handshakeDone else {
            received.writeBuffer(&bytes)
            readHandshake(&step)
            return step
        }
        step.clientFrameBytes = bytes
        play(bytes, &step)
        return step
    }

    /// The connection ended: what to say about it.
    mutating func finish() -> [(MockServerReport.Kind, String)] {
        guard handshakeDone else { return [(.finished, "the client left before completing the handshake")] }
        var reports: [(MockServerReport.Kind, String)] = []
        if matching == .exact, clientMessageCount < recordedClientMessages.count {
            mismatches += 1
            let missing = recordedClientMessages[clientMessageCount]
            reports.append(
                (
                    .mismatch,
                    "client message #\(clientMessageCount + 1): expected \(MessageComparison.describe(missing)), "
                        + "got nothing (the client stopped after \(clientMessageCount))"
                ))
        }
        reports.append(
            (
                .finished,
                "played \(nextServerSend) of \(serverSends.count) server frames; the client sent "
                    + "\(CountWords.of(clientMessageCount, "message")) (\(recordedClientMessages.count) recorded)"
                    + (matching == .exact ? ", \(mismatches) differences" : "")
            ))
        return reports
    }

    private mutating func readHandshake(_ step: inout Step) {
        let head: HTTPRequestHead
        let headLength: Int
        do {
            guard let length = try HTTPHeadParser.headLength(in: received.readableBytesView) else { return }
            headLength = length
            head = try HTTPHeadParser.parseRequest(received.readableBytesView.prefix(length))
        } catch {
            reject(HandshakeRejection(status: 400, reason: "Bad Request", explanation: "\(error)"), &step)
            return
        }
        let keyLength = HandshakeVariant.detect(head) == .hybi00 ? 8 : 0
        guard received.readableBytes >= headLength + keyLength else { return }
        received.moveReaderIndex(forwardBy: headLength)
        let keyBytes = received.readBytes(length: keyLength) ?? []
        var answer = script.opened.response
        var answerBody: [UInt8] = []
        switch ReplayHandshake.serverResponse(
            recorded: script.opened, request: head, keyBytes: keyBytes, secure: secure)
        {
        case .failure(let rejection):
            reject(rejection, &step)
            return
        case .success(let response):
            answer = response.head
            answerBody = Array(response.body)
            var bytes = ByteBuffer(bytes: response.head.serialized())
            bytes.writeBytes(response.body)
            step.writes.append(Write(bytes: bytes, delayNanoseconds: 0, isFrames: false))
            var text = "\(head.method) \(head.target) answered as recorded"
            if script.opened.variant == .hybi00 {
                // The answer depends on the client's keys, so the recorded one cannot be sent again.
                text += ", with the hybi-00 answer computed for this client's keys (\(Self.hex(response.body))"
                if !script.opened.responseBody.isEmpty, script.opened.responseBody != response.body {
                    text += "; recorded \(Self.hex(script.opened.responseBody))"
                }
                text += ")"
            }
            step.reports.append((.accepted, text))
        }
        handshakeDone = true
        let deflate = agreeOnExtensions(answered: answer, &step)
        tap = TrafficTap(
            connection: script.connection, variant: script.opened.variant, framing: script.opened.framing,
            allowedReservedBits: deflate == nil ? [] : .rsv1, payloadCaptureLimit: Int.max)
        reassembler = MessageReassembler(direction: .clientToServer, deflate: deflate)
        let agreed = (try? ExtensionOffer.parse(answer.headers)) ?? []
        step.opened = (
            TrafficEvent.ConnectionOpened(
                connection: 0, clientAddress: "?", target: head.target, request: head, response: answer,
                variant: script.opened.variant, framing: script.opened.framing,
                subprotocol: answer.headers.first(SubprotocolList.headerName), extensions: agreed,
                at: TrafficClock.now(), requestBody: keyBytes, responseBody: answerBody),
            deflate
        )
        // The frames the server sent before any client message.
        releaseServerFrames(&step)
        let rest = received
        received = ByteBuffer()
        step.clientFrameBytes = rest
        if rest.readableBytes > 0 { play(rest, &step) }
        if isDone { step.closes = true }
    }

    /// The extensions (and subprotocol) of the answer against the recorded ones: permessage-deflate as recorded
    /// when the client took it, else the recorded server frames are made plain (and the report says so); a
    /// recorded subprotocol the client did not ask for is left out, and the report says that too. Returns the
    /// compression the client's frames use.
    private mutating func agreeOnExtensions(
        answered: HTTPResponseHead, _ step: inout Step
    ) -> PerMessageDeflateParameters? {
        if let subprotocol = script.opened.response.headers.first(SubprotocolList.headerName),
            answered.headers.first(SubprotocolList.headerName) == nil
        {
            step.reports.append(
                (
                    .notice,
                    "the recording agreed on the subprotocol \(subprotocol), which the client did not ask for: "
                        + "answered without it, frames as recorded"
                ))
        }
        guard script.opened.variant == .rfc6455 else { return nil }
        let recorded = (try? ExtensionOffer.parse(script.opened.response.headers)) ?? []
        let kept = Set(((try? ExtensionOffer.parse(answered.headers)) ?? []).map { $0.name.lowercased() })
        let dropped = recorded.map { $0.name.lowercased() }.filter { !kept.contains($0) }
        for name in dropped where name != PerMessageDeflateParameters.extensionName {
            step.reports.append(
                (
                    .notice,
                    "the recording uses the extension \(name), which the client did not offer: answered "
                        + "without it, frames as recorded"
                ))
        }
        guard let deflate = script.deflate else { return nil }
        guard dropped.contains(PerMessageDeflateParameters.extensionName) else { return deflate }
        let plain = UncompressedServerSends.make(from: serverSends, agreed: deflate)
        serverSends = plain.sends
        var text =
            "the recording uses permessage-deflate, which the client did not offer: answered without it, "
            + "\(plain.inflated) compressed server frames sent inflated"
        if plain.failed > 0 { text += " (\(plain.failed) did not inflate and go as recorded)" }
        step.reports.append((.notice, text))
        return nil
    }

    private mutating func reject(_ rejection: HandshakeRejection, _ step: inout Step) {
        var bytes = ByteBuffer(bytes: rejection.responseHead.serialized())
        bytes.writeBytes(rejection.responseBody)
        step.writes.append(Write(bytes: bytes, delayNanoseconds: 0, isFrames: false))
        step.reports.append((.rejected, rejection.description))
        step.closes = true
    }

    private mutating func play(_ bytes: ByteBuffer, _ step: inout Step) {
        var frames: [TrafficEvent.FrameSeen] = []
        tap?.bytes(bytes, direction: .clientToServer, at: TrafficClock.now()) { event in
            if case .frame(let frame) = event { frames.append(frame) }
        }
        guard let reassembler else { return }
        for frame in frames {
            for message in reassembler.push(frame.content, at: frame.at) where message.isConversational {
                check(message, &step)
                clientMessageCount += 1
                if message.opcode == .close { sawClientClose = true }
                releaseServerFrames(&step)
            }
        }
        if isDone { step.closes = true }
    }

    private mutating func check(_ message: RecordedMessage, _ step: inout Step) {
        guard matching == .exact else { return }
        let number = clientMessageCount + 1
        guard clientMessageCount < recordedClientMessages.count else {
            mismatches += 1
            step.reports.append(
                (.mismatch, "client message #\(number): expected nothing, got \(MessageComparison.describe(message))"))
            return
        }
        let recorded = recordedClientMessages[clientMessageCount]
        if recorded.opcode != message.opcode || recorded.data != message.data {
            mismatches += 1
            step.reports.append(
                (
                    .mismatch,
                    "client message #\(number): expected \(MessageComparison.describe(recorded)), "
                        + "got \(MessageComparison.describe(message))"
                ))
        }
    }

    private mutating func releaseServerFrames(_ step: inout Step) {
        while nextServerSend < serverSends.count,
            serverSends[nextServerSend].afterClientMessages <= clientMessageCount
        {
            let send = serverSends[nextServerSend]
            if Self.isCloseFrame(send.wireBytes, variant: script.opened.variant) { sentServerClose = true }
            step.writes.append(Write(bytes: send.wireBytes, delayNanoseconds: send.delayNanoseconds))
            nextServerSend += 1
        }
    }

    /// Every recorded server frame went out, and the recording's server ended TCP, or both closes passed.
    private var isDone: Bool {
        guard nextServerSend == serverSends.count else { return false }
        return script.closedBy == .server || (sentServerClose && sawClientClose)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether the connection has answered its handshake (so a close frame can be sent).
    var isOpen: Bool { handshakeDone }

    private static func isCloseFrame(_ bytes: ByteBuffer, variant: ProtocolVariant) -> Bool {
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return false }
        switch variant {
        case .rfc6455: return first & 0x0F == 0x08
        case .hybi00:
            let second = bytes.getInteger(at: bytes.readerIndex + 1, as: UInt8.self)
            return (first == 0xFF && second == 0x00) || (first == 0x00 && bytes.readableBytes == 9)
        }
    }
}

import NIOCore
import WSTapCore

/// Runs a hybi-00 case (``ConformanceCase/hybi00``): the draft's opening handshake, the messages in the framing
/// the case names, each echoed, then the closing handshake (the close frame answered, or TCP ended: NON-STRICT).
enum Hybi00Run {
    static func run(
        _ testCase: ConformanceCase, _ exchange: Hybi00Exchange, in run: ConformanceRun,
        since started: ContinuousClock.Instant
    ) async -> CaseResult {
        let inbox = RawInbox()
        let peer: RawPeer
        do {
            let channel = try await RawTCP.connect(
                host: run.target.host, port: run.target.port, tls: run.tls, inbox: inbox)
            peer = RawPeer(role: .client, channel: channel, inbox: inbox)
        } catch {
            return ConformanceRun.failedResult(
                testCase, "could not open the connection: \(ConformanceRun.describe(error))", since: started)
        }
        var received: [String] = []
        func result(_ verdict: Verdict, _ detail: String) async -> CaseResult {
            await peer.closeTransport()
            return CaseResult(
                id: testCase.id, name: testCase.name, verdict: verdict, judgement: verdict, detail: detail,
                sent: exchange.description, expected: expected(exchange),
                received: received.joined(separator: "; "), duration: ContinuousClock.now - started,
                observation: Observation())
        }
        let timeout = run.engine.timeout
        let keys = Hybi00Handshake.makeClientKeys()
        let origin = "http://\(run.target.hostHeader)"
        let (head, body) = Hybi00Handshake.makeClientRequest(
            host: run.target.hostHeader, path: run.target.resource, origin: origin, keys: keys)
        if exchange.keyBytesApart {
            await peer.write(head.serialized())
            await peer.write(body)
        } else {
            await peer.write(head.serialized() + body)
        }
        let response: HTTPResponseHead
        do {
            response = try HTTPHeadParser.parseResponse(try await peer.readHead(timeout: timeout))
        } catch {
            received.append("no answer")
            return await result(
                .unimplemented, "the server does not speak hybi-00: no answer (\(ConformanceRun.describe(error)))")
        }
        received.append("\(response.statusCode) \(response.reason)")
        guard response.statusCode == 101 else {
            return await result(.unimplemented, "the server does not speak hybi-00: \(response.statusLine)")
        }
        var decoder = Hybi00FrameDecoder(framing: exchange.framing)
        let answer = await peer.readRaw(count: 16, timeout: timeout)
        do {
            _ = try Hybi00Handshake.validateServerResponse(
                response, body: Array(answer.prefix(16)), expectedAnswer: keys.expectedAnswer,
                expectedOrigin: origin, expectedLocation: "ws://\(run.target.hostHeader)\(run.target.resource)")
        } catch {
            return await result(.failed, "accepted with an answer that breaks the draft: \(error)")
        }
        decoder.append(answer.dropFirst(16))
        await peer.setHandshake(request: head, response: response)
        let transcript = await run.transcripts.asyncMap {
            await CaseTranscript.start(
                for: testCase.id, peer: peer, options: $0, variant: .hybi00, framing: exchange.framing,
                bodies: (body, Array(answer.prefix(16))))
        }
        defer { transcript??.finish() }
        // The messages, echoed.
        var frames = ByteBuffer()
        for message in exchange.messages {
            Hybi00FrameEncoder.writeText(message, framing: exchange.framing, into: &frames)
        }
        await peer.write(Array(frames.readableBytesView), chop: exchange.chop)
        var echoes: [[UInt8]] = []
        var closed = false
        var ended = false
        reading: while echoes.count < exchange.messages.count {
            if let frame = decoder.nextFrame() {
                if frame.isClose {
                    closed = true
                    break
                }
                echoes.append(Array(frame.payload.readableBytesView))
                continue
            }
            let bytes = await peer.readRaw(count: 1, timeout: timeout)
            if bytes.isEmpty {
                ended = await peer.isAtEnd
                break reading
            }
            decoder.append(bytes)
        }
        received.append(
            echoes.isEmpty
                ? "no message"
                : echoes.prefix(4).map { "text \(BytesText.describe($0))" }.joined(separator: ", ")
                    + (echoes.count > 4 ? " and \(echoes.count - 4) more" : ""))
        guard echoes == exchange.messages else {
            let why = closed ? "the server closed" : ended ? "TCP ended" : "nothing more within \(timeout)"
            return await result(
                .failed,
                "echoed \(echoes.count) of \(exchange.messages.count) messages"
                    + (echoes == Array(exchange.messages.prefix(echoes.count)) ? "" : ", not as sent") + " (\(why))")
        }
        // The closing handshake.
        var close = ByteBuffer()
        Hybi00FrameEncoder.writeClose(framing: exchange.framing, into: &close)
        await peer.write(Array(close.readableBytesView))
        while !closed {
            if let frame = decoder.nextFrame() {
                if frame.isClose { closed = true }
                continue
            }
            let bytes = await peer.readRaw(count: 1, timeout: timeout)
            if bytes.isEmpty { break }
            decoder.append(bytes)
        }
        if closed {
            received.append("the close answered")
            return await result(.ok, "")
        }
        if await peer.isAtEnd {
            received.append("TCP ended")
            return await result(.nonStrict, "ended TCP without answering the close frame")
        }
        received.append("then nothing")
        return await result(.failed, "did not answer the close frame within \(timeout)")
    }

    static func expected(_ exchange: Hybi00Exchange) -> String {
        "101 with the 16-byte answer to the keys, Sec-WebSocket-Location and Sec-WebSocket-Origin; "
            + (exchange.messages.isEmpty ? "" : "every message echoed as sent, in order; ")
            + "our close frame answered with one"
    }
}

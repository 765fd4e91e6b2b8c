import NIOCore
import WSTapCompression
import WSTapCore

/// Runs a permessage-deflate case (``ConformanceCase/compression``): offers the extension, and when the server
/// agrees by RFC 7692's rules, sends the messages compressed and checks that each comes back as sent once
/// inflated (the server may answer compressed or not). A server that does not agree gets UNIMPLEMENTED, one that
/// agrees to what was not offered FAILED.
enum DeflateRun {
    static func run(
        _ testCase: ConformanceCase, _ compression: Compression, in run: ConformanceRun,
        since started: ContinuousClock.Instant
    ) async -> CaseResult {
        let offers = (try? ExtensionOffer.parse(values: compression.offers)) ?? []
        let peer: RawPeer
        let agreed: [ExtensionOffer]
        do {
            (peer, agreed) = try await RawWebSocketClient.connect(
                host: run.target.host, port: run.target.port, path: run.target.resource,
                hostHeader: run.target.hostHeader, extensions: offers, tls: run.tls, timeout: run.engine.timeout)
        } catch {
            return ConformanceRun.failedResult(
                testCase, "could not open the connection: \(ConformanceRun.describe(error))", since: started)
        }
        func ended(_ verdict: Verdict, _ detail: String) async -> CaseResult {
            await peer.send(.close(code: .normalClosure))
            await peer.closeTransport()
            return CaseResult(
                id: testCase.id, name: testCase.name, verdict: verdict, judgement: verdict, detail: detail,
                sent: compression.description, expected: expected,
                received: agreed.isEmpty
                    ? "no extension agreed" : "agreed: " + ExtensionOffer.headerValue(for: agreed),
                duration: ContinuousClock.now - started, observation: Observation())
        }
        guard let answer = agreed.first(where: { $0.name.lowercased() == PerMessageDeflateParameters.extensionName })
        else {
            return await ended(.unimplemented, "the server did not agree to permessage-deflate")
        }
        let parameters = offers.lazy.compactMap { try? PerMessageDeflateParameters(parsing: $0) }
            .compactMap { try? PerMessageDeflateClientOffer(parameters: $0).acceptResponse(answer) }.first
        guard let parameters else {
            return await ended(
                .failed, "agreed to '\(answer.headerText)', which answers none of the offers (RFC 7692 7.1)")
        }
        let messages = compression.messages()
        let frames: [FrameSpec]
        let inflater: MessageInflater
        do {
            frames = try compressedFrames(messages, parameters, fragmentSize: compression.fragmentSize)
            inflater = MessageInflater(
                try PerMessageDeflateDecompressor(agreed: parameters, sender: .server, maxMessageSize: 64 << 20))
        } catch {
            return await ended(.failed, "wstap could not compress the messages: \(error)")
        }
        var compressed = testCase
        compressed.compression = nil
        compressed.frames = frames
        compressed.expectation = .replies(messages.map { .message($0.opcode, $0.bytes) })
        var engine = run.engine
        engine.inflater = inflater
        await peer.acceptCompressedFrames()
        var result = await ConformanceRun.run(
            compressed, on: peer, engine: engine, deadline: run.caseDeadline, transcripts: run.transcripts,
            since: started)
        result.sent = compression.description + "; agreed: '\(answer.headerText)'"
        result.expected = expected
        return result
    }

    static let expected =
        "permessage-deflate agreed by the rules; every message echoed as sent (inflated), in order; then our close "
        + "1000 answered with 1000"

    /// Each message compressed by the client's agreed parameters, its compressed payload cut into frames of
    /// `fragmentSize` bytes (RSV1 on the first).
    static func compressedFrames(
        _ messages: [(opcode: Opcode, bytes: [UInt8])], _ parameters: PerMessageDeflateParameters, fragmentSize: Int?
    ) throws -> [FrameSpec] {
        let compressor = try PerMessageDeflateCompressor(agreed: parameters, sender: .client)
        var frames: [FrameSpec] = []
        for message in messages {
            let payload = Array(try compressor.compress(ByteBuffer(bytes: message.bytes)).readableBytesView)
            let size = max(1, fragmentSize ?? payload.count)
            let starts = Array(stride(from: 0, to: max(1, payload.count), by: size))
            for (index, start) in starts.enumerated() {
                frames.append(
                    FrameSpec(
                        fin: index == starts.count - 1, reservedBits: index == 0 ? .rsv1 : [],
                        opcode: index == 0 ? message.opcode : .continuation,
                        payload: Array(payload[min(start, payload.count)..<min(start + size, payload.count)])))
            }
        }
        return frames
    }
}

/// Inflates the compressed messages a raw peer reads (RSV1 on their first frame), for a case whose connection
/// agreed to permessage-deflate. Used by one case's reader at a time.
public final class MessageInflater: @unchecked Sendable {  // Only the task that reads the case's replies uses it.
    private let decompressor: PerMessageDeflateDecompressor

    init(_ decompressor: PerMessageDeflateDecompressor) {
        self.decompressor = decompressor
    }

    /// The message inflated, or why it cannot be.
    func inflate(_ payload: [UInt8]) -> Result<[UInt8], PerMessageDeflateError> {
        do {
            return .success(Array(try decompressor.decompress(ByteBuffer(bytes: payload)).readableBytesView))
        } catch {
            return .failure(error)
        }
    }
}

public import NIOSSL
public import WSTapCore

/// `wstap replay FINDING --to URL --check` for a recording `wstap fuzz` wrote: sends the recorded client bytes
/// (the case and its probe ping) again and judges the answer as the fuzzer did, to say whether the target still
/// misbehaves as the finding says.
public enum FindingCheck {
    /// What the check found.
    public struct Result: Sendable {
        /// Whether the target misbehaved as recorded.
        public var reproduced: Bool
        /// What happened, in words.
        public var text: String
    }

    /// The finding's kind in a recording's note (`fuzz finding: KIND: DETAIL`), if the note is one.
    public static func kind(inNote text: String) -> FuzzFinding.Kind? {
        guard text.hasPrefix(FuzzRun.notePrefix) else { return nil }
        let rest = text.dropFirst(FuzzRun.notePrefix.count)
        return FuzzFinding.Kind(rawValue: String(rest.prefix { $0 != ":" }))
    }

    /// Plays `bytes` against `target` on a connection of its own and judges what comes back against `kind`. A
    /// crash (or a target that went down) shows as a connection that ends with no close frame or no answer, or
    /// as a target that does not accept the next connection.
    public static func run(
        kind: FuzzFinding.Kind, bytes: [UInt8], target: WebSocketURL, tls: NIOSSLContext?, timeout: Duration,
        slowAfter: Duration = .seconds(2)
    ) async -> Result {
        let peer: RawPeer
        do {
            peer = try await connect(target, tls: tls, timeout: timeout)
        } catch {
            let text = "the target did not accept the connection: \(ConformanceRun.describe(error))"
            return Result(reproduced: kind == .crash || kind == .targetDown, text: text)
        }
        let outcome = await FuzzExchange.run(bytes, chop: nil, on: peer, timeout: timeout)
        let finding = FuzzFinding.classify(outcome, slowAfter: slowAfter)
        var text = "the target: \(outcome.description)"
        if let finding { text += " (\(finding.kind.rawValue))" }
        switch kind {
        case .crash, .targetDown:
            if let found = finding?.kind, found == .resetWithoutClose || found == .noAnswer {
                return Result(reproduced: true, text: text)
            }
            // A target that died after it answered: the next connection is refused.
            try? await Task.sleep(for: .milliseconds(300))
            do {
                let next = try await connect(target, tls: tls, timeout: timeout)
                await next.closeTransport()
                return Result(reproduced: false, text: text + "; it accepts connections after it")
            } catch {
                return Result(
                    reproduced: true,
                    text: text + "; then it did not accept a connection: \(ConformanceRun.describe(error))")
            }
        default:
            return Result(reproduced: finding?.kind == kind, text: text)
        }
    }

    /// Waits (up to `wait`) for a client to connect to `server`, plays `bytes` (the recorded server side: the
    /// case and its probe) to it and judges what comes back against `kind`: a crash shows as a connection that
    /// ends with no close frame or no answer.
    public static func serve(
        kind: FuzzFinding.Kind, bytes: [UInt8], server: RawWebSocketServer, wait: Duration, timeout: Duration,
        slowAfter: Duration = .seconds(2)
    ) async throws(RawPeerError) -> Result {
        let accepted: (peer: RawPeer, target: String)?
        do {
            accepted = try await server.accept(within: wait)
        } catch {
            throw RawPeerError("the client's opening handshake failed: \(error)")
        }
        guard let peer = accepted?.peer else { throw RawPeerError("no client connected within \(wait)") }
        // A client that crashes on a message may answer the ping that came with it first.
        let linger: Duration = kind == .crash ? .milliseconds(500) : .zero
        let outcome = await FuzzExchange.run(bytes, chop: nil, on: peer, timeout: timeout, linger: linger)
        let finding = FuzzFinding.classify(outcome, slowAfter: slowAfter)
        var text = "the client: \(outcome.description)"
        if let finding { text += " (\(finding.kind.rawValue))" }
        switch kind {
        case .crash, .targetDown:
            let found = finding?.kind
            return Result(reproduced: found == .resetWithoutClose || found == .noAnswer, text: text)
        default:
            return Result(reproduced: finding?.kind == kind, text: text)
        }
    }

    private static func connect(_ target: WebSocketURL, tls: NIOSSLContext?, timeout: Duration) async throws -> RawPeer
    {
        try await RawWebSocketClient.connect(
            host: target.host, port: target.port, path: target.resource, hostHeader: target.hostHeader,
            extensions: [], tls: tls, timeout: timeout
        ).0
    }
}

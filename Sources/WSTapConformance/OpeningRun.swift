import NIOCore
import NIOSSL
import WSTapCore

/// Runs a case whose opening handshake is the test (``ConformanceCase/opening``): writes the request byte for
/// byte, judges the answer against what the case expects (and the answer's own rules: the accept value, a chosen
/// subprotocol among those asked for, extensions agreed by RFC 7692's rules), then, on a connection the server
/// accepted, runs the case's frames as any case.
enum OpeningRun {
    static func run(
        _ testCase: ConformanceCase, _ opening: Opening, in run: ConformanceRun, since started: ContinuousClock.Instant
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
        let key = RFC6455Handshake.makeClientKey()
        let bytes = opening.request(path: run.target.resource, host: run.target.hostHeader, key: key)
        await peer.write(bytes + (await peer.encode(opening.earlyFrames)), chop: opening.chop)
        let request =
            (try? HTTPHeadParser.parseRequest(bytes))
            ?? HTTPRequestHead(method: "GET", target: run.target.resource, rawBytes: bytes)

        var findings: [CaseEngine.Finding] = []
        let response: HTTPResponseHead
        do {
            response = try HTTPHeadParser.parseResponse(try await peer.readHead(timeout: run.engine.timeout))
        } catch {
            await peer.closeTransport()
            let ended = (error as? RawPeerError)?.description.hasPrefix("TCP ended") == true
            switch (opening.answer, ended) {
            case (.accept, _), (_, false):
                findings.append(
                    CaseEngine.Finding(.failed, "no answer to the request: \(ConformanceRun.describe(error))"))
            case (_, true):
                findings.append(
                    CaseEngine.Finding(.nonStrict, "ended TCP without an HTTP answer (a 4xx status is due)"))
            }
            return result(testCase, opening, findings, received: "no HTTP answer", since: started)
        }
        let received = "\(response.statusCode) \(response.reason)" + describeNegotiation(response.headers)
        if response.statusCode != 101 {
            await peer.closeTransport()
            findings += judgeRefusal(response, opening)
            if testCase.informational, findings.isEmpty {
                findings.append(
                    CaseEngine.Finding(.ok, "refused the request (\(response.statusCode) \(response.reason))"))
            }
            if let options = run.transcripts {
                _ = CaseTranscript.write(
                    for: testCase.id, role: .client, handshake: (request, response), sent: [],
                    note: "refused: \(response.statusLine)", options: options)
            }
            return result(testCase, opening, findings, received: received, since: started)
        }
        findings += judgeAcceptance(response, key: key, opening)
        if case .refuse(let verdict) = opening.answer {
            findings.append(CaseEngine.Finding(verdict, "accepted a request it must refuse (\(testCase.name))"))
        }
        await peer.setHandshake(request: request, response: response)
        guard findings.isEmpty else {
            // A connection that should not be open, or one opened the wrong way: closed at once.
            await peer.send(.close(code: .normalClosure))
            await peer.closeTransport()
            return result(testCase, opening, findings, received: received, since: started)
        }
        let framesResult = await ConformanceRun.run(
            testCase, on: peer, engine: run.engine, deadline: run.caseDeadline, transcripts: run.transcripts,
            since: started)
        var combined = framesResult
        if testCase.informational { combined.detail = "accepted the request (101); " + combined.detail }
        combined.sent = opening.description + "; then " + framesResult.sent
        combined.expected = describe(opening.answer) + "; then " + framesResult.expected
        combined.received = received + "; then " + framesResult.received
        return combined
    }

    /// A refusal: a 4xx status is due, naming version 13 when the case asks for it.
    static func judgeRefusal(_ response: HTTPResponseHead, _ opening: Opening) -> [CaseEngine.Finding] {
        let status = "\(response.statusCode) \(response.reason)"
        if opening.answer == .accept {
            return [CaseEngine.Finding(.failed, "refused a valid request: \(status)")]
        }
        var findings: [CaseEngine.Finding] = []
        if opening.answer == .declineOffer {
            findings.append(
                CaseEngine.Finding(.nonStrict, "refused the connection (\(status)) instead of declining the offer"))
        }
        if !(400..<500).contains(response.statusCode) {
            findings.append(CaseEngine.Finding(.nonStrict, "refused with \(status), not a 4xx status"))
        }
        if opening.refusalNamesVersion, !response.headers.containsToken("13", in: "Sec-WebSocket-Version") {
            findings.append(
                CaseEngine.Finding(
                    .nonStrict, "refused without 'Sec-WebSocket-Version: 13', the version it speaks (RFC 6455 4.4)"))
        }
        return findings
    }

    /// An acceptance: by the book (RFC 6455 4.2.2), choosing among what was asked, agreeing to extensions only by
    /// their rules.
    static func judgeAcceptance(_ response: HTTPResponseHead, key: String, _ opening: Opening) -> [CaseEngine.Finding] {
        let offers = (try? ExtensionOffer.parse(values: opening.extensions)) ?? []
        let accepted: AcceptedUpgrade
        do {
            accepted = try RFC6455Handshake.validateServerResponse(
                response, key: key, requestedSubprotocols: opening.subprotocols,
                offeredExtensions: offers.map(\.name))
        } catch {
            return [CaseEngine.Finding(.failed, "accepted with an answer that breaks RFC 6455 4.2.2: \(error)")]
        }
        var findings: [CaseEngine.Finding] = []
        let deflateOffers = offers.filter { $0.name.lowercased() == PerMessageDeflateParameters.extensionName }
            .compactMap { try? PerMessageDeflateParameters(parsing: $0) }
        for agreed in accepted.extensions {
            guard agreed.name.lowercased() == PerMessageDeflateParameters.extensionName else {
                findings.append(
                    CaseEngine.Finding(.failed, "agreed to '\(agreed.headerText)', an extension wstap made up"))
                continue
            }
            let answersAnOffer = deflateOffers.contains { offer in
                (try? PerMessageDeflateClientOffer(parameters: offer).acceptResponse(agreed)) != nil
            }
            if !answersAnOffer {
                let why = deflateOffers.isEmpty ? "no valid offer was made" : "it answers none of the valid offers"
                findings.append(
                    CaseEngine.Finding(
                        .failed, "agreed to '\(agreed.headerText)', but \(why) (RFC 7692 5.1, 7.1)"))
            }
        }
        return findings
    }

    /// "; subprotocol chat; extensions permessage-deflate" for the headers that negotiate, or "".
    static func describeNegotiation(_ headers: HTTPHeaderFields) -> String {
        var parts: [String] = []
        let protocols = headers.values(SubprotocolList.headerName)
        if !protocols.isEmpty { parts.append("subprotocol " + protocols.joined(separator: ", ")) }
        let extensions = headers.values(ExtensionOffer.headerName)
        if !extensions.isEmpty { parts.append("extensions " + extensions.joined(separator: ", ")) }
        return parts.map { "; " + $0 }.joined()
    }

    static func describe(_ answer: Opening.Answer) -> String {
        switch answer {
        case .accept: return "101 by the book"
        case .refuse: return "a 4xx status"
        case .acceptOrRefuse: return "101 by the book or a 4xx status"
        case .declineOffer: return "101 by the book, the offer declined"
        }
    }

    private static func result(
        _ testCase: ConformanceCase, _ opening: Opening, _ findings: [CaseEngine.Finding], received: String,
        since started: ContinuousClock.Instant
    ) -> CaseResult {
        let judgement = findings.map(\.verdict).max() ?? .ok
        var detail = findings.map(\.text).joined(separator: "; ")
        if testCase.informational {
            detail =
                "the RFC leaves this open; by the expectation: \(judgement.rawValue)"
                + (detail.isEmpty ? "" : ": \(detail)")
        }
        return CaseResult(
            id: testCase.id, name: testCase.name, verdict: testCase.informational ? .informational : judgement,
            judgement: judgement, detail: detail, sent: opening.description, expected: describe(opening.answer),
            received: received, duration: ContinuousClock.now - started, observation: Observation())
    }
}

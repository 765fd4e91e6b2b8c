import WSTapCore

/// wstap's own category 15, the opening handshake (RFC 6455 4.1, 4.2): requests a server must accept however they
/// are written (header names and values in any case, lists, whitespace, a request in small pieces, the first
/// frame right behind it), folded header lines (RFC 7230 3.2.4: refuse or unfold), requests it must refuse (no
/// or a bad key, no or an unknown version, not an upgrade, not GET: FAILED when accepted; HTTP/1.0 or no Host:
/// NON-STRICT when accepted), and origins from elsewhere, which the RFC leaves to the server (informational).
enum HandshakeCases {
    /// After an accepted request: a message echoed, then the closing handshake.
    static let echo: [FrameSpec] = [.text("after the handshake")]
    static let echoed = Expectation.replies([.text("after the handshake")])

    static func accepted(_ id: String, _ name: String, _ lines: [String], chop: Int? = nil) -> ConformanceCase {
        ConformanceCase(id, name, echo, echoed, opening: Opening(lines, .accept, chop: chop))
    }

    static func refused(
        _ id: String, _ name: String, _ lines: [String], ifAccepted: Verdict = .failed, namesVersion: Bool = false
    ) -> ConformanceCase {
        ConformanceCase(
            id, name, echo, echoed,
            opening: Opening(lines, .refuse(ifAccepted: ifAccepted), refusalNamesVersion: namesVersion))
    }

    static let cases: [ConformanceCase] = [
        accepted(
            "15.1.1", "header names in lower case",
            Opening.standardLines.enumerated().map { index, line in
                guard index > 0, let colon = line.firstIndex(of: ":") else { return line }
                return line[..<colon].lowercased() + line[colon...]
            }),
        accepted(
            "15.1.2", "header names in upper case",
            Opening.standardLines.enumerated().map { index, line in
                guard index > 0, let colon = line.firstIndex(of: ":") else { return line }
                return line[..<colon].uppercased() + line[colon...]
            }),
        accepted(
            "15.1.3", "'Upgrade: WebSocket' and 'Connection: upgrade'",
            Opening.lines(replacing: "Upgrade", with: "Upgrade: WebSocket").map {
                $0 == "Connection: Upgrade" ? "Connection: upgrade" : $0
            }),
        accepted(
            "15.1.4", "'Connection: keep-alive, Upgrade' (as Firefox sends it)",
            Opening.lines(replacing: "Connection", with: "Connection: keep-alive, Upgrade")),
        accepted(
            "15.1.5", "spaces and tabs around header values",
            Opening.lines(replacing: "Sec-WebSocket-Key", with: "Sec-WebSocket-Key: \t {key} \t").map {
                $0 == "Sec-WebSocket-Version: 13" ? "Sec-WebSocket-Version:13" : $0
            }),
        accepted(
            "15.1.6", "headers in another order, with others a browser sends",
            [
                "GET {path} HTTP/1.1", "Sec-WebSocket-Version: 13", "User-Agent: wstap-conformance",
                "Sec-WebSocket-Key: {key}", "Accept-Encoding: gzip, deflate", "Pragma: no-cache",
                "Cache-Control: no-cache", "Connection: Upgrade", "Cookie: session=1; theme=dark",
                "Upgrade: websocket", "Host: {host}",
            ]),
        accepted("15.1.7", "the request in 1-byte writes", Opening.standardLines, chop: 1),
        ConformanceCase(
            "15.1.8", "the first frame in the same write as the request", [],
            .replies([.text("right behind the request")]),
            opening: Opening(Opening.standardLines, .accept, earlyFrames: [.text("right behind the request")])),
        ConformanceCase(
            "15.2.1", "another header folded over two lines (refuse or unfold)", echo, echoed,
            opening: Opening(Opening.lines(adding: ["X-Folded: first part,", " second part"]), .acceptOrRefuse)),
        ConformanceCase(
            "15.2.2", "'Connection' folded over two lines (refuse or unfold)", echo, echoed,
            opening: Opening(
                Opening.lines(replacing: "Connection", with: "Connection: keep-alive,\r\n Upgrade"), .acceptOrRefuse)),
        refused("15.3.1", "no Sec-WebSocket-Key", Opening.lines(replacing: "Sec-WebSocket-Key")),
        refused(
            "15.3.2", "a key of 8 bytes, not 16",
            Opening.lines(replacing: "Sec-WebSocket-Key", with: "Sec-WebSocket-Key: AQIDBAUGBwg=")),
        refused(
            "15.3.3", "a key that is not base64",
            Opening.lines(replacing: "Sec-WebSocket-Key", with: "Sec-WebSocket-Key: not a base64 key!!!!=")),
        refused(
            "15.3.4", "two Sec-WebSocket-Key headers",
            Opening.lines(adding: ["Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODw=="])),
        refused("15.3.5", "no Sec-WebSocket-Version", Opening.lines(replacing: "Sec-WebSocket-Version")),
        // Not 8 (hybi-08), which a server may still speak (RFC 6455 4.4): 12 is reserved, no one's version.
        refused(
            "15.3.6", "version 12 (reserved)",
            Opening.lines(replacing: "Sec-WebSocket-Version", with: "Sec-WebSocket-Version: 12"), namesVersion: true),
        refused("15.3.7", "no Upgrade header", Opening.lines(replacing: "Upgrade")),
        refused("15.3.8", "'Upgrade: h2c'", Opening.lines(replacing: "Upgrade", with: "Upgrade: h2c")),
        refused(
            "15.3.9", "'Connection: keep-alive' (no upgrade token)",
            Opening.lines(replacing: "Connection", with: "Connection: keep-alive")),
        refused("15.3.10", "method POST", ["POST {path} HTTP/1.1"] + Opening.standardLines.dropFirst()),
        // Taking these is lenient, and harmless: NON-STRICT.
        refused(
            "15.3.11", "HTTP/1.0", ["GET {path} HTTP/1.0"] + Opening.standardLines.dropFirst(), ifAccepted: .nonStrict),
        refused("15.3.12", "no Host header", Opening.lines(replacing: "Host"), ifAccepted: .nonStrict),
        ConformanceCase(
            "15.4.1", "an Origin from another site", echo, echoed,
            informational: true,
            opening: Opening(Opening.lines(adding: ["Origin: http://attacker.example"]), .acceptOrRefuse)),
        ConformanceCase(
            "15.4.2", "'Origin: null' (a sandboxed page or a file)", echo, echoed,
            informational: true, opening: Opening(Opening.lines(adding: ["Origin: null"]), .acceptOrRefuse)),
    ]
}

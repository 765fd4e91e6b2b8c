import WSTapCore

/// Autobahn 7.x: the closing handshake. A close frame is answered with one echoing its code (none for an empty
/// one), frames after it are ignored, a close frame that breaks the rules (a 1-byte body, a code that may not be
/// sent, a reason that is not UTF-8 or too long) fails the connection, and the server ends TCP.
enum ClosingCases {
    /// Autobahn 7.7.1 to 7.7.13, then the codes registered since (1012 to 1014).
    static let validCodes: [UInt16] = [
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999, 1012, 1013, 1014,
    ]
    /// Autobahn 7.9.1 to 7.9.9, then 1015 (which may never be sent either).
    static let invalidCodes: [UInt16] = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015]
    /// Autobahn 7.13.1 and 7.13.2: codes above 4999, which the RFC does not define (informational).
    static let undefinedCodes: [UInt16] = [5000, 65535]

    static let cases: [ConformanceCase] =
        [
            ConformanceCase(
                "7.1.1", "a message, then close", [.text("hello"), .close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [.text("hello")])),
            ConformanceCase(
                "7.1.2", "close twice", [.close(code: .normalClosure), .close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [])),
            ConformanceCase(
                "7.1.3", "close, then a ping", [.close(code: .normalClosure), .ping("late")],
                .closeReply(.normalClosure, after: [])),
            ConformanceCase(
                "7.1.4", "close, then a message", [.close(code: .normalClosure), .text("late")],
                .closeReply(.normalClosure, after: [])),
            ConformanceCase(
                "7.1.5", "a fragment, close, then the last fragment",
                [.text(Array("frag".utf8), fin: false), .close(code: .normalClosure), .continuation("mented")],
                .closeReply(.normalClosure, after: [])),
            ConformanceCase(
                "7.1.6", "a ping, then close", [.ping("first"), .close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [.pong("first")])),
            ConformanceCase("7.3.1", "close with no body", [.close(body: [])], .closeReply(nil, after: [])),
            ConformanceCase(
                "7.3.2", "close with a 1-byte body", [.close(body: [0x03])], .failure(.protocolError, after: [])),
            ConformanceCase(
                "7.3.3", "close 1000 with no reason", [.close(code: .normalClosure)],
                .closeReply(.normalClosure, after: [])),
            ConformanceCase(
                "7.3.4", "close 1000 with a reason", [.close(code: .normalClosure, reason: "done")],
                .closeReply(.normalClosure, after: [])),
            ConformanceCase(
                "7.3.5", "close 1000 with a 123-byte reason",
                [.close(code: .normalClosure, reason: String(repeating: "r", count: 123))],
                .closeReply(.normalClosure, after: [])),
            ConformanceCase(
                "7.3.6", "close 1000 with a 124-byte reason (a 126-byte control frame)",
                [.close(code: .normalClosure, reason: String(repeating: "r", count: 124))],
                .failure(.protocolError, after: [])),
            ConformanceCase(
                "7.5.1", "close with a reason that is not UTF-8",
                [.close(body: [0x03, 0xE8] + Array("κόσμε".utf8) + [0xED, 0xA0, 0x80] + Array("edited".utf8))],
                .failure(.invalidPayloadData, after: [])),
            ConformanceCase(
                "7.5.w", "close with a reason cut inside a character", [.close(body: [0x03, 0xE8, 0xCE])],
                .failure(.invalidPayloadData, after: [])),
            ConformanceCase(
                "7.3.w", "close 1000 with a reason, in 1-byte writes", [.close(code: .normalClosure, reason: "slowly")],
                .closeReply(.normalClosure, after: []), chop: 1),
        ]
        + validCodes.enumerated().map { index, code in
            ConformanceCase(
                index < 13 ? "7.7.\(index + 1)" : "7.7.w", "close with code \(code)",
                [.close(code: CloseCode(code), reason: "bye")], .closeReply(CloseCode(code), after: []))
        }
        + invalidCodes.enumerated().map { index, code in
            ConformanceCase(
                index < 9 ? "7.9.\(index + 1)" : "7.9.w", "close with code \(code)",
                [.close(body: [UInt8(code >> 8), UInt8(code & 0xFF)])], .failure(.protocolError, after: []))
        }
        + undefinedCodes.enumerated().map { index, code in
            ConformanceCase(
                "7.13.\(index + 1)", "close with code \(code)", [.close(body: [UInt8(code >> 8), UInt8(code & 0xFF)])],
                .failure(.protocolError, after: []), informational: true)
        }
}

/// Finds and parses HTTP/1.1 heads (RFC 7230 section 3): the request or status line and header fields up to
/// the first blank line.
///
/// Lines end with CRLF; a bare LF is tolerated. Obsolete line folding, whitespace before a colon, control
/// characters and non-token header names are rejected. Header values and reason phrases may hold UTF-8;
/// everything else must be ASCII. No input traps: every problem is an `HTTPHeadError`.
public enum HTTPHeadParser {
    /// The default upper bound on a head's size, terminating blank line included: 64 KiB.
    public static let defaultSizeLimit = 64 * 1024

    /// The length of the head at the start of `bytes`, up to and including the blank line that ends it, or
    /// `nil` when the blank line has not arrived yet and more bytes are needed.
    ///
    /// - Throws: `HTTPHeadError` with code `.headTooLarge` when `limit` bytes hold no end of head, since
    ///   waiting for more could not produce a head within the limit.
    public static func headLength(
        in bytes: some Collection<UInt8>, limit: Int = defaultSizeLimit
    ) throws(HTTPHeadError) -> Int? {
        // 0: inside a line; 1: at the start of a line; 2: at the start of a line after a CR.
        var state = 1
        var length = 0
        for byte in bytes.prefix(max(limit, 0)) {
            length += 1
            switch (state, byte) {
            case (1, UInt8(ascii: "\n")), (2, UInt8(ascii: "\n")):
                return length
            case (1, UInt8(ascii: "\r")):
                state = 2
            case (_, UInt8(ascii: "\n")):
                state = 1
            default:
                state = 0
            }
        }
        guard length < limit else {
            throw HTTPHeadError(
                .headTooLarge, line: nil, found: "\(length) bytes without a blank line",
                reason: "a head must end within \(limit) bytes")
        }
        return nil
    }

    /// Parses the request head at the start of `bytes`; bytes after its blank line are ignored.
    ///
    /// The returned head keeps the exact bytes it was parsed from in `rawBytes`.
    public static func parseRequest(
        _ bytes: some Collection<UInt8>, limit: Int = defaultSizeLimit
    ) throws(HTTPHeadError) -> HTTPRequestHead {
        let (raw, lines) = try splitHead(bytes, limit: limit)
        let line = lines[0]
        try checkASCII(line, number: 1, what: "the request line")
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw HTTPHeadError(
                .badRequestLine, line: 1, found: quoted(line),
                reason: "a request line must be a method, a target and a version separated by single spaces")
        }
        guard parts[0].allSatisfy(HTTPSyntax.isTokenByte) else {
            throw HTTPHeadError(
                .badRequestLine, line: 1, found: "method " + quoted(parts[0]),
                reason: "a method must be a token (letters, digits and !#$%&'*+-.^_`|~)")
        }
        try checkVersion(parts[2], line: 1)
        let headers = try parseHeaderLines(lines.dropFirst())
        return HTTPRequestHead(
            method: text(parts[0]), target: text(parts[1]), version: text(parts[2]), headers: headers, rawBytes: raw)
    }

    /// Parses the response head at the start of `bytes`; bytes after its blank line are ignored.
    ///
    /// The returned head keeps the exact bytes it was parsed from in `rawBytes`.
    public static func parseResponse(
        _ bytes: some Collection<UInt8>, limit: Int = defaultSizeLimit
    ) throws(HTTPHeadError) -> HTTPResponseHead {
        let (raw, lines) = try splitHead(bytes, limit: limit)
        let line = lines[0]
        try checkControl(line, number: 1)
        let shape = "a status line must be a version, a space, a three-digit code, a space and a reason phrase"
        guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")) else {
            throw HTTPHeadError(.badStatusLine, line: 1, found: quoted(line), reason: shape)
        }
        let version = line[..<firstSpace]
        try checkASCII(version, number: 1, what: "the version")
        try checkVersion(version, line: 1)
        let rest = line[(firstSpace + 1)...]
        let code = rest.prefix(3)
        let afterCode = rest.dropFirst(3)
        guard code.count == 3, code.allSatisfy(isDigit),
            afterCode.isEmpty || afterCode.first == UInt8(ascii: " ")
        else {
            throw HTTPHeadError(.badStatusLine, line: 1, found: quoted(line), reason: shape)
        }
        // Status codes are 100-999 (RFC 9110 15): "050" would not survive being written out again.
        guard code.first != UInt8(ascii: "0") else {
            throw HTTPHeadError(
                .badStatusLine, line: 1, found: quoted(line), reason: "a status code is a number from 100 to 999")
        }
        let reason = try decodeUTF8(afterCode.dropFirst(), line: 1, what: "the reason phrase")
        let statusCode = code.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let headers = try parseHeaderLines(lines.dropFirst())
        return HTTPResponseHead(
            version: text(version), statusCode: statusCode, reason: reason, headers: headers, rawBytes: raw)
    }

    // MARK: - Pieces

    /// The raw head and its lines (line endings removed, the closing blank line left out); never empty.
    private static func splitHead(
        _ bytes: some Collection<UInt8>, limit: Int
    ) throws(HTTPHeadError) -> (raw: [UInt8], lines: [ArraySlice<UInt8>]) {
        guard let length = try headLength(in: bytes, limit: limit) else {
            throw HTTPHeadError(
                .incomplete, line: nil, found: "\(bytes.count) bytes without a blank line",
                reason: "a head ends with an empty line (CRLF CRLF)")
        }
        let raw = Array(bytes.prefix(length))
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = 0
        for index in raw.indices where raw[index] == UInt8(ascii: "\n") {
            var line = raw[lineStart..<index]
            if line.last == UInt8(ascii: "\r") {
                line = line.dropLast()
            }
            if line.isEmpty {
                break
            }
            lines.append(line)
            lineStart = index + 1
        }
        guard !lines.isEmpty else {
            throw HTTPHeadError(
                .emptyHead, line: 1, found: "a blank line", reason: "a head must start with a request or status line")
        }
        return (raw, lines)
    }

    /// Parses header lines, which are lines 2 onward of the head.
    private static func parseHeaderLines(_ lines: ArraySlice<ArraySlice<UInt8>>) throws(HTTPHeadError)
        -> HTTPHeaderFields
    {
        var headers = HTTPHeaderFields()
        for (offset, line) in lines.enumerated() {
            let number = offset + 2
            if let first = line.first, HTTPSyntax.isWhitespace(first) {
                throw HTTPHeadError(
                    .obsoleteLineFolding, line: number, found: quoted(line),
                    reason: "a header line must not start with whitespace (obsolete line folding is not allowed)")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw HTTPHeadError(
                    .headerWithoutColon, line: number, found: quoted(line),
                    reason: "a header line must read name: value")
            }
            let name = line[..<colon]
            guard !name.isEmpty else {
                throw HTTPHeadError(
                    .invalidHeaderName, line: number, found: quoted(line), reason: "a header name must not be empty")
            }
            if let last = name.last, HTTPSyntax.isWhitespace(last) {
                throw HTTPHeadError(
                    .whitespaceBeforeColon, line: number, found: quoted(line),
                    reason: "no whitespace is allowed between a header name and its colon")
            }
            if let bad = name.first(where: { !HTTPSyntax.isTokenByte($0) }) {
                throw HTTPHeadError(
                    .invalidHeaderName, line: number, found: "\(quoted([bad])) in name \(quoted(name))",
                    reason: "a header name must be a token (letters, digits and !#$%&'*+-.^_`|~)")
            }
            let rawValue = line[(colon + 1)...]
            try checkControl(rawValue, number: number)
            let value = try decodeUTF8(rawValue, line: number, what: "the value of \(text(name))")
            headers.add(HTTPHeaderFields.Field(name: text(name), wireValue: value))
        }
        return headers
    }

    /// Checks `HTTP/` followed by `digits.digits`.
    private static func checkVersion(_ version: ArraySlice<UInt8>, line: Int) throws(HTTPHeadError) {
        let prefix = Array("HTTP/".utf8)
        let numbers = version.dropFirst(prefix.count).split(
            separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard version.starts(with: prefix), numbers.count == 2,
            numbers.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(isDigit) })
        else {
            throw HTTPHeadError(
                .badVersion, line: line, found: quoted(version), reason: "a version must look like HTTP/1.1")
        }
    }

    /// Rejects control characters other than tab.
    private static func checkControl(_ bytes: ArraySlice<UInt8>, number: Int) throws(HTTPHeadError) {
        if let bad = bytes.first(where: HTTPSyntax.isControl) {
            throw HTTPHeadError(
                .controlCharacter, line: number, found: "\(quoted([bad])) in \(quoted(bytes))",
                reason: "control characters are not allowed in an HTTP head")
        }
    }

    /// Rejects control characters and bytes above 0x7F.
    private static func checkASCII(_ bytes: ArraySlice<UInt8>, number: Int, what: String) throws(HTTPHeadError) {
        try checkControl(bytes, number: number)
        if let bad = bytes.first(where: { $0 >= 0x80 }) {
            throw HTTPHeadError(
                .nonASCII, line: number, found: "\(quoted([bad])) in \(quoted(bytes))",
                reason: "\(what) must be ASCII")
        }
    }

    /// Decodes UTF-8, rejecting ill-formed sequences.
    private static func decodeUTF8(_ bytes: ArraySlice<UInt8>, line: Int, what: String) throws(HTTPHeadError) -> String
    {
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw HTTPHeadError(
                .invalidUTF8, line: line, found: quoted(bytes),
                reason: "\(what) has bytes above 0x7F that are not UTF-8")
        }
        return string
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Bytes already checked to be ASCII (or fine to show with replacement) as a string.
    private static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private static func quoted(_ bytes: some Collection<UInt8>) -> String {
        "\"" + HTTPSyntax.excerpt(bytes) + "\""
    }
}

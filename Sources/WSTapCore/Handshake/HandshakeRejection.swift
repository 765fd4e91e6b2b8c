/// A server's refusal of a WebSocket handshake request: the status to answer with and why.
public struct HandshakeRejection: Error, Hashable, Sendable {
    /// The HTTP status code: 400, 405 or 426.
    public var status: Int
    /// The reason phrase for the status line, such as `Bad Request`.
    public var reason: String
    /// What was wrong with the request, in one sentence for a person.
    public var explanation: String
    /// Headers the response must carry besides the standard ones, such as `Sec-WebSocket-Version: 13` or `Allow`.
    public var extraHeaders: HTTPHeaderFields

    /// Creates a rejection.
    public init(status: Int, reason: String, explanation: String, extraHeaders: HTTPHeaderFields = [:]) {
        self.status = status
        self.reason = reason
        self.explanation = explanation
        self.extraHeaders = extraHeaders
    }

    /// A 400 Bad Request.
    static func badRequest(_ explanation: String) -> HandshakeRejection {
        HandshakeRejection(status: 400, reason: "Bad Request", explanation: explanation)
    }

    /// The response body: the explanation and a newline, as UTF-8 text.
    public var responseBody: [UInt8] { Array((explanation + "\n").utf8) }

    /// The response head to send before `responseBody`: the status, the extra headers, then `Content-Type`,
    /// `Content-Length` and `Connection: close`.
    public var responseHead: HTTPResponseHead {
        var headers = extraHeaders
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(responseBody.count))
        headers.add(name: "Connection", value: "close")
        return HTTPResponseHead(statusCode: status, reason: reason, headers: headers)
    }
}

extension HandshakeRejection: CustomStringConvertible {
    /// The status and the explanation, such as `400 Bad Request: the Host header is missing.`
    public var description: String { "\(status) \(reason): \(explanation)" }
}

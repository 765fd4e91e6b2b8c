import Foundation
public import WSTapCore

/// A request given the way curl takes it (an `http(s)://` or `ws(s)://` URL, `-H`, `-b`, `-A`, `-e`, `-u`),
/// as a WebSocket client's opening handshake: what DevTools' or Burp's "Copy as cURL" gives, with `curl`
/// replaced by `wstap connect`.
///
/// The handshake headers a browser sent are taken over or replaced: `Upgrade`, `Connection` and
/// `Sec-WebSocket-Key` are wstap's own (a fresh key, so the server's accept value can be checked),
/// `Sec-WebSocket-Version` is 13, a `Sec-WebSocket-Extensions` offer naming permessage-deflate turns on
/// wstap's own offer (the same as a browser's), `Sec-WebSocket-Protocol` asks for those subprotocols, `Origin`
/// is the origin, and a `Host` other than the URL's replaces it. Every other header goes out as given.
public struct CopiedRequest: Sendable {
    /// The URL: `ws://`, `wss://`, or `http://` / `https://` taken as `ws://` / `wss://`.
    public var url: String
    /// `-H 'Name: value'` in order; `'Name;'` sends the header with an empty value and `'Name:'` (nothing after
    /// the colon) sends none of that name, as with curl.
    public var headers: [String] = []
    /// `-b 'name=value; name2=value2'` (repeatable): joined into one `Cookie` header.
    public var cookies: [String] = []
    /// `-A`: the `User-Agent`, unless a `-H` gives one.
    public var userAgent: String?
    /// `-e`: the `Referer` (curl's `;auto` suffix left out), unless a `-H` gives one.
    public var referer: String?
    /// `-u user:password`: basic authentication, unless a `-H` gives an `Authorization`.
    public var user: String?

    /// A request for this URL with nothing else given.
    public init(url: String) {
        self.url = url
    }

    /// What the request becomes for ``WebSocketClient``.
    public struct Handshake: Sendable {
        /// Where to connect.
        public var target: WebSocketURL
        /// Headers to send besides the handshake's own (a `Sec-WebSocket-Protocol` among them asks for those
        /// subprotocols).
        public var extraHeaders: HTTPHeaderFields
        /// The `Origin`, when one was given.
        public var origin: String?
        /// The `Host`, when one other than the URL's was given.
        public var host: String?
        /// Whether a `Sec-WebSocket-Extensions` header offered permessage-deflate.
        public var offersCompression: Bool
        /// What was given but is not sent, one line each (extensions wstap does not speak, another version).
        public var notes: [String]
    }

    /// The handshake this request asks for.
    /// - Throws: ``CommandFailure`` naming the flag or URL that is wrong, and why.
    public func handshake() throws(CommandFailure) -> Handshake {
        let (target, userInURL) = try Self.webSocketURL(url)
        var given = HTTPHeaderFields()
        var unsent: [String] = []
        for header in headers {
            let (name, value) = try Self.header(header)
            guard let value else {
                unsent.append(name)
                continue
            }
            given.add(name: name, value: value)
        }
        var handshake = Handshake(
            target: target, extraHeaders: [:], origin: nil, host: nil, offersCompression: false, notes: [])
        for field in given {
            switch field.name.lowercased() {
            case "upgrade", "connection", "sec-websocket-key":
                continue
            case "sec-websocket-version":
                if field.value != RFC6455Handshake.version {
                    handshake.notes.append(
                        "Sec-WebSocket-Version \(field.value) not sent: wstap speaks version 13 (or --variant hybi00)")
                }
            case "sec-websocket-extensions":
                take(extensionOffer: field.value, into: &handshake)
            case "origin":
                handshake.origin = field.value
            case "host":
                if field.value.lowercased() != target.hostHeader.lowercased() {
                    handshake.host = field.value
                }
            default:
                handshake.extraHeaders.add(field)
            }
        }
        var extra = handshake.extraHeaders
        let cookies = try cookieHeaderValue()
        if let cookies {
            if let existing = extra.first("Cookie") {
                extra.replaceOrAdd(name: "Cookie", value: existing + "; " + cookies)
            } else {
                extra.add(name: "Cookie", value: cookies)
            }
        }
        if let userAgent, !userAgent.isEmpty, !given.contains("User-Agent") {
            extra.add(name: "User-Agent", value: userAgent)
        }
        if let referer, !given.contains("Referer") {
            let shown = referer.hasSuffix(";auto") ? String(referer.dropLast(5)) : referer
            if !shown.isEmpty { extra.add(name: "Referer", value: shown) }
        }
        if let credentials = try user.map(Self.credentials) ?? userInURL, !given.contains("Authorization") {
            extra.add(name: "Authorization", value: "Basic " + Base64.encode(Array(credentials.utf8)))
        }
        for name in unsent {
            extra.remove(name: name)
            if name.lowercased() == "origin" { handshake.origin = nil }
        }
        handshake.extraHeaders = extra
        return handshake
    }

    /// The URL as a WebSocket URL, and the `user:password` written in it (percent-decoded), if any.
    static func webSocketURL(_ url: String) throws(CommandFailure) -> (WebSocketURL, String?) {
        var rewritten = url
        for (from, to) in [("http://", "ws://"), ("https://", "wss://")] where url.lowercased().hasPrefix(from) {
            rewritten = to + url.dropFirst(from.count)
        }
        let target: WebSocketURL
        do {
            target = try WebSocketURL(rewritten)
        } catch {
            throw CommandFailure(
                error.description.replacingOccurrences(
                    of: "ws:// or wss://", with: "ws://, wss://, http:// or https://"))
        }
        let afterScheme = rewritten.drop { $0 != "/" }.dropFirst(2)
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return (target, nil) }
        let userInfo = String(authority[..<at])
        return (target, userInfo.removingPercentEncoding ?? userInfo)
    }

    /// `Name: value` as a name and value; `Name;` is an empty value, `Name:` is `nil` (send no such header).
    static func header(_ text: String) throws(CommandFailure) -> (String, String?) {
        if let colon = text.firstIndex(of: ":"), colon != text.startIndex {
            let name = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" ") else { throw Self.badHeader(text) }
            return (name, value.isEmpty ? nil : value)
        }
        if text.hasSuffix(";"), text.count > 1, !text.dropLast().contains(" ") {
            return (String(text.dropLast()), "")
        }
        throw Self.badHeader(text)
    }

    private static func badHeader(_ text: String) -> CommandFailure {
        CommandFailure("-H '\(text)': a header is 'Name: value' (or 'Name;' for an empty value)")
    }

    /// Every `-b` joined with `; `, or `nil` without any.
    private func cookieHeaderValue() throws(CommandFailure) -> String? {
        guard !cookies.isEmpty else { return nil }
        for cookie in cookies where !cookie.contains("=") {
            throw CommandFailure(
                "-b '\(cookie)': reading cookies from a file is not supported; give them as 'name=value; name2=value2'")
        }
        return cookies.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
    }

    /// `-u`'s `user:password`; a user without a password is an error (wstap does not prompt for one).
    private static func credentials(_ user: String) throws(CommandFailure) -> String {
        guard user.contains(":") else {
            throw CommandFailure("-u '\(user)': give 'user:password' (wstap does not ask for the password)")
        }
        return user
    }

    /// A browser's extension offer: permessage-deflate turns on wstap's own offer; others are noted as not sent.
    private func take(extensionOffer value: String, into handshake: inout Handshake) {
        let names = value.split(separator: ",").compactMap {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        }
        for name in names where !name.isEmpty {
            if name == "permessage-deflate" {
                handshake.offersCompression = true
            } else {
                handshake.notes.append("extension \(name) not offered: wstap speaks only permessage-deflate")
            }
        }
    }
}

import ArgumentParser
import WSTapRuntime

/// The flags of curl that `wstap connect` takes, so that a browser's "Copy as cURL" runs with `curl` replaced
/// by `wstap connect` (docs/connect.md). `-k` is `--insecure` (``ClientTLSFlags``).
struct CurlFlags: ParsableArguments {
    @Option(
        name: [.customShort("H"), .customLong("header")],
        help: ArgumentHelp(
            "A request header, 'Name: value' (repeatable); 'Name;' sends it empty, 'Name:' not at all.",
            valueName: "header"))
    var headers: [String] = []

    @Option(
        name: [.customShort("b"), .customLong("cookie")],
        help: ArgumentHelp("Cookies, 'name=value; name2=value2' (repeatable; one Cookie header).", valueName: "cookies")
    )
    var cookies: [String] = []

    @Option(name: [.customShort("A"), .customLong("user-agent")], help: "The User-Agent header.")
    var userAgent: String?

    @Option(name: [.customShort("e"), .customLong("referer")], help: "The Referer header.")
    var referer: String?

    @Option(
        name: [.customShort("u"), .customLong("user")],
        help: ArgumentHelp("Basic authentication (an Authorization header).", valueName: "user:password"))
    var user: String?

    @Flag(help: ArgumentHelp("Accepted for curl's sake; does nothing (compression is --deflate).", visibility: .hidden))
    var compressed = false

    @Option(
        name: [.customShort("x"), .customLong("proxy")],
        help: "Connect through this HTTP proxy with CONNECT: http://[user:pass@]host:port (wstap proxy's too).")
    var proxy: String?
    @Flag(name: [.customShort("s"), .customLong("silent")], help: .hidden) var silent = false
    @Flag(name: [.customShort("i"), .customLong("include")], help: .hidden) var include = false
    @Flag(name: .customLong("http1.1"), help: .hidden) var http11 = false

    @Option(name: [.customShort("X"), .customLong("request")], help: .hidden) var method: String?

    /// Everything on the command line that is neither an option of `connect` nor a curl flag it takes.
    @Argument(parsing: .allUnrecognized, help: .hidden) var unrecognized: [String] = []

    func validate() throws {
        if let method, method.uppercased() != "GET" {
            throw ValidationError("-X \(method): a WebSocket handshake is a GET request")
        }
        if let flag = unrecognized.first(where: { $0.hasPrefix("-") }) {
            throw ValidationError(Self.refusal(flag))
        }
        if let extra = unrecognized.first {
            throw ValidationError("'\(extra)': connect takes one URL")
        }
    }

    /// The error for an option `connect` does not take: why, for the curl flags a copied command may hold.
    static func refusal(_ flag: String) -> String {
        let name = flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
        let why: String
        switch name {
        case "-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--json", "-F", "--form":
            why = "a WebSocket handshake has no body; send messages on standard input"
        case "--socks5", "--socks5-hostname", "--preproxy":
            why = "only HTTP proxies are supported (-x http://HOST:PORT)"
        case "--http2", "--http2-prior-knowledge", "--http3", "--http3-only", "--http1.0", "-0":
            why = "wstap speaks WebSocket over HTTP/1.1 only"
        case "-o", "--output", "-O", "--remote-name":
            why = "messages print on standard output"
        case "-L", "--location":
            why = "wstap does not follow redirects; connect to the URL the server names"
        default:
            why =
                "it is neither an option of connect (wstap connect --help) nor a curl flag it takes "
                + "(-H, -b, -A, -e, -u, -k, --compressed, -s, -i, -X GET, --http1.1)"
        }
        return "connect does not take \(name): \(why)"
    }
}

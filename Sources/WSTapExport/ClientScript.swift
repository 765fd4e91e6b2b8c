import NIOCore
public import WSTapCore

/// A recorded connection as a command or a short script that opens the same connection (URL, headers,
/// subprotocols) and sends the same client messages (`wstap export --as`): curl (the handshake only, as a
/// browser's "Copy as cURL" writes it; `wstap connect` takes it), websocat, Python (python3-websockets) or
/// JavaScript (node's ws).
public enum ClientScript {
    /// The form to write.
    public enum Kind: String, CaseIterable, Sendable {
        case curl
        case websocat
        case python
        case js
    }

    /// The headers a client library writes itself, left out of the scripts.
    static let ownHeaders: Set<String> = [
        "host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
        "sec-websocket-protocol", "sec-websocket-key1", "sec-websocket-key2", "content-length",
    ]

    /// What a script needs of a connection.
    public struct Connection: Sendable {
        /// `ws://` or `wss://`, with the request's path and query.
        public var url: String
        /// The request's headers, but those the client writes itself.
        public var headers: [(name: String, value: String)]
        /// The subprotocols the client asked for, in order.
        public var subprotocols: [String]
        /// The client's data messages, in order.
        public var messages: [(opcode: Opcode, data: [UInt8])]

        /// The parts of a recorded connection.
        public init(_ transcript: ConnectionTranscript) throws(ExportError) {
            guard let opened = transcript.opened else {
                throw ExportError("connection \(transcript.connection): its opening handshake is not in the recording")
            }
            url = Self.url(of: opened)
            headers = opened.request.headers.fields.filter { !ClientScript.ownHeaders.contains($0.name.lowercased()) }
                .map { ($0.name, $0.value) }
            subprotocols = (try? SubprotocolList.parse(opened.request.headers)) ?? []
            messages = MessageReassembler.messages(.clientToServer, of: transcript).filter(\.isData).map {
                ($0.opcode, Array($0.data.readableBytesView))
            }
        }

        /// The target's scheme and authority with the request's path.
        static func url(of opened: TrafficEvent.ConnectionOpened) -> String {
            let path = opened.request.target
            guard path.hasPrefix("/"), let scheme = opened.target.firstRange(of: "://") else { return opened.target }
            let authorityEnd = opened.target[scheme.upperBound...].firstIndex(of: "/") ?? opened.target.endIndex
            return String(opened.target[..<authorityEnd]) + path
        }
    }

    /// The command or script of `kind` for a connection.
    public static func make(_ kind: Kind, _ connection: Connection) -> String {
        switch kind {
        case .curl: return curl(connection)
        case .websocat: return websocat(connection)
        case .python: return python(connection)
        case .js: return javaScript(connection)
        }
    }

    static func curl(_ connection: Connection) -> String {
        var url = connection.url
        if url.hasPrefix("ws://") { url = "http://" + url.dropFirst(5) }
        if url.hasPrefix("wss://") { url = "https://" + url.dropFirst(6) }
        var lines = ["curl " + shellQuoted(url)]
        var headers = connection.headers.map { "\($0.name): \($0.value)" }
        headers += ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"]
        headers.append("Sec-WebSocket-Key: " + RFC6455Handshake.makeClientKey())
        if !connection.subprotocols.isEmpty {
            headers.append("Sec-WebSocket-Protocol: " + connection.subprotocols.joined(separator: ", "))
        }
        lines += headers.map { "  -H " + shellQuoted($0) }
        var text = "# curl opens the connection only (it sends no messages); replace curl with wstap connect to\n"
        text += "# send lines too. The client's messages were:\n"
        for message in connection.messages { text += "#   " + lineText(message) + "\n" }
        return text + lines.joined(separator: " \\\n") + "\n"
    }

    static func websocat(_ connection: Connection) -> String {
        var arguments = ["websocat"]
        for header in connection.headers { arguments += ["-H", shellQuoted("\(header.name): \(header.value)")] }
        if !connection.subprotocols.isEmpty {
            arguments += ["--protocol", shellQuoted(connection.subprotocols.joined(separator: ", "))]
        }
        arguments.append(shellQuoted(connection.url))
        var text = ""
        let binary = connection.messages.filter { $0.opcode == .binary }
        if !binary.isEmpty {
            text += "# websocat sends each line as a text message: the binary ones are left out:\n"
            for message in binary { text += "#   " + lineText(message) + "\n" }
        }
        let lines = connection.messages.filter { $0.opcode != .binary }.map {
            shellQuoted(String(decoding: $0.data, as: UTF8.self))
        }
        text += "printf '%s\\n'" + lines.map { " " + $0 }.joined() + " | " + arguments.joined(separator: " ") + "\n"
        return text
    }

    static func python(_ connection: Connection) -> String {
        let headers = connection.headers.map { "(\(quoted($0.name)), \(quoted($0.value)))" }
        let messages = connection.messages.map { message in
            message.opcode == .binary
                ? "bytes.fromhex(\(quoted(hex(message.data))))" : quoted(String(decoding: message.data, as: UTF8.self))
        }
        return """
            # The connection as recorded by wstap, again: python3 this.py (needs python3-websockets).
            # Prints each message that comes back (binary as hex:), until 2 s pass without one.
            import asyncio
            import websockets

            URL = \(quoted(connection.url))
            HEADERS = [\(headers.joined(separator: ", "))]
            SUBPROTOCOLS = [\(connection.subprotocols.map(quoted).joined(separator: ", "))]
            MESSAGES = [\(messages.joined(separator: ", "))]


            async def main():
                major = int(websockets.__version__.split(".")[0])
                headers = {"additional_headers" if major >= 14 else "extra_headers": HEADERS}
                async with websockets.connect(
                    URL, subprotocols=SUBPROTOCOLS or None, max_size=None, ping_interval=None, **headers
                ) as ws:
                    for message in MESSAGES:
                        await ws.send(message)
                    while True:
                        try:
                            reply = await asyncio.wait_for(ws.recv(), 2)
                        except (asyncio.TimeoutError, websockets.ConnectionClosed):
                            break
                        print(reply if isinstance(reply, str) else "hex:" + reply.hex(), flush=True)


            asyncio.run(main())

            """
    }

    static func javaScript(_ connection: Connection) -> String {
        let headers = connection.headers.map { "\(quoted($0.name)): \(quoted($0.value))" }
        let messages = connection.messages.map { message in
            message.opcode == .binary
                ? "Buffer.from(\(quoted(hex(message.data))), 'hex')"
                : quoted(String(decoding: message.data, as: UTF8.self))
        }
        return """
            // The connection as recorded by wstap, again: node this.js (needs node's ws: npm i ws, or node-ws).
            // Prints each message that comes back (binary as hex:), until 2 s pass without one.
            'use strict';
            const WebSocket = require('ws');

            const URL = \(quoted(connection.url));
            const HEADERS = { \(headers.joined(separator: ", ")) };
            const SUBPROTOCOLS = [\(connection.subprotocols.map(quoted).joined(separator: ", "))];
            const MESSAGES = [\(messages.joined(separator: ", "))];

            const ws = new WebSocket(URL, SUBPROTOCOLS, { headers: HEADERS, perMessageDeflate: false });
            let quiet;
            const waitQuietly = () => {
              clearTimeout(quiet);
              quiet = setTimeout(() => ws.close(1000), 2000);
            };
            ws.on('open', () => {
              for (const message of MESSAGES) ws.send(message);
              waitQuietly();
            });
            ws.on('message', (data, isBinary) => {
              console.log(isBinary ? 'hex:' + data.toString('hex') : data.toString('utf8'));
              waitQuietly();
            });
            ws.on('error', (error) => {
              console.error(error.message);
              process.exitCode = 1;
            });

            """
    }

    /// A message as `wstap connect` reads it: text, or `hex:` for binary.
    static func lineText(_ message: (opcode: Opcode, data: [UInt8])) -> String {
        message.opcode == .binary ? "hex:" + hex(message.data) : String(decoding: message.data, as: UTF8.self)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// A string literal both Python and JavaScript read: double quotes, backslash escapes, `\u` for controls.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A word for a POSIX shell: in single quotes, a single quote as `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}

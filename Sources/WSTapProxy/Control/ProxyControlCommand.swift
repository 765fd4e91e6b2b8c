public import NIOCore
public import WSTapCore
import WSTapInspect

/// One request of the proxy's control interface, parsed from a line of words. The language:
///
/// ```
/// connections                                   open connection ids
/// intercept off
/// intercept c2s|s2c|both [conn=N] [opcode=text,binary,8,...] [contains=TEXT] [regex=PATTERN]
/// held                                          the frames waiting, one line each
/// forward ID | drop ID | edit ID HEX...         decide on a held frame
/// inject CONN c2s|s2c HEX...                    send crafted bytes (e.g. from `wstap craft`)
/// close CONN client|server [CODE [REASON...]]   close one side with a close frame
/// framing CONN old|new                          switch a hybi-00 connection's framing
/// ```
///
/// Words are split at spaces; double quotes keep spaces in a word (`contains="two words"`).
public enum ProxyControlCommand: Sendable {
    case connections
    case intercept(InterceptSettings)
    case held
    case decide(holdID: UInt64, HoldDecision)
    case inject(connection: UInt64, direction: TrafficDirection, bytes: ByteBuffer)
    case close(connection: UInt64, side: EndpointRole, code: CloseCode, reason: String)
    case framing(connection: UInt64, Hybi00Framing)

    /// Parses one line; the error says what is wrong with it.
    public static func parse(_ line: String) throws(ProxyControlError) -> ProxyControlCommand {
        let words = try split(line)
        guard let verb = words.first?.lowercased() else { throw ProxyControlError("empty command") }
        let arguments = Array(words.dropFirst())
        switch verb {
        case "connections":
            return .connections
        case "held":
            return .held
        case "intercept":
            return .intercept(try interceptSettings(arguments))
        case "forward", "drop", "edit":
            guard let first = arguments.first else { throw ProxyControlError("\(verb) needs a hold id") }
            let id = try number(first, "hold id")
            switch verb {
            case "forward": return .decide(holdID: id, .forward)
            case "drop": return .decide(holdID: id, .drop)
            default: return .decide(holdID: id, .replace(try hexBytes(arguments.dropFirst(), verb)))
            }
        case "inject":
            guard arguments.count >= 3 else { throw ProxyControlError("usage: inject CONN c2s|s2c HEX...") }
            return .inject(
                connection: try number(arguments[0], "connection"), direction: try direction(arguments[1]),
                bytes: try hexBytes(arguments.dropFirst(2), verb))
        case "close":
            guard arguments.count >= 2 else {
                throw ProxyControlError("usage: close CONN client|server [CODE [REASON]]")
            }
            let side: EndpointRole
            switch arguments[1].lowercased() {
            case "client": side = .client
            case "server": side = .server
            default: throw ProxyControlError("side must be client or server, not \(arguments[1])")
            }
            var code = CloseCode.normalClosure
            if arguments.count >= 3 {
                guard let value = UInt16(arguments[2]) else {
                    throw ProxyControlError("close code must be a number from 0 to 65535, not \(arguments[2])")
                }
                code = CloseCode(rawValue: value)
            }
            return .close(
                connection: try number(arguments[0], "connection"), side: side, code: code,
                reason: arguments.dropFirst(3).joined(separator: " "))
        case "framing":
            guard arguments.count == 2, let framing = Hybi00Framing(rawValue: arguments[1].lowercased()) else {
                throw ProxyControlError("usage: framing CONN old|new")
            }
            return .framing(connection: try number(arguments[0], "connection"), framing)
        default:
            throw ProxyControlError(
                "unknown command \(verb) (connections, intercept, held, forward, drop, edit, inject, close, framing)")
        }
    }

    /// What a request answers: lines of data (held frames) and a short summary for the status line.
    public struct Reply: Sendable {
        /// Data lines (one per held frame or connection), possibly none.
        public var lines: [String]
        /// One line saying what was done.
        public var summary: String
    }

    /// Carries the request out.
    public func run(on controller: ProxyController) throws(ProxyControlError) -> Reply {
        switch self {
        case .connections:
            return Reply(lines: [], summary: controller.connections.map(String.init).joined(separator: " "))
        case .intercept(let settings):
            controller.setIntercept(settings)
            return Reply(lines: [], summary: settings.directions.isEmpty ? "intercept off" : "intercept on")
        case .held:
            let held = controller.heldFrames
            return Reply(lines: held.map(Self.describe), summary: "\(held.count) held")
        case .decide(let holdID, let decision):
            try controller.decide(holdID, decision)
        case .inject(let connection, let direction, let bytes):
            try controller.inject(bytes, connection: connection, direction: direction)
        case .close(let connection, let side, let code, let reason):
            try controller.close(connection: connection, side: side, code: code, reason: reason)
        case .framing(let connection, let framing):
            try controller.setFraming(framing, connection: connection)
        }
        return Reply(lines: [], summary: "")
    }

    /// `7 #1 → text 5 "hello"`: hold id, connection, direction, kind, length, preview.
    static func describe(_ held: HeldFrame) -> String {
        let kind: String
        switch held.frame.content {
        case .rfc6455(let frame): kind = frame.header.opcode.name
        case .hybi00(let frame): kind = frame.kindName
        }
        let payload = held.frame.readablePayload
        return
            "\(held.holdID) #\(held.frame.connection) \(held.frame.direction.rawValue) \(kind) "
            + "\(held.wireBytes.readableBytes) \(PayloadPreview.make(payload, preferText: true))"
    }

    // MARK: - Words

    private static func interceptSettings(_ arguments: [String]) throws(ProxyControlError) -> InterceptSettings {
        guard let first = arguments.first else {
            throw ProxyControlError("usage: intercept off|c2s|s2c|both [filters]")
        }
        let directions: Set<TrafficDirection>
        switch first.lowercased() {
        case "off": return .off
        case "c2s": directions = [.clientToServer]
        case "s2c": directions = [.serverToClient]
        case "both", "on": directions = [.clientToServer, .serverToClient]
        default: throw ProxyControlError("intercept takes off, c2s, s2c or both, not \(first)")
        }
        var connection: UInt64?
        var opcodes: Set<UInt8>?
        var contains: String?
        var pattern: String?
        for argument in arguments.dropFirst() {
            guard let equals = argument.firstIndex(of: "=") else {
                throw ProxyControlError("filter \(argument) is not name=value (conn, opcode, contains, regex)")
            }
            let name = argument[..<equals].lowercased()
            let value = String(argument[argument.index(after: equals)...])
            switch name {
            case "conn", "connection": connection = try number(value, "connection")
            case "opcode":
                var set = Set<UInt8>()
                for item in value.split(separator: ",") {
                    guard let opcode = Opcode(name: String(item)) else {
                        throw ProxyControlError("unknown opcode \(item) (a name like text or a number 0-15)")
                    }
                    set.insert(opcode.rawValue)
                }
                opcodes = set
            case "contains": contains = value
            case "regex": pattern = value
            default: throw ProxyControlError("unknown filter \(name) (conn, opcode, contains, regex)")
            }
        }
        do {
            let filter = try InterceptFilter(
                connection: connection, opcodes: opcodes, payloadContains: contains, payloadPattern: pattern)
            return InterceptSettings(directions: directions, filter: filter)
        } catch {
            throw ProxyControlError(error.description)
        }
    }

    private static func direction(_ word: String) throws(ProxyControlError) -> TrafficDirection {
        switch word.lowercased() {
        case "c2s", "up": return .clientToServer
        case "s2c", "down": return .serverToClient
        default: throw ProxyControlError("direction must be c2s or s2c, not \(word)")
        }
    }

    private static func number(_ word: String, _ what: String) throws(ProxyControlError) -> UInt64 {
        guard let value = UInt64(word.hasPrefix("#") ? String(word.dropFirst()) : word) else {
            throw ProxyControlError("\(what) must be a number, not \(word)")
        }
        return value
    }

    private static func hexBytes(_ words: ArraySlice<String>, _ verb: String) throws(ProxyControlError) -> ByteBuffer {
        guard !words.isEmpty else { throw ProxyControlError("\(verb) needs the frame's bytes in hex") }
        do {
            return ByteBuffer(bytes: try HexText.parse(words.joined(separator: " ")))
        } catch {
            throw ProxyControlError("\(verb): \(error)")
        }
    }

    /// Splits at spaces, keeping quoted spaces.
    static func split(_ line: String) throws(ProxyControlError) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
                started = true
            } else if character.isWhitespace, !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        guard !quoted else { throw ProxyControlError("unbalanced double quote") }
        if started { words.append(current) }
        return words
    }
}

import Foundation
import MCP
import NIOCore
import WSTapCore
import WSTapProxy

/// The tools of `wstap mcp`: each a JSON schema, a description an agent can act on, and the control commands it
/// sends (docs/mcp.md).
enum MCPTools {
    /// A tool call that cannot be carried out, in words.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let connectionSchema: Value = .object([
        "type": "integer", "description": "The connection's number, as list_connections gives it.",
    ])
    static let holdSchema: Value = .object([
        "type": "integer", "description": "The held frame's id, as list_held gives it.",
    ])
    static let payloadProperties: [String: Value] = [
        "text": .object(["type": "string", "description": "The payload as text (a text message)."]),
        "hex": .object(["type": "string", "description": "The payload as hex bytes (a binary message)."]),
    ]

    static let all: [Tool] = [
        Tool(
            name: "list_connections",
            description: "Lists the numbers of the WebSocket connections open through the proxy now.",
            inputSchema: .object(["type": "object", "properties": .object([:])]),
            annotations: .init(readOnlyHint: true)),
        Tool(
            name: "set_intercept",
            description:
                "Turns intercept on or off. While on, the frames that match are held: they reach their receiver "
                + "only once forwarded (forward_held), edited (edit_held) or dropped (drop_held). Directions: c2s "
                + "(client to server), s2c, both, or off (held frames then go on unchanged).",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "direction": .object([
                        "type": "string", "enum": .array(["off", "c2s", "s2c", "both"]),
                        "description": "Which way frames are held, or off.",
                    ]),
                    "connection": .object([
                        "type": "integer", "description": "Only frames of this connection (optional).",
                    ]),
                    "opcodes": .object([
                        "type": "string",
                        "description": "Only these kinds, comma-separated: text, binary, close, ping, pong (optional).",
                    ]),
                    "contains": .object([
                        "type": "string", "description": "Only frames whose payload contains this text (optional).",
                    ]),
                    "regex": .object([
                        "type": "string",
                        "description": "Only frames whose payload matches this regular expression (optional).",
                    ]),
                ]),
                "required": .array(["direction"]),
            ])),
        Tool(
            name: "list_held",
            description:
                "Lists the frames intercept holds, oldest first, one line each: hold id, #connection, direction, "
                + "kind, size in bytes, payload preview.",
            inputSchema: .object(["type": "object", "properties": .object([:])]),
            annotations: .init(readOnlyHint: true)),
        Tool(
            name: "forward_held",
            description: "Lets a held frame go on to its receiver unchanged.",
            inputSchema: .object([
                "type": "object", "properties": .object(["hold_id": holdSchema]), "required": .array(["hold_id"]),
            ])),
        Tool(
            name: "drop_held",
            description: "Drops a held frame: its receiver never gets it.",
            inputSchema: .object([
                "type": "object", "properties": .object(["hold_id": holdSchema]), "required": .array(["hold_id"]),
            ])),
        Tool(
            name: "edit_held",
            description:
                "Replaces a held frame with a new final frame carrying this payload (text, or hex for binary), "
                + "masked with a fresh key when it goes to the server.",
            inputSchema: .object([
                "type": "object",
                "properties": .object(payloadProperties.merging(["hold_id": holdSchema]) { first, _ in first }),
                "required": .array(["hold_id"]),
            ])),
        Tool(
            name: "inject_message",
            description:
                "Sends a crafted message on a connection, as if one side had sent it: c2s goes to the server "
                + "(masked with a fresh key), s2c to the client. Give text, or hex for a binary message.",
            inputSchema: .object([
                "type": "object",
                "properties": .object(
                    payloadProperties.merging([
                        "connection": connectionSchema,
                        "direction": .object([
                            "type": "string", "enum": .array(["c2s", "s2c"]),
                            "description": "c2s: to the server; s2c: to the client.",
                        ]),
                    ]) { first, _ in first }),
                "required": .array(["connection", "direction"]),
            ])),
        Tool(
            name: "close_connection",
            description:
                "Closes a connection: each side gets a close frame with this code and reason, then the proxy "
                + "closes both.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "connection": connectionSchema,
                    "code": .object(["type": "integer", "description": "The close code (default 1000)."]),
                    "reason": .object(["type": "string", "description": "The close reason (optional)."]),
                ]),
                "required": .array(["connection"]),
            ])),
    ]

    /// Carries out the tool `name`; returns what the proxy answered, in words.
    static func call(_ name: String, _ arguments: [String: Value], socket: String) async throws -> String {
        switch name {
        case "list_connections":
            let answer = try await send("connections", socket)
            return answer.isEmpty ? "no connection is open" : "open connections: \(answer)"
        case "set_intercept":
            let direction = try string("direction", arguments)
            guard ["off", "c2s", "s2c", "both"].contains(direction) else {
                throw Failure(description: "direction must be off, c2s, s2c or both, not \(direction)")
            }
            var words = ["intercept", direction]
            if let connection = arguments["connection"]?.intValue { words.append("conn=\(connection)") }
            if let opcodes = arguments["opcodes"]?.stringValue { words.append(quoted("opcode=\(opcodes)")) }
            if let contains = arguments["contains"]?.stringValue { words.append(quoted("contains=\(contains)")) }
            if let regex = arguments["regex"]?.stringValue { words.append(quoted("regex=\(regex)")) }
            return try await send(words.joined(separator: " "), socket)
        case "list_held":
            return try await send("held", socket)
        case "forward_held":
            let id = try integer("hold_id", arguments)
            _ = try await send("forward \(id)", socket)
            return "frame \(id) forwarded"
        case "drop_held":
            let id = try integer("hold_id", arguments)
            _ = try await send("drop \(id)", socket)
            return "frame \(id) dropped"
        case "edit_held":
            let id = try integer("hold_id", arguments)
            let held = try await ProxyControlClient.send("held", to: socket)
            guard let line = held.lines.first(where: { $0.hasPrefix("\(id) ") }) else {
                throw Failure(description: "no frame is held with id \(id): list_held shows those that are")
            }
            let toServer = line.split(separator: " ").dropFirst(2).first == "c2s"
            let frame = try frame(arguments, toServer: toServer)
            _ = try await send("edit \(id) \(frame)", socket)
            return "frame \(id) replaced"
        case "inject_message":
            let connection = try integer("connection", arguments)
            let direction = try string("direction", arguments)
            guard direction == "c2s" || direction == "s2c" else {
                throw Failure(description: "direction must be c2s or s2c, not \(direction)")
            }
            let frame = try frame(arguments, toServer: direction == "c2s")
            _ = try await send("inject \(connection) \(direction) \(frame)", socket)
            return "message sent on connection \(connection) (\(direction))"
        case "close_connection":
            let connection = try integer("connection", arguments)
            let code = arguments["code"]?.intValue ?? 1000
            let reason = arguments["reason"]?.stringValue ?? ""
            guard (1000...4999).contains(code) else {
                throw Failure(description: "code must be a close code from 1000 to 4999, not \(code)")
            }
            _ = try await send("close \(connection) client \(code) \(reason)", socket)
            _ = try? await send("close \(connection) server \(code) \(reason)", socket)
            return "connection \(connection) closing"
        default:
            throw Failure(description: "no tool is called \(name)")
        }
    }

    /// Sends one command; its status text, or its data lines when it has some.
    private static func send(_ command: String, _ socket: String) async throws -> String {
        let answer = try await ProxyControlClient.send(command, to: socket)
        guard answer.succeeded else { throw Failure(description: answer.status) }
        return answer.lines.isEmpty ? answer.status : answer.lines.joined(separator: "\n")
    }

    /// One final frame of `text` or `hex`, in hex, masked when it goes to the server.
    private static func frame(_ arguments: [String: Value], toServer: Bool) throws -> String {
        var spec: FrameSpec
        if let text = arguments["text"]?.stringValue {
            spec = .text(text)
        } else if let hex = arguments["hex"]?.stringValue {
            let digits = hex.filter { !$0.isWhitespace }
            guard digits.count.isMultiple(of: 2), let bytes = bytes(hex: digits) else {
                throw Failure(description: "hex must be pairs of hex digits, not \(hex)")
            }
            spec = FrameSpec(opcode: .binary, payload: bytes)
        } else {
            throw Failure(description: "give the payload as text or as hex")
        }
        spec.mask = toServer ? .random : .none
        do {
            return try FrameEncoder.encode(spec).map { byte in
                let digits = String(byte, radix: 16)
                return byte < 16 ? "0" + digits : digits
            }.joined()
        } catch {
            throw Failure(description: "cannot encode the frame: \(error)")
        }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    private static func quoted(_ word: String) -> String {
        "\"" + word.replacingOccurrences(of: "\"", with: "") + "\""
    }

    private static func string(_ name: String, _ arguments: [String: Value]) throws -> String {
        guard let value = arguments[name]?.stringValue else { throw Failure(description: "\(name) is missing") }
        return value
    }

    private static func integer(_ name: String, _ arguments: [String: Value]) throws -> Int {
        guard let value = arguments[name]?.intValue ?? arguments[name]?.doubleValue.map({ Int($0) }) else {
            throw Failure(description: "\(name) is missing (a number)")
        }
        return value
    }
}

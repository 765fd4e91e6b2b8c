import WSTapCore

/// Socket.IO v5 over Engine.IO v4 (and v3), on a WebSocket: Engine.IO's open, ping, pong, message, upgrade
/// and noop packets; in messages the Socket.IO packets (connect, disconnect, event, ack, connect error,
/// binary event, binary ack) with their namespace, ack id and arguments; binary packets joined with the
/// attachments that follow them as binary messages. An event with an ack id is answered by the ack with
/// that id in the same namespace; the server's ping by the client's pong (v3: the other way round).
public struct SocketIOLens: Lens {
    /// `socketio`.
    public let name = "socketio"

    /// The lens.
    public init() {}

    /// `/socket.io/` in the path, or an `EIO` query parameter.
    public func claims(url connection: LensConnection) -> Bool {
        connection.path.contains("/socket.io") || connection.queryValue("EIO") != nil
    }

    /// The server's Engine.IO open packet (`0{"sid":...}`).
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, message.bytes.first == UInt8(ascii: "0"),
            let value = try? JSONText.parse(message.bytes.dropFirst())
        else { return false }
        return value["sid"]?.stringValue != nil
    }

    /// A decoder for a connection: Engine.IO 3 when its URL says `EIO=3`, else 4.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder(engineIOVersion: connection.queryValue("EIO") == "3" ? 3 : 4)
    }

    /// A binary packet waiting for its attachments.
    struct Waiting: Sendable {
        var packet: Packet
        var direction: TrafficDirection
        var attachments: [[UInt8]] = []
    }

    /// A Socket.IO packet's header and data, read from the text after Engine.IO's `4`.
    struct Packet: Sendable {
        var type: Int
        var attachmentCount: Int
        var namespace: String
        var ackID: Int64?
        var data: LensValue?
    }

    static let packetNames = ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"]
    static let engineNames = ["open", "close", "ping", "pong", "message", "upgrade", "noop"]

    struct Decoder: LensDecoder {
        var engineIOVersion: Int
        var waiting: Waiting?

        mutating func decode(_ message: LensMessage) -> [LensView] {
            message.isText ? decodeText(message) : decodeBinary(message)
        }

        mutating func decodeText(_ message: LensMessage) -> [LensView] {
            var views: [LensView] = []
            if let left = waiting, left.direction == message.direction {
                views.append(
                    .doesNotParse(
                        "a binary packet announced \(left.packet.attachmentCount) attachments; "
                            + "\(left.attachments.count) came before the next text message"))
                waiting = nil
            }
            views.append(contentsOf: engineIOPacket(message))
            return views
        }

        mutating func engineIOPacket(_ message: LensMessage) -> [LensView] {
            let bytes = message.bytes
            guard let first = bytes.first else {
                return [.doesNotParse("an empty message: an Engine.IO packet starts with its type, a digit 0-6")]
            }
            guard first >= UInt8(ascii: "0"), first <= UInt8(ascii: "6") else {
                return [.doesNotParse("Engine.IO packet type \(Character(Unicode.Scalar(first))) is not 0-6")]
            }
            let type = Int(first - UInt8(ascii: "0"))
            let rest = Array(bytes.dropFirst())
            let restText = String(decoding: rest, as: UTF8.self)
            var fields = [LensField("engineio", .string(SocketIOLens.engineNames[type]))]
            switch type {
            case 0:
                guard let data = try? JSONText.parse(rest) else {
                    return [.doesNotParse("Engine.IO open: the handshake data is not JSON")]
                }
                fields.append(LensField("data", data))
                var summary = "open"
                if let sid = data["sid"]?.stringValue { summary += " sid=\(sid)" }
                if let interval = data["pingInterval"] { summary += " pingInterval=\(interval.json)" }
                return [LensView(summary: summary, fields: fields, method: "open")]
            case 2, 3:
                // v4: the server pings, the client pongs; v3 the other way round. A probe pairs with its own.
                if !rest.isEmpty { fields.append(LensField("data", .string(restText))) }
                let id = restText == "probe" ? "probe" : "ping"
                return [
                    LensView(
                        summary: SocketIOLens.engineNames[type] + (rest.isEmpty ? "" : " " + restText), fields: fields,
                        correlation: LensCorrelation(id: id, role: type == 2 ? .request : .response),
                        method: type == 2 ? id : nil)
                ]
            case 4:
                return socketIOPacket(rest, direction: message.direction)
            default:
                if !rest.isEmpty { fields.append(LensField("data", .string(restText))) }
                return [
                    LensView(
                        summary: SocketIOLens.engineNames[type], fields: fields, method: SocketIOLens.engineNames[type])
                ]
            }
        }

        mutating func socketIOPacket(_ bytes: [UInt8], direction: TrafficDirection) -> [LensView] {
            let packet: Packet
            switch SocketIOLens.parsePacket(bytes) {
            case .success(let parsed): packet = parsed
            case .failure(let problem): return [.doesNotParse(problem.why)]
            }
            if packet.attachmentCount > 0 {
                waiting = Waiting(packet: packet, direction: direction)
                return []
            }
            return [SocketIOLens.view(packet, attachments: [], direction: direction)]
        }

        mutating func decodeBinary(_ message: LensMessage) -> [LensView] {
            var bytes = message.bytes
            // Engine.IO 3 marks a binary message with a leading 4.
            if engineIOVersion == 3, bytes.first == 4 { bytes.removeFirst() }
            guard var left = waiting, left.direction == message.direction else {
                return [
                    LensView(
                        summary: "binary message (\(bytes.count) B)",
                        fields: [LensField("engineio", .string("message")), LensField("data", .bytes(bytes))],
                        method: "binary message")
                ]
            }
            left.attachments.append(bytes)
            guard left.attachments.count >= left.packet.attachmentCount else {
                waiting = left
                return []
            }
            waiting = nil
            return [SocketIOLens.view(left.packet, attachments: left.attachments, direction: message.direction)]
        }
    }

    struct Problem: Error {
        var why: String
    }

    /// `<type>[<attachments>-][/<namespace>,][<ack id>][<JSON>]`.
    static func parsePacket(_ bytes: [UInt8]) -> Result<Packet, Problem> {
        guard let first = bytes.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "6") else {
            return .failure(Problem(why: "a Socket.IO packet starts with its type, a digit 0-6"))
        }
        var packet = Packet(type: Int(first - UInt8(ascii: "0")), attachmentCount: 0, namespace: "/")
        var index = 1
        func isDigit(_ at: Int) -> Bool {
            at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9")
        }
        func number() -> Int64? {
            var value: Int64 = 0
            var any = false
            while isDigit(index) {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = product &+ Int64(bytes[index] - UInt8(ascii: "0"))
                any = true
                index += 1
            }
            return any ? value : nil
        }
        if packet.type == 5 || packet.type == 6 {
            guard let count = number(), index < bytes.count, bytes[index] == UInt8(ascii: "-") else {
                return .failure(Problem(why: "a binary packet starts with its number of attachments and '-'"))
            }
            guard count <= 1_000 else { return .failure(Problem(why: "\(count) attachments is too many")) }
            packet.attachmentCount = Int(count)
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ",") { index += 1 }
            packet.namespace = String(decoding: bytes[start..<index], as: UTF8.self)
            if index < bytes.count { index += 1 }
        }
        if isDigit(index) {
            guard let id = number() else { return .failure(Problem(why: "the ack id is too large")) }
            packet.ackID = id
        }
        if index < bytes.count {
            do {
                packet.data = try JSONText.parse(bytes[index...])
            } catch {
                return .failure(Problem(why: "the packet's data is not JSON: \(error)"))
            }
        }
        return .success(packet)
    }

    /// The value with every `{"_placeholder": true, "num": n}` replaced by attachment `n`.
    static func joined(_ value: LensValue, _ attachments: [[UInt8]]) -> LensValue {
        switch value {
        case .list(let elements): return .list(elements.map { joined($0, attachments) })
        case .object(let fields):
            if value["_placeholder"] == .bool(true), let number = value["num"]?.integerValue, number >= 0,
                number < attachments.count
            {
                return .bytes(attachments[Int(number)])
            }
            return .object(fields.map { LensField($0.name, joined($0.value, attachments)) })
        default: return value
        }
    }

    static func view(_ packet: Packet, attachments: [[UInt8]], direction: TrafficDirection) -> LensView {
        let name = packetNames[packet.type]
        let data = packet.data.map { joined($0, attachments) }
        var fields = [LensField("engineio", .string("message")), LensField("type", .string(name))]
        fields.append(LensField("namespace", .string(packet.namespace)))
        if let id = packet.ackID { fields.append(LensField("ackId", .integer(id))) }
        if packet.attachmentCount > 0 { fields.append(LensField("attachments", .integer(Int64(attachments.count)))) }
        let space = packet.namespace == "/" ? "" : " " + packet.namespace
        let ackKey = packet.ackID.map { "\(packet.namespace)#\($0)" }
        switch packet.type {
        case 2, 5:
            guard let arguments = data?.listValue, let event = arguments.first?.stringValue else {
                return .doesNotParse("an event's data is an array that starts with the event's name")
            }
            fields.append(LensField("event", .string(event)))
            fields.append(LensField("args", .list(Array(arguments.dropFirst()))))
            var summary = "\(name)\(space) \(event) " + LensValue.list(Array(arguments.dropFirst())).json(limit: 80)
            if let id = packet.ackID { summary += " ack=\(id)" }
            return LensView(
                summary: summary, fields: fields, correlation: ackKey.map { LensCorrelation(id: $0, role: .request) },
                method: (packet.namespace == "/" ? "" : packet.namespace + " ") + event)
        case 3, 6:
            guard let ackKey, let id = packet.ackID else { return .doesNotParse("an ack without an ack id") }
            if let data { fields.append(LensField("args", data)) }
            return LensView(
                summary: "\(name)\(space) \(id) " + (data?.json(limit: 80) ?? "[]"), fields: fields,
                correlation: LensCorrelation(id: ackKey, role: .response))
        case 0:
            if let data { fields.append(LensField("data", data)) }
            let role: LensCorrelation.Role = direction == .clientToServer ? .request : .response
            var summary = "\(name) \(packet.namespace)"
            if let sid = data?["sid"]?.stringValue {
                summary += " sid=\(sid)"
            } else if let data {
                summary += " " + data.json(limit: 60)
            }
            return LensView(
                summary: summary, fields: fields,
                correlation: LensCorrelation(id: "connect \(packet.namespace)", role: role),
                method: role == .request ? "CONNECT \(packet.namespace)" : nil)
        case 4:
            if let data { fields.append(LensField("data", data)) }
            let text = data?["message"]?.stringValue ?? data?.json(limit: 60) ?? ""
            return LensView(
                summary: "\(name) \(packet.namespace) \(text)", fields: fields,
                correlation: LensCorrelation(id: "connect \(packet.namespace)", role: .response), isError: true)
        default:
            if let data { fields.append(LensField("data", data)) }
            return LensView(
                summary: "\(name) \(packet.namespace)", fields: fields, method: "\(name) \(packet.namespace)")
        }
    }
}

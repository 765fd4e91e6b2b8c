import WSTapCore

/// One MQTT control packet into a view: its fields, MQTT 5's properties, and the exchange it belongs to.
enum MQTTPacket {
    static let names = [
        "reserved (0)", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE",
        "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH",
    ]

    /// The view of `packet` (its whole bytes, fixed header first); a CONNECT sets `level` for the rest.
    static func view(_ packet: ArraySlice<UInt8>, level: inout UInt8, direction: TrafficDirection) -> LensView {
        do {
            return try decode(packet, level: &level, direction: direction)
        } catch {
            let type = Int((packet.first ?? 0) >> 4)
            return .doesNotParse("\(names[type]): \(error)")
        }
    }

    private static func decode(
        _ packet: ArraySlice<UInt8>, level: inout UInt8, direction: TrafficDirection
    ) throws(MQTTReader.Short) -> LensView {
        var header = MQTTReader(packet)
        let first = try header.byte()
        _ = try header.variableInteger()
        var body = MQTTReader(packet[header.index...])
        let type = Int(first >> 4)
        let flags = first & 0x0F
        var fields = [LensField("packet", .string(names[type]))]
        let isV5 = level >= 5
        switch type {
        case 1:
            let protocolName = try body.string("the protocol name")
            let protocolLevel = try body.byte("the protocol level")
            level = protocolLevel
            let connectFlags = try body.byte("the connect flags")
            let keepAlive = try body.uint16("the keep alive")
            fields += [
                LensField("protocolName", .string(protocolName)),
                LensField("protocolLevel", .integer(Int64(protocolLevel))),
                LensField("cleanStart", .bool(connectFlags & 0x02 != 0)),
                LensField("keepAlive", .integer(Int64(keepAlive))),
            ]
            if protocolLevel >= 5 { fields.append(LensField("properties", try properties(&body))) }
            let clientID = try body.string("the client identifier")
            fields.append(LensField("clientId", .string(clientID)))
            var summary = "CONNECT \(versionName(protocolLevel)) client=\(clientID) keepalive=\(keepAlive)"
            if connectFlags & 0x04 != 0 {
                var will: [LensField] = []
                if protocolLevel >= 5 { will.append(LensField("properties", try properties(&body))) }
                let topic = try body.string("the will topic")
                let payload = try body.binary("the will payload")
                will += [
                    LensField("topic", .string(topic)), LensField("payload", payloadValue(payload)),
                    LensField("qos", .integer(Int64((connectFlags >> 3) & 0x03))),
                    LensField("retain", .bool(connectFlags & 0x20 != 0)),
                ]
                fields.append(LensField("will", .object(will)))
                summary += " will=\(topic)"
            }
            if connectFlags & 0x80 != 0 {
                let user = try body.string("the user name")
                fields.append(LensField("username", .string(user)))
                summary += " user=\(user)"
            }
            if connectFlags & 0x40 != 0 {
                let password = try body.binary("the password")
                fields.append(LensField("passwordLength", .integer(Int64(password.count))))
            }
            if connectFlags & 0x02 != 0 { summary += " clean" }
            return LensView(
                summary: summary, fields: fields, correlation: LensCorrelation(id: "connect", role: .request),
                method: "CONNECT")
        case 2:
            let acknowledgeFlags = try body.byte("the acknowledge flags")
            let code = try body.byte("the return code")
            fields.append(LensField("sessionPresent", .bool(acknowledgeFlags & 0x01 != 0)))
            let meaning = isV5 ? reasonName(code) : connectReturnName(code)
            fields.append(LensField(isV5 ? "reasonCode" : "returnCode", .integer(Int64(code))))
            fields.append(LensField("reason", .string(meaning)))
            if isV5, !body.isAtEnd { fields.append(LensField("properties", try properties(&body))) }
            return LensView(
                summary: "CONNACK \(meaning)" + (acknowledgeFlags & 0x01 != 0 ? " session-present" : ""),
                fields: fields, correlation: LensCorrelation(id: "connect", role: .response), isError: code != 0)
        case 3:
            let qos = (flags >> 1) & 0x03
            let retain = flags & 0x01 != 0
            let duplicate = flags & 0x08 != 0
            if qos == 3 { return .doesNotParse("PUBLISH with QoS 3 (its flags say 11, which MQTT forbids)") }
            let topic = try body.string("the topic name")
            fields += [
                LensField("topic", .string(topic)), LensField("qos", .integer(Int64(qos))),
                LensField("retain", .bool(retain)), LensField("dup", .bool(duplicate)),
            ]
            var packetID: UInt16?
            if qos > 0 {
                let id = try body.uint16("the packet identifier")
                packetID = id
                fields.append(LensField("packetId", .integer(Int64(id))))
            }
            if isV5 { fields.append(LensField("properties", try properties(&body))) }
            let payload = body.rest()
            fields.append(LensField("payloadLength", .integer(Int64(payload.count))))
            let value = payloadValue(payload)
            fields.append(LensField("payload", value))
            var summary = "PUBLISH q\(qos) \(topic)"
            if let packetID { summary += " id=\(packetID)" }
            if retain { summary += " retain" }
            if duplicate { summary += " dup" }
            summary += " (\(payload.count) B)"
            if case .bytes = value {} else if !payload.isEmpty { summary += " " + value.json(limit: 60) }
            let correlation = packetID.map { LensCorrelation(id: "pub \($0)", role: .request) }
            return LensView(summary: summary, fields: fields, correlation: correlation, method: "PUBLISH \(topic)")
        case 4, 5, 6, 7:
            let id = try body.uint16("the packet identifier")
            fields.append(LensField("packetId", .integer(Int64(id))))
            var summary = "\(names[type]) id=\(id)"
            let code = isV5 ? try reason(&body, into: &fields) : nil
            let failed = (code ?? 0) >= 0x80
            if let code, code != 0 { summary += " \(reasonName(code))" }
            // PUBLISH (QoS 1) -> PUBACK; PUBLISH (QoS 2) -> PUBREC, then PUBREL -> PUBCOMP.
            let correlation: LensCorrelation
            switch type {
            case 6: correlation = LensCorrelation(id: "rel \(id)", role: .request)
            case 7: correlation = LensCorrelation(id: "rel \(id)", role: .response)
            default: correlation = LensCorrelation(id: "pub \(id)", role: .response)
            }
            return LensView(
                summary: summary, fields: fields, correlation: correlation, method: type == 6 ? "PUBREL" : nil,
                isError: failed)
        case 8, 10:
            let id = try body.uint16("the packet identifier")
            fields.append(LensField("packetId", .integer(Int64(id))))
            if isV5 { fields.append(LensField("properties", try properties(&body))) }
            var filters: [LensValue] = []
            var words: [String] = []
            while !body.isAtEnd {
                let filter = try body.string("a topic filter")
                if type == 8 {
                    let options = try body.byte("the subscription options")
                    var entry = [
                        LensField("topic", .string(filter)), LensField("qos", .integer(Int64(options & 0x03))),
                    ]
                    if isV5 {
                        entry += [
                            LensField("noLocal", .bool(options & 0x04 != 0)),
                            LensField("retainAsPublished", .bool(options & 0x08 != 0)),
                            LensField("retainHandling", .integer(Int64((options >> 4) & 0x03))),
                        ]
                    }
                    filters.append(.object(entry))
                    words.append("\(filter) q\(options & 0x03)")
                } else {
                    filters.append(.string(filter))
                    words.append(filter)
                }
            }
            fields.append(LensField("topics", .list(filters)))
            let key = type == 8 ? "sub" : "unsub"
            return LensView(
                summary: "\(names[type]) id=\(id) " + words.joined(separator: ", "), fields: fields,
                correlation: LensCorrelation(id: "\(key) \(id)", role: .request),
                method: "\(names[type]) " + words.joined(separator: ", "))
        case 9, 11:
            let id = try body.uint16("the packet identifier")
            fields.append(LensField("packetId", .integer(Int64(id))))
            if isV5 { fields.append(LensField("properties", try properties(&body))) }
            let codes = body.rest()
            let words = codes.map { code in
                type == 9 && code <= 2
                    ? "q\(code)" : (isV5 || type == 9 ? reasonName(code) : "0x" + LensValue.hex([code]))
            }
            fields.append(LensField("reasonCodes", .list(codes.map { .integer(Int64($0)) })))
            let key = type == 9 ? "sub" : "unsub"
            return LensView(
                summary: "\(names[type]) id=\(id)" + (words.isEmpty ? "" : " " + words.joined(separator: ", ")),
                fields: fields, correlation: LensCorrelation(id: "\(key) \(id)", role: .response),
                isError: codes.contains { $0 >= 0x80 })
        case 12:
            return LensView(
                summary: "PINGREQ", fields: fields, correlation: LensCorrelation(id: "ping", role: .request),
                method: "PINGREQ")
        case 13:
            return LensView(
                summary: "PINGRESP", fields: fields, correlation: LensCorrelation(id: "ping", role: .response))
        case 14, 15:
            var summary = names[type]
            let code = isV5 ? try reason(&body, into: &fields) : nil
            let failed = (code ?? 0) >= 0x80
            if let code { summary += " \(reasonName(code))" }
            return LensView(summary: summary, fields: fields, method: names[type], isError: failed)
        default:
            return .doesNotParse("packet type 0 is reserved")
        }
    }

    /// An MQTT 5 reason code and the properties after it, when the packet has them: added to `fields`.
    private static func reason(
        _ body: inout MQTTReader, into fields: inout [LensField]
    ) throws(MQTTReader.Short) -> UInt8? {
        guard !body.isAtEnd else { return nil }
        let code = try body.byte("the reason code")
        fields.append(LensField("reasonCode", .integer(Int64(code))))
        fields.append(LensField("reason", .string(reasonName(code))))
        if !body.isAtEnd { fields.append(LensField("properties", try properties(&body))) }
        return code
    }

    static func versionName(_ level: UInt8) -> String {
        switch level {
        case 3: return "3.1"
        case 4: return "3.1.1"
        case 5: return "5"
        default: return "level \(level)"
        }
    }

    /// A payload as JSON when it is JSON, as text when it is UTF-8, else as bytes.
    static func payloadValue(_ payload: [UInt8]) -> LensValue {
        if let first = payload.first(where: { !JSONLens.isSpace($0) }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let value = try? JSONText.parse(payload)
        {
            return value
        }
        if let text = String(validating: payload, as: UTF8.self) { return .string(text) }
        return .bytes(payload)
    }

    /// MQTT 3.1.1's CONNACK return codes.
    static func connectReturnName(_ code: UInt8) -> String {
        switch code {
        case 0: return "accepted"
        case 1: return "unacceptable protocol version"
        case 2: return "identifier rejected"
        case 3: return "server unavailable"
        case 4: return "bad user name or password"
        case 5: return "not authorized"
        default: return "return code \(code)"
        }
    }

    /// MQTT 5's reason codes (section 2.4), the common ones by name.
    static func reasonName(_ code: UInt8) -> String {
        switch code {
        case 0x00: return "success"
        case 0x01: return "granted QoS 1"
        case 0x02: return "granted QoS 2"
        case 0x04: return "disconnect with will message"
        case 0x10: return "no matching subscribers"
        case 0x11: return "no subscription existed"
        case 0x18: return "continue authentication"
        case 0x19: return "re-authenticate"
        case 0x80: return "unspecified error"
        case 0x81: return "malformed packet"
        case 0x82: return "protocol error"
        case 0x83: return "implementation specific error"
        case 0x84: return "unsupported protocol version"
        case 0x85: return "client identifier not valid"
        case 0x86: return "bad user name or password"
        case 0x87: return "not authorized"
        case 0x88: return "server unavailable"
        case 0x89: return "server busy"
        case 0x8A: return "banned"
        case 0x8B: return "server shutting down"
        case 0x8C: return "bad authentication method"
        case 0x8D: return "keep alive timeout"
        case 0x8E: return "session taken over"
        case 0x8F: return "topic filter invalid"
        case 0x90: return "topic name invalid"
        case 0x91: return "packet identifier in use"
        case 0x92: return "packet identifier not found"
        case 0x93: return "receive maximum exceeded"
        case 0x94: return "topic alias invalid"
        case 0x95: return "packet too large"
        case 0x96: return "message rate too high"
        case 0x97: return "quota exceeded"
        case 0x98: return "administrative action"
        case 0x99: return "payload format invalid"
        case 0x9A: return "retain not supported"
        case 0x9B: return "QoS not supported"
        case 0x9C: return "use another server"
        case 0x9D: return "server moved"
        case 0x9E: return "shared subscriptions not supported"
        case 0x9F: return "connection rate exceeded"
        case 0xA0: return "maximum connect time"
        case 0xA1: return "subscription identifiers not supported"
        case 0xA2: return "wildcard subscriptions not supported"
        default: return "reason 0x" + LensValue.hex([code])
        }
    }

    /// MQTT 5's properties (section 2.2.2): a length, then identifier and value pairs, as an object in the
    /// order they came (a user property as `userProperty: [name, value]`, as often as it comes).
    static func properties(_ reader: inout MQTTReader) throws(MQTTReader.Short) -> LensValue {
        let length = try reader.variableInteger("the properties' length")
        var inner = MQTTReader(ArraySlice(try reader.take(length, "the properties")))
        var fields: [LensField] = []
        while !inner.isAtEnd {
            let identifier = try inner.variableInteger("a property identifier")
            guard let (name, kind) = propertyTable[identifier] else {
                fields.append(LensField("unknownProperty\(identifier)", .bytes(inner.rest())))
                break
            }
            let value: LensValue
            switch kind {
            case .byte: value = .integer(Int64(try inner.byte(name)))
            case .two: value = .integer(Int64(try inner.uint16(name)))
            case .four: value = .integer(Int64(try inner.uint32(name)))
            case .variable: value = .integer(Int64(try inner.variableInteger(name)))
            case .string: value = .string(try inner.string(name))
            case .binary: value = .bytes(try inner.binary(name))
            case .pair: value = .list([.string(try inner.string(name)), .string(try inner.string(name))])
            }
            fields.append(LensField(name, value))
        }
        return .object(fields)
    }

    enum PropertyKind {
        case byte, two, four, variable, string, binary, pair
    }

    static let propertyTable: [Int: (String, PropertyKind)] = [
        0x01: ("payloadFormatIndicator", .byte), 0x02: ("messageExpiryInterval", .four),
        0x03: ("contentType", .string), 0x08: ("responseTopic", .string), 0x09: ("correlationData", .binary),
        0x0B: ("subscriptionIdentifier", .variable), 0x11: ("sessionExpiryInterval", .four),
        0x12: ("assignedClientIdentifier", .string), 0x13: ("serverKeepAlive", .two),
        0x15: ("authenticationMethod", .string), 0x16: ("authenticationData", .binary),
        0x17: ("requestProblemInformation", .byte), 0x18: ("willDelayInterval", .four),
        0x19: ("requestResponseInformation", .byte), 0x1A: ("responseInformation", .string),
        0x1C: ("serverReference", .string), 0x1F: ("reasonString", .string), 0x21: ("receiveMaximum", .two),
        0x22: ("topicAliasMaximum", .two), 0x23: ("topicAlias", .two), 0x24: ("maximumQoS", .byte),
        0x25: ("retainAvailable", .byte), 0x26: ("userProperty", .pair), 0x27: ("maximumPacketSize", .four),
        0x28: ("wildcardSubscriptionAvailable", .byte), 0x29: ("subscriptionIdentifierAvailable", .byte),
        0x2A: ("sharedSubscriptionAvailable", .byte),
    ]
}

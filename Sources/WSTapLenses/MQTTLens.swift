import WSTapCore

/// MQTT 3.1, 3.1.1 and 5.0 over WebSocket (binary messages; a packet may span messages and a message may
/// hold several packets): every packet type with its fields, MQTT 5's properties, a PUBLISH's payload as
/// JSON or text when it is. The packet identifier pairs PUBLISH (QoS 1) with PUBACK, PUBLISH (QoS 2) with
/// PUBREC and PUBREL with PUBCOMP, SUBSCRIBE with SUBACK, UNSUBSCRIBE with UNSUBACK; CONNECT pairs with
/// CONNACK and PINGREQ with PINGRESP.
public struct MQTTLens: Lens {
    /// `mqtt`.
    public let name = "mqtt"

    /// The largest packet the lens waits for (MQTT allows 256 MiB; beyond this the bytes are dropped).
    static let largestPacket = 16 << 20

    /// The lens.
    public init() {}

    /// `mqtt`, `mqttv3.1`, `mqttv5` and the like.
    public func claims(subprotocol: String) -> Bool {
        subprotocol.lowercased().hasPrefix("mqtt")
    }

    /// A binary message that starts with a CONNECT naming `MQTT` (or `MQIsdp`, 3.1).
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard !message.isText, message.bytes.first == 0x10 else { return false }
        var reader = MQTTReader(message.bytes[1...])
        guard (try? reader.variableInteger()) != nil, let protocolName = try? reader.string() else { return false }
        return protocolName == "MQTT" || protocolName == "MQIsdp"
    }

    /// A decoder for a connection: MQTT 3.1.1 until a CONNECT says otherwise.
    public func decoder(for connection: LensConnection) -> any LensDecoder {
        Decoder()
    }

    struct Decoder: LensDecoder {
        /// The protocol level the CONNECT named: 3 (3.1), 4 (3.1.1) or 5.
        var level: UInt8 = 4
        /// The start of a packet that continues in the next message, per direction.
        var pending: [TrafficDirection: [UInt8]] = [:]

        mutating func decode(_ message: LensMessage) -> [LensView] {
            guard !message.isText else {
                return [.doesNotParse("a text message: MQTT over WebSocket sends binary messages only")]
            }
            var bytes = pending[message.direction, default: []]
            bytes.append(contentsOf: message.bytes)
            pending[message.direction] = nil
            var views: [LensView] = []
            var start = 0
            while start < bytes.count {
                switch MQTTLens.packetLength(bytes[start...]) {
                case .incomplete:
                    if bytes.count - start > MQTTLens.largestPacket {
                        views.append(.doesNotParse("a packet larger than \(MQTTLens.largestPacket) bytes"))
                    } else {
                        pending[message.direction] = Array(bytes[start...])
                    }
                    return views
                case .malformed(let why):
                    views.append(.doesNotParse(why))
                    return views
                case .length(let length):
                    let packet = bytes[start..<(start + length)]
                    views.append(MQTTPacket.view(packet, level: &level, direction: message.direction))
                    start += length
                }
            }
            return views
        }

        /// A message cut short: the packets in it are lost, and what waited for them too.
        mutating func cut(_ message: LensMessage) -> [LensView] {
            pending[message.direction] = nil
            return [.doesNotParse("only the start of the message was kept (the capture limit)")]
        }
    }

    enum PacketLength {
        case length(Int)
        case incomplete
        case malformed(String)
    }

    /// How long the packet at the start of `bytes` is (fixed header included), if all of it is there.
    static func packetLength(_ bytes: ArraySlice<UInt8>) -> PacketLength {
        var remaining = 0
        var multiplier = 1
        var index = bytes.startIndex + 1
        for step in 0..<4 {
            guard index < bytes.endIndex else { return .incomplete }
            let byte = bytes[index]
            remaining += Int(byte & 0x7F) * multiplier
            multiplier *= 128
            index += 1
            if byte & 0x80 == 0 { break }
            if step == 3 { return .malformed("the remaining length takes more than 4 bytes") }
        }
        let total = index - bytes.startIndex + remaining
        return bytes.count >= total ? .length(total) : .incomplete
    }
}

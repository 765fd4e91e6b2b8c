import Testing
import WSTapCore
import WSTapLenses

/// The MQTT lens on sessions captured from paho-mqtt and amqtt (Fixtures), whole and cut at every byte.
@Suite struct MQTTLensTests {
    static func summaries(_ messages: [LensMessage]) -> [String] {
        let run = LensRun(MQTTLens(), subprotocol: "mqtt")
        return messages.flatMap { run.decode($0) }.map(\.summary)
    }

    @Test func everyPacketOfAn311Session() {
        #expect(
            Self.summaries(Fixtures.mqtt311) == [
                "CONNECT 3.1.1 client=lens-v311 keepalive=60 will=status/lens user=user clean",
                "CONNACK accepted",
                "SUBSCRIBE id=1 sensors/# q1",
                "SUBACK id=1 q1",
                #"PUBLISH q1 sensors/t1 id=2 (10 B) {"t":21.5}"#,
                "PUBACK id=2",
                #"PUBLISH q2 sensors/t2 id=3 (5 B) "hello""#,
                #"PUBLISH q1 sensors/t1 id=1 (10 B) {"t":21.5}"#,
                "PUBACK id=1",
                "PUBREC id=3",
                "PUBREL id=3",
                "PUBCOMP id=3",
                "PUBLISH q0 sensors/t3 retain (3 B)",
                #"PUBLISH q1 sensors/t2 id=2 (5 B) "hello""#,
                "PUBLISH q1 sensors/t3 id=3 (3 B)",
                "PUBACK id=2",
                "PUBACK id=3",
                "UNSUBSCRIBE id=5 sensors/#",
                "UNSUBACK id=5",
                "PINGREQ",
                "PINGRESP",
                "DISCONNECT",
            ])
    }

    @Test func fieldsAndExchangesOf311Packets() throws {
        let run = LensRun(MQTTLens())
        let views = Fixtures.mqtt311.flatMap { run.decode($0) }
        let connect = views[0]
        #expect(connect.fields["clientId"] == .string("lens-v311"))
        #expect(connect.fields["will"]?["payload"] == .string("gone"))
        #expect(connect.fields["will"]?["qos"] == .integer(1))
        #expect(connect.fields["will"]?["retain"] == .bool(true))
        #expect(connect.fields["passwordLength"] == .integer(2))
        #expect(connect.correlation == LensCorrelation(id: "connect", role: .request))
        #expect(views[1].correlation == LensCorrelation(id: "connect", role: .response))
        #expect(views[2].correlation == LensCorrelation(id: "sub 1", role: .request))
        #expect(views[3].correlation == LensCorrelation(id: "sub 1", role: .response))
        #expect(views[4].fields["payload"] == .object([LensField("t", .number("21.5"))]))
        #expect(views[4].correlation == LensCorrelation(id: "pub 2", role: .request))
        #expect(views[5].correlation == LensCorrelation(id: "pub 2", role: .response))
        #expect(views[9].correlation == LensCorrelation(id: "pub 3", role: .response))  // PUBREC
        #expect(views[10].correlation == LensCorrelation(id: "rel 3", role: .request))  // PUBREL
        #expect(views[11].correlation == LensCorrelation(id: "rel 3", role: .response))  // PUBCOMP
        #expect(views[12].fields["payload"] == .bytes([0x00, 0x01, 0xFF]))
        #expect(views[12].correlation == nil)
        #expect(views[19].correlation == LensCorrelation(id: "ping", role: .request))
        #expect(views[20].correlation == LensCorrelation(id: "ping", role: .response))
    }

    @Test func mqtt5PropertiesAndOptions() throws {
        let run = LensRun(MQTTLens())
        let views = Fixtures.mqtt5.flatMap { run.decode($0) }
        #expect(
            views.map(\.summary).prefix(6) == [
                "CONNECT 5 client=lens-v5 keepalive=60 will=status/lens user=user clean",
                "CONNACK success",
                "SUBSCRIBE id=1 sensors/# q1",
                "SUBACK id=1 q1",
                #"PUBLISH q1 sensors/t1 id=2 (10 B) {"t":21.5}"#,
                "PUBACK id=2",
            ])
        #expect(views[0].fields["properties"] == .object([LensField("sessionExpiryInterval", .integer(60))]))
        #expect(views[0].fields["will"]?["properties"] == .object([]))
        #expect(
            views[1].fields["properties"]
                == .object([LensField("receiveMaximum", .integer(20)), LensField("topicAliasMaximum", .integer(16))]))
        let topics = try #require(views[2].fields["topics"]?.listValue)
        #expect(topics.first?["noLocal"] == .bool(true))
        #expect(
            views[4].fields["properties"]
                == .object([
                    LensField("messageExpiryInterval", .integer(30)),
                    LensField("contentType", .string("application/json")),
                    LensField("userProperty", .list([.string("k"), .string("v")])),
                ]))
    }

    /// Packets split across messages at every byte, and all packets of one direction in one message, read
    /// the same as one packet per message.
    @Test func packetsSpanningAndSharingMessages() {
        let expected = Self.summaries(Fixtures.mqtt311)
        let clientBytes = Fixtures.mqtt311.filter { $0.direction == .clientToServer }.flatMap(\.bytes)
        let together = Self.summaries([.binary(clientBytes, .clientToServer)])
        let clientPackets = Self.summaries(Fixtures.mqtt311.filter { $0.direction == .clientToServer })
        #expect(together == clientPackets)
        for cut in 1..<clientBytes.count {
            let split = Self.summaries([
                .binary(Array(clientBytes[..<cut]), .clientToServer),
                .binary(Array(clientBytes[cut...]), .clientToServer),
            ])
            #expect(split == clientPackets, "cut at \(cut)")
        }
        #expect(expected.count == 22)
    }

    @Test func whatDoesNotParseSaysWhy() {
        let run = LensRun(MQTTLens())
        #expect(run.one(.text("hello", .clientToServer))?.problem?.contains("binary messages only") == true)
        #expect(
            run.one(.binary([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], .clientToServer))?.problem?.contains("4 bytes")
                == true)
        // A SUBACK whose packet id is cut short by its own length.
        #expect(
            run.one(.binary([0x90, 0x01, 0x00], .serverToClient))?.problem
                == "SUBACK: the packet ends inside the packet identifier")
        #expect(run.one(.binary([0x00, 0x00], .serverToClient))?.problem == "packet type 0 is reserved")
        #expect(run.one(.binary([0x36, 0x03, 0x00, 0x01, 0x61], .serverToClient))?.problem?.contains("QoS 3") == true)
    }

    @Test func recognisedBySubprotocolOrFirstPacket() throws {
        #expect(MQTTLens().claims(subprotocol: "mqtt"))
        #expect(MQTTLens().claims(subprotocol: "mqttv3.1"))
        #expect(!MQTTLens().claims(subprotocol: "graphql-ws"))
        #expect(MQTTLens().claims(firstMessage: Fixtures.mqtt311[0]))
        #expect(MQTTLens().claims(firstMessage: Fixtures.mqtt5[0]))
        #expect(!MQTTLens().claims(firstMessage: Fixtures.mqtt311[2]))
    }
}

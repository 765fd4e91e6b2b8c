import WSTapCore
import WSTapLenses

/// Byte sequences made by the real libraries, kept as fixtures.
enum Fixtures {
    /// Made by python-socketio 5.18.1 and python-engineio 4.15.1 (scripts/test-peers-requirements.txt) with their
    /// own encoders: `engineio.packet.Packet(...).encode()` and `socketio.packet.Packet(...).encode()` ("4" put in
    /// front, as engine.io does for a message); binary packets encode to the text and then their attachments.
    static let socketIO: [String: LensMessage] = [
        "eio-open": .text(
            "0{\"sid\":\"lv3Xk2c\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
            .clientToServer),
        "eio-ping": .text("2", .clientToServer),
        "eio-pong": .text("3", .clientToServer),
        "eio-ping-probe": .text("2probe", .clientToServer),
        "eio-upgrade": .text("5", .clientToServer),
        "eio-noop": .text("6", .clientToServer),
        "eio-close": .text("1", .clientToServer),
        "sio-connect": .text("40", .clientToServer),
        "sio-connect-chat-auth": .text("40/chat,{\"token\":\"abc\"}", .clientToServer),
        "sio-connect-reply": .text("40/chat,{\"sid\":\"Qx1\"}", .clientToServer),
        "sio-connect-error": .text("44/admin,{\"message\":\"Not authorized\"}", .clientToServer),
        "sio-event": .text("42[\"chat\",{\"m\":\"hi\"}]", .clientToServer),
        "sio-event-ack": .text("4212[\"add\",1,2]", .clientToServer),
        "sio-event-ns-ack": .text("42/chat,3[\"join\",\"room1\"]", .clientToServer),
        "sio-ack": .text("4312[3]", .clientToServer),
        "sio-ack-ns": .text("43/chat,3[\"ok\"]", .clientToServer),
        "sio-disconnect-ns": .text("41/chat,", .clientToServer),
        "sio-binary-event": .text(
            "452-7[\"upload\",{\"name\":\"a.bin\",\"data\":{\"_placeholder\":true,\"num\":0}},{\"_placeholder\":true,\"num\":1}]",
            .clientToServer),
        "sio-binary-event-attachment0": .binary(Fixtures.bytes("010203"), .clientToServer),
        "sio-binary-event-attachment1": .binary(Fixtures.bytes("ff00"), .clientToServer),
        "sio-binary-ack": .text("461-/chat,4[{\"_placeholder\":true,\"num\":0}]", .clientToServer),
        "sio-binary-ack-attachment0": .binary(Fixtures.bytes("dead"), .clientToServer),
    ]

    /// One MQTT 3.1.1 session, packet by packet as they passed: paho-mqtt 2.2.0 (client) and amqtt 0.12.1
    /// (broker) over TCP through a relay that logged each direction (MQTT packets are the same bytes inside
    /// WebSocket messages). The client connects with a will and a user, subscribes `sensors/#` q1, publishes
    /// q1, q2 and q0 retained, receives its publications back, unsubscribes, pings and disconnects.
    static let mqtt311: [LensMessage] = [
        .binary(
            Fixtures.bytes(
                "103200044d51545404ee003c00096c656e732d76333131000b7374617475732f6c656e730004676f6e6500047573657200027077"
            ), .clientToServer),
        .binary(Fixtures.bytes("20020000"), .serverToClient),
        .binary(Fixtures.bytes("820e0001000973656e736f72732f2301"), .clientToServer),
        .binary(Fixtures.bytes("9003000101"), .serverToClient),
        .binary(Fixtures.bytes("3218000a73656e736f72732f743100027b2274223a32312e357d"), .clientToServer),
        .binary(Fixtures.bytes("40020002"), .serverToClient),
        .binary(Fixtures.bytes("3413000a73656e736f72732f7432000368656c6c6f"), .clientToServer),
        .binary(Fixtures.bytes("3218000a73656e736f72732f743100017b2274223a32312e357d"), .serverToClient),
        .binary(Fixtures.bytes("40020001"), .clientToServer),
        .binary(Fixtures.bytes("50020003"), .serverToClient),
        .binary(Fixtures.bytes("62020003"), .clientToServer),
        .binary(Fixtures.bytes("70020003"), .serverToClient),
        .binary(Fixtures.bytes("310f000a73656e736f72732f74330001ff"), .clientToServer),
        .binary(Fixtures.bytes("3213000a73656e736f72732f7432000268656c6c6f"), .serverToClient),
        .binary(Fixtures.bytes("3211000a73656e736f72732f743300030001ff"), .serverToClient),
        .binary(Fixtures.bytes("40020002"), .clientToServer),
        .binary(Fixtures.bytes("40020003"), .clientToServer),
        .binary(Fixtures.bytes("a20d0005000973656e736f72732f23"), .clientToServer),
        .binary(Fixtures.bytes("b0020005"), .serverToClient),
        .binary(Fixtures.bytes("c000"), .clientToServer),
        .binary(Fixtures.bytes("d000"), .serverToClient),
        .binary(Fixtures.bytes("e000"), .clientToServer),
    ]

    /// An MQTT 5 session: the client packets are paho-mqtt 2.2.0's (protocol MQTTv5: CONNECT with a session
    /// expiry property, SUBSCRIBE with no-local, PUBLISH q1 with content type, user property and expiry);
    /// amqtt speaks 3.1.1 only, so the server's answers are made by hand per MQTT 5.0 section 3 (CONNACK with
    /// receive maximum 20 and topic alias maximum 16, SUBACK granting QoS 1, PUBACK, PINGRESP).
    static let mqtt5: [LensMessage] = [
        .binary(
            Fixtures.bytes(
                "103700044d51545405ee003c05110000003c00076c656e732d763500000b7374617475732f6c656e730004676f6e6500047573657200027077"
            ), .clientToServer),
        .binary(Fixtures.bytes("2009000006210014220010"), .serverToClient),
        .binary(Fixtures.bytes("820f000100000973656e736f72732f2305"), .clientToServer),
        .binary(Fixtures.bytes("900400010001"), .serverToClient),
        .binary(
            Fixtures.bytes(
                "3238000a73656e736f72732f743100021f020000001e0300106170706c69636174696f6e2f6a736f6e2600016b0001767b2274223a32312e357d"
            ), .clientToServer),
        .binary(Fixtures.bytes("40020002"), .serverToClient),
        .binary(Fixtures.bytes("c000"), .clientToServer),
        .binary(Fixtures.bytes("d000"), .serverToClient),
        .binary(Fixtures.bytes("e000"), .clientToServer),
    ]

    /// The bytes written in hex.
    static func bytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var digits = hex.makeIterator()
        while let high = digits.next(), let low = digits.next() {
            bytes.append(UInt8(String([high, low]), radix: 16) ?? 0)
        }
        return bytes
    }
}

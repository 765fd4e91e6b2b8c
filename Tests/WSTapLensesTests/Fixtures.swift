import WSTapCore
import WSTapLenses
import WSTapTestSupport

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
        HexFixture.bytes(hex)
    }
}

extension Fixtures {
    /// STOMP frames made by stomper 0.4.3 (PyPI; a transport-neutral STOMP client): `Frame().pack()` and its
    /// `subscribe`, `send`, `ack`, `unsubscribe` and `disconnect` helpers. (Its DISCONNECT has no blank line
    /// after the headers, which STOMP asks for: the lens reads it anyway.)
    static let stomp: [String: LensMessage] = [
        "stomp-connect": .text(
            "CONNECT\naccept-version:1.2\nheart-beat:10000,10000\nhost:localhost\n\n\0\n", .clientToServer),
        "stomp-connected": .text("CONNECTED\nheart-beat:0,0\nserver:lens/1\nversion:1.2\n\n\0\n", .clientToServer),
        "stomp-subscribe": .text("SUBSCRIBE\nid:sub-0\ndestination:/queue/a\nack:client\n\n\0\n", .clientToServer),
        "stomp-send": .text(
            "SEND\ndestination:/queue/a\ncontent-type:application/json\n\n{\"n\":1}\0\n", .clientToServer),
        "stomp-send-receipt": .text("SEND\ndestination:/queue/a\nreceipt:r-7\n\nhello\0\n", .clientToServer),
        "stomp-receipt": .text("RECEIPT\nreceipt-id:r-7\n\n\0\n", .clientToServer),
        "stomp-message": .text(
            "MESSAGE\nack:a-1\ndestination:/queue/a\nmessage-id:m-1\nsubscription:sub-0\n\n{\"n\":1}\0\n",
            .clientToServer),
        "stomp-ack": .text("ACK\nsubscription:sub-0\nmessage-id:a-1\n\n\0\n", .clientToServer),
        "stomp-error": .text("ERROR\nmessage:malformed frame\n\ndetails\0\n", .clientToServer),
        "stomp-unsubscribe": .text("UNSUBSCRIBE\nid:sub-0\n\n\0\n", .clientToServer),
        "stomp-disconnect": .text("DISCONNECT\nreceipt:50e4a5e0-207b-4396-a898-1b777b3169fe\n\0\n", .clientToServer),
    ]

    /// SignalR JSON hub protocol records made by signalrcore 1.0.2 (PyPI): `JsonHubProtocol().encode(...)` of
    /// its message classes. (It writes `allow_reconnect` in a close where the specification says
    /// `allowReconnect`, and `"invocationId": null` for an invocation without an answer.)
    static let signalR: [String: LensMessage] = [
        "signalr-handshake": .text("{\"protocol\": \"json\", \"version\": 1}\u{1E}", .clientToServer),
        "signalr-invocation": .text(
            "{\"type\": 1, \"headers\": {}, \"target\": \"Add\", \"arguments\": [1, 2], \"invocationId\": \"1\"}\u{1E}",
            .clientToServer),
        "signalr-invocation-noid": .text(
            "{\"type\": 1, \"headers\": {}, \"target\": \"Send\", \"arguments\": [\"hi\"], \"invocationId\": null}\u{1E}",
            .clientToServer),
        "signalr-stream-invocation": .text(
            "{\"type\": 4, \"headers\": {}, \"target\": \"Counter\", \"arguments\": [3], \"invocationId\": \"2\", \"streamIds\": []}\u{1E}",
            .clientToServer),
        "signalr-stream-item": .text(
            "{\"type\": 2, \"headers\": {}, \"item\": 0, \"invocationId\": \"2\"}\u{1E}", .clientToServer),
        "signalr-completion": .text(
            "{\"type\": 3, \"headers\": {}, \"result\": 3, \"error\": null, \"invocationId\": \"1\"}\u{1E}",
            .clientToServer),
        "signalr-completion-error": .text(
            "{\"type\": 3, \"headers\": {}, \"result\": null, \"error\": \"boom\", \"invocationId\": \"2\"}\u{1E}",
            .clientToServer),
        "signalr-cancel": .text("{\"type\": 5, \"headers\": {}, \"invocationId\": \"2\"}\u{1E}", .clientToServer),
        "signalr-ping": .text("{\"type\": 6}\u{1E}", .clientToServer),
        "signalr-close": .text(
            "{\"type\": 7, \"headers\": {}, \"error\": \"server going away\", \"allow_reconnect\": true}\u{1E}",
            .clientToServer),
    ]
}

import WSTapCore
import WSTapLenses
import WSTapTestSupport
import WSTapUI

/// Sessions of application protocols for the lens screens: the messages are those the protocols' own
/// libraries make (Tests/WSTapLensesTests/Fixtures.swift says how they were made).
enum LensSessions {
    /// The proxy's screen of `columns` × `rows` after `script`'s traffic (the clock ticking between events
    /// unless `ticks` is false), lenses as `lenses` says.
    static func session(
        _ script: TrafficScript, _ columns: Int = 120, _ rows: Int = 40, lenses: LensReader.Choice = .automatic,
        ticks: Bool = true
    ) -> UIState {
        var state = UIState(
            mode: .proxy, listenAddress: "127.0.0.1:8080", upstream: "ws://127.0.0.1:9001",
            size: ScreenSize(columns: columns, rows: rows), lenses: lenses)
        Sessions.apply(&state, script, ticks: ticks)
        return state
    }

    /// The sessions by the name of their golden screens (`lens-NAME`).
    static var named: [String: TrafficScript] {
        [
            "socketio": socketIO, "mqtt": mqtt, "graphql": graphQL, "jsonrpc": jsonRPC, "stomp": stomp,
            "signalr": signalR, "phoenix": phoenix, "actioncable": actionCable, "binary": binaryLenses,
        ]
    }

    /// STOMP 1.2 (subprotocol `v12.stomp`; frames as stomper 0.4.3 packs them): connect, subscribe, a send
    /// with a receipt and its receipt, a message and its ack.
    static var stomp: TrafficScript {
        var script = TrafficScript()
        script.open(5, subprotocol: "v12.stomp", target: "ws://127.0.0.1:9001/stomp", path: "/stomp")
        texts(
            5,
            [
                (.clientToServer, "CONNECT\naccept-version:1.2\nheart-beat:10000,10000\nhost:localhost\n\n\0\n"),
                (.serverToClient, "CONNECTED\nheart-beat:0,0\nserver:lens/1\nversion:1.2\n\n\0\n"),
                (.clientToServer, "SUBSCRIBE\nid:sub-0\ndestination:/queue/a\nack:client\n\n\0\n"),
                (.clientToServer, "SEND\ndestination:/queue/a\nreceipt:r-7\n\nhello\0\n"),
                (.serverToClient, "RECEIPT\nreceipt-id:r-7\n\n\0\n"),
                (
                    .serverToClient,
                    "MESSAGE\nack:a-1\ndestination:/queue/a\nmessage-id:m-1\nsubscription:sub-0\n\n{\"n\":1}\0\n"
                ),
                (.clientToServer, "ACK\nsubscription:sub-0\nmessage-id:a-1\n\n\0\n"),
            ], to: &script)
        return script
    }

    /// SignalR's JSON hub protocol (records as signalrcore 1.0.2 encodes them): the handshake, an
    /// invocation and its completion, a stream and its items, a ping.
    static var signalR: TrafficScript {
        var script = TrafficScript()
        script.open(6, target: "ws://127.0.0.1:9001/chathub?id=x", path: "/chathub?id=x")
        texts(
            6,
            [
                (.clientToServer, "{\"protocol\": \"json\", \"version\": 1}\u{1E}"),
                (.serverToClient, "{}\u{1E}"),
                (
                    .clientToServer,
                    "{\"type\": 1, \"headers\": {}, \"target\": \"Add\", \"arguments\": [1, 2], \"invocationId\": \"1\"}\u{1E}"
                ),
                (
                    .serverToClient,
                    "{\"type\": 3, \"headers\": {}, \"result\": 3, \"error\": null, \"invocationId\": \"1\"}\u{1E}"
                ),
                (
                    .clientToServer,
                    "{\"type\": 4, \"headers\": {}, \"target\": \"Counter\", \"arguments\": [3], \"invocationId\": \"2\", \"streamIds\": []}\u{1E}"
                ),
                (.serverToClient, "{\"type\": 2, \"headers\": {}, \"item\": 0, \"invocationId\": \"2\"}\u{1E}"),
                (.serverToClient, "{\"type\": 6}\u{1E}"),
            ], to: &script)
        return script
    }

    /// Phoenix channels, serializer v2 (arrays): a join and its reply, a push and its reply, a broadcast.
    static var phoenix: TrafficScript {
        var script = TrafficScript()
        script.open(
            7, target: "ws://127.0.0.1:9001/socket/websocket?vsn=2.0.0", path: "/socket/websocket?vsn=2.0.0")
        texts(
            7,
            [
                (.clientToServer, "[\"1\",\"1\",\"room:lobby\",\"phx_join\",{}]"),
                (.serverToClient, "[\"1\",\"1\",\"room:lobby\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]"),
                (.clientToServer, "[\"1\",\"2\",\"room:lobby\",\"new_msg\",{\"body\":\"hi\"}]"),
                (.serverToClient, "[\"1\",\"2\",\"room:lobby\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]"),
                (.serverToClient, "[null,null,\"room:lobby\",\"new_msg\",{\"body\":\"hi\"}]"),
            ], to: &script)
        return script
    }

    /// Action Cable (subprotocol `actioncable-v1-json`): welcome, a subscription and its confirmation, an
    /// action, a broadcast, a ping.
    static var actionCable: TrafficScript {
        var script = TrafficScript()
        script.open(8, subprotocol: "actioncable-v1-json", target: "ws://127.0.0.1:9001/cable", path: "/cable")
        let identifier = #"{\"channel\":\"ChatChannel\",\"room\":\"1\"}"#
        texts(
            8,
            [
                (.serverToClient, #"{"type":"welcome"}"#),
                (.clientToServer, #"{"command":"subscribe","identifier":"\#(identifier)"}"#),
                (.serverToClient, #"{"identifier":"\#(identifier)","type":"confirm_subscription"}"#),
                (
                    .clientToServer,
                    #"{"command":"message","identifier":"\#(identifier)","data":"{\"action\":\"speak\",\"text\":\"hi\"}"}"#
                ),
                (.serverToClient, #"{"identifier":"\#(identifier)","message":{"text":"hi"}}"#),
                (.serverToClient, #"{"type":"ping","message":1764084227}"#),
            ], to: &script)
        return script
    }

    /// Binary lenses by subprotocol: MessagePack (`{"a":1,"b":[true,"x"]}`), CBOR (the same value), and
    /// protobuf without a schema (field 1 = 150, field 2 = "hi").
    static var binaryLenses: TrafficScript {
        var script = TrafficScript()
        script.open(9, subprotocol: "messagepack", target: "ws://127.0.0.1:9001/mp", path: "/mp")
        script.frame(9, .clientToServer, FrameSpec(opcode: .binary, payload: bytes("82a16101a16292c3a178")))
        script.open(10, subprotocol: "wamp.2.cbor", target: "ws://127.0.0.1:9001/cbor", path: "/cbor")
        script.frame(10, .clientToServer, FrameSpec(opcode: .binary, payload: bytes("a2616101616282f56178")))
        script.open(11, subprotocol: "v1.protobuf.chat", target: "ws://127.0.0.1:9001/pb", path: "/pb")
        script.frame(11, .clientToServer, FrameSpec(opcode: .binary, payload: bytes("08960112026869")))
        return script
    }

    /// Text messages on connection `connection`, in order.
    private static func texts(
        _ connection: UInt64, _ messages: [(TrafficDirection, String)], to script: inout TrafficScript
    ) {
        for (direction, text) in messages { script.text(connection, direction, text) }
    }

    /// python-socketio: the Engine.IO open, a namespace connect, an event, an event with an ack and its
    /// ack, a ping and pong, a binary event with its attachment, and an event whose ack never comes.
    static var socketIO: TrafficScript {
        var script = TrafficScript()
        script.open(
            1, target: "ws://127.0.0.1:9001/socket.io/?EIO=4&transport=websocket",
            path: "/socket.io/?EIO=4&transport=websocket")
        texts(
            1,
            [
                (
                    .serverToClient,
                    "0{\"sid\":\"lv3Xk2c\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"
                ),
                (.clientToServer, "40/chat,{\"token\":\"abc\"}"),
                (.serverToClient, "40/chat,{\"sid\":\"Qx1\"}"),
                (.clientToServer, "42[\"chat\",{\"m\":\"hi\"}]"),
                (.clientToServer, "4212[\"add\",1,2]"),
                (.serverToClient, "2"),
                (.clientToServer, "3"),
                (.serverToClient, "4312[3]"),
                (.clientToServer, "451-[\"upload\",{\"_placeholder\":true,\"num\":0}]"),
            ], to: &script)
        script.frame(1, .clientToServer, FrameSpec(opcode: .binary, payload: [0x01, 0x02, 0x03]))
        script.text(1, .clientToServer, "4213[\"slow\"]")
        return script
    }

    /// paho-mqtt against amqtt (MQTT 3.1.1, subprotocol `mqtt`): connect, subscribe, a QoS 1 publish and
    /// its ack, a QoS 2 publish, a retained QoS 0 one, a ping.
    static var mqtt: TrafficScript {
        var script = TrafficScript()
        script.open(2, subprotocol: "mqtt", target: "ws://127.0.0.1:9001/mqtt", path: "/mqtt")
        let packets: [(TrafficDirection, String)] = [
            (
                .clientToServer,
                "103200044d51545404ee003c00096c656e732d76333131000b7374617475732f6c656e730004676f6e6500047573657200027077"
            ),
            (.serverToClient, "20020000"),
            (.clientToServer, "820e0001000973656e736f72732f2301"),
            (.serverToClient, "9003000101"),
            (.clientToServer, "3218000a73656e736f72732f743100027b2274223a32312e357d"),
            (.serverToClient, "40020002"),
            (.clientToServer, "3413000a73656e736f72732f7432000368656c6c6f"),
            (.serverToClient, "50020003"),
            (.clientToServer, "310f000a73656e736f72732f74330001ff"),
            (.clientToServer, "c000"),
            (.serverToClient, "d000"),
        ]
        for (direction, hex) in packets {
            script.frame(2, direction, FrameSpec(opcode: .binary, payload: bytes(hex)))
        }
        return script
    }

    /// graphql-transport-ws: init and ack, a subscription with variables, two items, its completion, and
    /// an operation that fails.
    static var graphQL: TrafficScript {
        var script = TrafficScript()
        script.open(3, subprotocol: "graphql-transport-ws", target: "ws://127.0.0.1:9001/graphql", path: "/graphql")
        texts(
            3,
            [
                (.clientToServer, "{\"type\":\"connection_init\",\"payload\":{}}"),
                (.serverToClient, "{\"type\":\"connection_ack\"}"),
                (
                    .clientToServer,
                    "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription Ticks($n: Int!) { count(to: $n) }\",\"variables\":{\"n\":2}}}"
                ),
                (.serverToClient, "{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"count\":1}}}"),
                (.serverToClient, "{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"count\":2}}}"),
                (.serverToClient, "{\"id\":\"1\",\"type\":\"complete\"}"),
                (
                    .clientToServer,
                    "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"query Fail { boom }\"}}"
                ),
                (
                    .serverToClient,
                    "{\"id\":\"2\",\"type\":\"error\",\"payload\":[{\"message\":\"Cannot query boom\"}]}"
                ),
            ], to: &script)
        return script
    }

    /// JSON-RPC 2.0: a call and its result, a notification, a call that fails, a batch.
    static var jsonRPC: TrafficScript {
        var script = TrafficScript()
        script.open(4, target: "ws://127.0.0.1:9001/rpc", path: "/rpc")
        texts(
            4,
            [
                (.clientToServer, "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":1}"),
                (.serverToClient, "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":1}"),
                (.clientToServer, "{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":{\"level\":\"info\"}}"),
                (.clientToServer, "{\"jsonrpc\":\"2.0\",\"method\":\"divide\",\"params\":[1,0],\"id\":2}"),
                (
                    .serverToClient,
                    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"division by zero\"},\"id\":2}"
                ),
                (
                    .clientToServer,
                    "[{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":3},{\"jsonrpc\":\"2.0\",\"method\":\"b\",\"id\":4}]"
                ),
                (
                    .serverToClient,
                    "[{\"jsonrpc\":\"2.0\",\"result\":\"A\",\"id\":3},{\"jsonrpc\":\"2.0\",\"result\":\"B\",\"id\":4}]"
                ),
            ], to: &script)
        return script
    }

    static func bytes(_ hex: String) -> [UInt8] {
        HexFixture.bytes(hex)
    }
}

import NIOCore
import Testing
import WSTapCore
import WSTapMutation
import WSTapTestSupport

@Suite struct ConnectionStateMachineTests {
    var generator = FuzzRandom(seed: 3)

    /// Everything the actions wrote, decoded as frames sent by `role`.
    func written(_ actions: [ConnectionAction], by role: EndpointRole) -> [DecodedFrame] {
        var bytes: [UInt8] = []
        for case .write(let buffer) in actions { bytes += buffer.readableBytesView }
        return decodeAll(bytes, configuration: .init(sender: role)).frames
    }

    func events(_ actions: [ConnectionAction]) -> [ConnectionEvent] {
        actions.compactMap { if case .deliver(let event) = $0 { return event } else { return nil } }
    }

    func closesTransport(_ actions: [ConnectionAction]) -> Bool {
        actions.contains { if case .closeTransport = $0 { return true } else { return false } }
    }

    @Test mutating func serverEchoesPingsAndDeliversMessages() {
        var machine = ConnectionStateMachine(configuration: .init(role: .server))
        let input = hex("89 82 01 02 03 04 69 6b") + hex("01 81 00 00 00 00 61") + hex("80 81 00 00 00 00 62")
        let actions = machine.bytesReceived(ByteBuffer(bytes: input), using: &generator)
        let replies = written(actions, by: .server)
        #expect(replies.map(\.header.opcode) == [.pong])
        #expect(replies.first?.payloadBytes == [0x68, 0x69])
        let messages = events(actions).compactMap { if case .message(let m) = $0 { return m.text } else { return nil } }
        #expect(messages == ["ab"])
    }

    @Test mutating func clientMasksWhatItSends() throws {
        var machine = ConnectionStateMachine(configuration: .init(role: .client))
        let actions = try machine.sendMessage(ByteBuffer(string: "hello"), opcode: .text, using: &generator)
        let frames = written(actions, by: .client)
        #expect(frames.count == 1)
        #expect(frames.first?.header.isMasked == true)
        #expect(frames.first?.violations == [])
        #expect(frames.first.map { String(buffer: $0.payload) } == "hello")
    }

    /// A compressed message and the close after it, read at once: the close is seen before the message is
    /// inflated, and the message must still come out (an echo server answers it before closing).
    @Test mutating func aCompressedMessageReadWithTheCloseIsStillDelivered() {
        var machine = ConnectionStateMachine(
            configuration: .init(role: .server, compression: PerMessageDeflateParameters()))
        // A masked text frame with RSV1 (its bytes are whatever the deflater made), then a close 1000.
        let input = hex("c1 82 00 00 00 00 ab cd") + hex("88 82 00 00 00 00 03 e8")
        let actions = machine.bytesReceived(ByteBuffer(bytes: input), using: &generator)
        #expect(actions.contains { if case .inflate = $0 { return true } else { return false } })
        #expect(actions.contains { if case .peerRequestedClose = $0 { return true } else { return false } })
        #expect(machine.state == .closeReceived)
        let inflated = machine.messageInflated(
            Message(opcode: .text, data: ByteBuffer(string: "hi")), using: &generator)
        let delivered = events(inflated).compactMap {
            if case .message(let m) = $0 { return m.text } else { return nil }
        }
        #expect(delivered == ["hi"])
        // Answering the close still works afterwards.
        let replies = written(machine.acknowledgePeerClose(using: &generator), by: .server)
        #expect(replies.first?.closeBody?.code == .normalClosure)
    }

    @Test mutating func peerInitiatedCloseServerSide() {
        var machine = ConnectionStateMachine(configuration: .init(role: .server))
        let received = machine.bytesReceived(
            ByteBuffer(bytes: hex("88 85 00 00 00 00 03 e9 62 79 65")), using: &generator)
        #expect(written(received, by: .server).isEmpty)
        #expect(machine.state == .closeReceived)
        #expect(received.contains { if case .peerRequestedClose = $0 { return true } else { return false } })
        // Still allowed to send until it answers.
        #expect((try? machine.sendMessage(ByteBuffer(string: "last"), opcode: .text, using: &generator)) != nil)
        let actions = machine.acknowledgePeerClose(using: &generator)
        let replies = written(actions, by: .server)
        #expect(replies.first?.closeBody?.code == .goingAway)
        #expect(closesTransport(actions))
        #expect(machine.state == .closed)
        #expect(machine.outcome.wasClean)
        #expect(machine.outcome.receivedCode == .goingAway)
        #expect(machine.outcome.receivedReason == "bye")
        #expect(machine.outcome.initiator == .client)
    }

    @Test mutating func clientWaitsForTheServerToEndTCP() {
        var machine = ConnectionStateMachine(configuration: .init(role: .client))
        let closing = machine.close(code: .normalClosure, reason: "done", using: &generator)
        #expect(written(closing, by: .client).first?.closeBody?.reason == "done")
        #expect(machine.state == .closeSent)
        #expect((try? machine.sendMessage(ByteBuffer(string: "x"), opcode: .text, using: &generator)) == nil)
        #expect(machine.close(using: &generator).isEmpty)
        let reply = machine.bytesReceived(ByteBuffer(bytes: hex("88 02 03 e8")), using: &generator)
        #expect(!closesTransport(reply))
        #expect(machine.state == .awaitingTransportClose)
        let end = machine.transportClosed()
        #expect(machine.state == .closed)
        #expect(machine.outcome.wasClean)
        #expect(events(end).count == 1)
    }

    @Test(arguments: [
        ("81 05 48 65 6c 6c 6f", CloseCode.protocolError),  // unmasked client frame
        ("83 80 00 00 00 00", .protocolError),  // reserved opcode
        ("c1 80 00 00 00 00", .protocolError),  // RSV1 without extension
        ("89 fe 00 7e 00 00 00 00", .protocolError),  // control frame too long (header is enough)
        ("81 82 00 00 00 00 c3 28", .invalidPayloadData),
        ("88 82 00 00 00 00 03 ed", .protocolError),  // close code 1005 on the wire
        ("88 84 00 00 00 00 03 e8 c3 28", .invalidPayloadData),  // close reason not UTF-8
        ("80 81 00 00 00 00 61", .protocolError),  // continuation without a message
    ])
    mutating func violationsFailWithTheRightCode(wire: String, code: CloseCode) {
        var machine = ConnectionStateMachine(configuration: .init(role: .server))
        let received = machine.bytesReceived(ByteBuffer(bytes: hex(wire)), using: &generator)
        #expect(written(received, by: .server).isEmpty)
        #expect(received.contains { if case .failurePending = $0 { return true } else { return false } })
        #expect(machine.state == .failing)
        let actions = machine.failPending(using: &generator)
        #expect(written(actions, by: .server).first?.closeBody?.code == code)
        #expect(closesTransport(actions))
        #expect(machine.state == .closed)
        #expect(machine.outcome.failure != nil)
    }

    /// A message and a violation in one read: the message is delivered, replies to it may still be sent,
    /// nothing after the violation is read, and the connection fails when the I/O layer says so.
    @Test mutating func aMessageBeforeAViolationIsDeliveredAndMayBeAnswered() throws {
        var machine = ConnectionStateMachine(configuration: .init(role: .server))
        // "a", then a frame with RSV2, then a ping that must not be answered.
        let input = hex("81 81 00 00 00 00 61") + hex("a1 81 00 00 00 00 62") + hex("89 80 00 00 00 00")
        let received = machine.bytesReceived(ByteBuffer(bytes: input), using: &generator)
        let messages = events(received).compactMap {
            if case .message(let m) = $0 { return m.text } else { return nil }
        }
        #expect(messages == ["a"])
        #expect(written(received, by: .server).isEmpty)
        #expect(machine.state == .failing)
        #expect(machine.bytesReceived(ByteBuffer(bytes: hex("89 80 00 00 00 00")), using: &generator).isEmpty)
        let echo = try machine.sendMessage(ByteBuffer(string: "a"), opcode: .text, using: &generator)
        #expect(written(echo, by: .server).map(\.header.opcode) == [.text])
        let failing = machine.failPending(using: &generator)
        #expect(written(failing, by: .server).first?.closeBody?.code == .protocolError)
        #expect(closesTransport(failing))
        #expect(machine.outcome.failure != nil)
        #expect(machine.outcome.initiator == .server)
        #expect(machine.failPending(using: &generator).isEmpty)
    }

    /// The peer ending TCP while the failure waits: the outcome still names the violation.
    @Test mutating func transportClosingWhileFailingKeepsTheReason() {
        var machine = ConnectionStateMachine(configuration: .init(role: .client))
        _ = machine.bytesReceived(ByteBuffer(bytes: hex("83 00")), using: &generator)
        #expect(machine.state == .failing)
        let actions = machine.transportClosed(error: "reset")
        #expect(events(actions).count == 1)
        #expect(machine.outcome.failure?.contains("reset") == false)
        #expect(machine.outcome.wasClean == false)
    }

    @Test mutating func invalidUTF8FailsBeforeTheMessageEnds() {
        var machine = ConnectionStateMachine(configuration: .init(role: .server))
        // Header of a 1000-byte masked text frame and its first 3 bytes, the second of which is invalid.
        let received = machine.bytesReceived(
            ByteBuffer(bytes: hex("81 fe 03 e8 00 00 00 00 61 ff 61")), using: &generator)
        #expect(machine.state == .failing)
        #expect(written(received, by: .server).isEmpty)
        let actions = machine.failPending(using: &generator)
        #expect(written(actions, by: .server).first?.closeBody?.code == .invalidPayloadData)
        #expect(machine.state == .closed)
    }

    @Test mutating func tooBigMessagesFailWith1009() {
        var machine = ConnectionStateMachine(configuration: .init(role: .server, maxMessageSize: 4))
        _ = machine.bytesReceived(ByteBuffer(bytes: hex("82 85 00 00 00 00 01 02 03 04 05")), using: &generator)
        let actions = machine.failPending(using: &generator)
        #expect(written(actions, by: .server).first?.closeBody?.code == .messageTooBig)
    }

    /// A refused send changes nothing: close frames go through `close`, reserved opcodes never go out.
    @Test mutating func closeFramesAndReservedOpcodesAreNotSentAsFrames() throws {
        var machine = ConnectionStateMachine(configuration: .init(role: .client))
        #expect(throws: ConnectionError.closeThroughSend) {
            try machine.sendFrame(ByteBuffer(), opcode: .close, fin: true, using: &generator)
        }
        #expect(throws: ConnectionError.reservedOpcode(Opcode(lowBitsOf: 3))) {
            try machine.sendFrame(ByteBuffer(), opcode: Opcode(lowBitsOf: 3), fin: true, using: &generator)
        }
        #expect(machine.state == .open)
        #expect(throws: ConnectionError.noMessageOpen) {
            try machine.checkSend(opcode: .continuation, fin: true, payloadSize: 1)
        }
        try machine.checkSend(opcode: .text, fin: false, payloadSize: 1)
        _ = try machine.sendFrame(ByteBuffer(string: "a"), opcode: .text, fin: false, using: &generator)
        #expect(throws: ConnectionError.messageStillOpen) {
            try machine.checkSend(opcode: .binary, fin: true, payloadSize: 1)
        }
        try machine.checkSend(opcode: .continuation, fin: true, payloadSize: 1)
    }

    @Test mutating func lostConnectionIsUnclean() {
        var machine = ConnectionStateMachine(configuration: .init(role: .client))
        let actions = machine.transportClosed(error: "connection reset by peer")
        #expect(machine.outcome.wasClean == false)
        #expect(machine.outcome.failure == "connection reset by peer")
        #expect(events(actions).count == 1)
    }

    @Test mutating func sendingRules() throws {
        var machine = ConnectionStateMachine(configuration: .init(role: .server))
        #expect(throws: ConnectionError.self) {
            try machine.sendMessage(ByteBuffer(bytes: [0xff]), opcode: .text, using: &generator)
        }
        #expect(throws: ConnectionError.self) {
            try machine.sendFrame(ByteBuffer(), opcode: .continuation, fin: true, using: &generator)
        }
        #expect(throws: ConnectionError.self) {
            try machine.sendMessage(ByteBuffer(repeating: 0, count: 126), opcode: .ping, using: &generator)
        }
        _ = try machine.sendFrame(ByteBuffer(string: "a"), opcode: .text, fin: false, using: &generator)
        #expect(throws: ConnectionError.self) {
            try machine.sendMessage(ByteBuffer(string: "b"), opcode: .text, using: &generator)
        }
        _ = try machine.sendFrame(ByteBuffer(string: "b"), opcode: .continuation, fin: true, using: &generator)
    }

    @Test mutating func hybi00FramingSwitchesFromTheNextFrameBothWays() throws {
        var machine = ConnectionStateMachine(configuration: .init(role: .client, variant: .hybi00, framing: .old))
        var old = ByteBuffer()
        Hybi00FrameEncoder.writeText(Array("old".utf8), framing: .old, into: &old)
        var actions = machine.bytesReceived(old, using: &generator)
        machine.switchHybi00Framing(to: .new)
        #expect(machine.configuration.framing == .new)
        var new = ByteBuffer()
        Hybi00FrameEncoder.writeText(Array("new".utf8), framing: .new, into: &new)
        actions += machine.bytesReceived(new, using: &generator)
        let messages = events(actions).compactMap { if case .message(let m) = $0 { return m.text } else { return nil } }
        #expect(messages == ["old", "new"])
        var bytes: [UInt8] = []
        for case .write(let buffer) in try machine.sendMessage(
            ByteBuffer(string: "hi"), opcode: .text, using: &generator)
        {
            bytes += buffer.readableBytesView
        }
        #expect(bytes == [0xFF, 0, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69], "sent in the new framing")

        var rfc6455 = ConnectionStateMachine(configuration: .init(role: .client))
        rfc6455.switchHybi00Framing(to: .new)
        #expect(rfc6455.configuration.framing == .old, "RFC 6455 has no hybi-00 framing")
    }

    @Test mutating func hybi00ExchangeInBothFramings() throws {
        for framing in Hybi00Framing.allCases {
            var machine = ConnectionStateMachine(
                configuration: .init(role: .server, variant: .hybi00, framing: framing))
            var input = ByteBuffer()
            Hybi00FrameEncoder.writeText(Array("hi".utf8), framing: framing, into: &input)
            Hybi00FrameEncoder.writeClose(framing: framing, into: &input)
            let actions = machine.bytesReceived(input, using: &generator)
            let messages = events(actions).compactMap {
                if case .message(let m) = $0 { return m.text } else { return nil }
            }
            #expect(messages == ["hi"])
            #expect(machine.state == .closeReceived)
            #expect(closesTransport(machine.acknowledgePeerClose(using: &generator)))
            #expect(machine.outcome.wasClean)
            var other = ConnectionStateMachine(configuration: .init(role: .client, variant: .hybi00, framing: framing))
            #expect(throws: ConnectionError.self) {
                try other.sendMessage(ByteBuffer(bytes: [1]), opcode: .binary, using: &generator)
            }
            #expect(throws: ConnectionError.self) {
                try other.sendFrame(ByteBuffer(string: "a"), opcode: .text, fin: false, using: &generator)
            }
        }
    }
}

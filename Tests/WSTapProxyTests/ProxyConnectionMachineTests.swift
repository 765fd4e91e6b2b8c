import NIOCore
import Testing
import WSTapCore
import WSTapNetwork
import WSTapPipeline

@testable import WSTapProxy

/// The proxy connection driven event by event, without sockets: what it writes where, when it holds, what it
/// reports, how it closes.
@Suite struct ProxyConnectionMachineTests {
    /// Keeps every event (the machine runs on one thread here).
    final class EventLog: TrafficConsumer, @unchecked Sendable {
        var events: [TrafficEvent] = []
        let wantsMessages: Bool

        init(wantsMessages: Bool = false) {
            self.wantsMessages = wantsMessages
        }

        func consume(_ event: TrafficEvent) {
            events.append(event)
        }

        var frames: [TrafficEvent.FrameSeen] {
            events.compactMap { event in
                if case .frame(let seen) = event { return seen }
                return nil
            }
        }

        var dispositions: [FrameDisposition] { frames.map(\.disposition) }

        var closes: [TrafficEvent.ConnectionClosed] {
            events.compactMap { event in
                if case .connectionClosed(let closed) = event { return closed }
                return nil
            }
        }

        var notes: [String] {
            events.compactMap { event in
                if case .note(_, let text, _) = event { return text }
                return nil
            }
        }
    }

    /// Drops every text message that contains "secret", client to server only.
    struct DropSecrets: TrafficStage {
        func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
            direction == .clientToServer
        }

        func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
            let text = String(decoding: message.payload.readableBytesView, as: UTF8.self)
            return text.contains("secret") ? StageDecision(verdict: .drop, by: "drop secrets") : .pass
        }
    }

    /// A masked text frame as a client sends it.
    static func clientText(_ text: String, fin: Bool = true) -> [UInt8] {
        (try? FrameEncoder.encode(.text(text, fin: fin, mask: .key(MaskingKey(1, 2, 3, 4))))) ?? []
    }

    /// An unmasked text frame as a server sends it.
    static func serverText(_ text: String) -> [UInt8] {
        (try? FrameEncoder.encode(.text(text))) ?? []
    }

    static func opened(connection: UInt64) -> TrafficEvent.ConnectionOpened {
        TrafficEvent.ConnectionOpened(
            connection: connection, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9/",
            request: HTTPRequestHead(method: "GET", target: "/"),
            response: HTTPResponseHead(statusCode: 101, reason: "Switching Protocols"), variant: .rfc6455,
            framing: .old, subprotocol: nil, extensions: [], at: TrafficClock.now())
    }

    /// A machine whose handshake is done, reporting to `log`.
    static func relaying(
        log: EventLog, stage: (any TrafficStage)? = nil, intercepting: InterceptSettings = .off
    ) throws -> ProxyConnectionMachine {
        var options = ProxyOptions(upstream: try WebSocketURL("ws://127.0.0.1:9/"), consumer: log)
        options.stage = stage
        let controller = ProxyController(events: { _ in })
        let machine = ProxyConnectionMachine(id: 7, options: options, controller: controller)
        let opened = opened(connection: 7)
        machine.reportOpened(opened)
        let staging = machine.stagedDirections(opened)
        let tap = ConnectionTap(
            connection: 7, variant: .rfc6455, joinsMessages: log.wantsMessages || !staging.isEmpty)
        machine.startRelaying(tap: tap, staging: staging, intercepting: intercepting)
        machine.actions.removeAll()
        return machine
    }

    /// The bytes written to `side` by `actions`, joined.
    static func written(to side: EndpointRole, in actions: [ProxyAction]) -> [UInt8] {
        actions.flatMap { action -> [UInt8] in
            if case .write(let bytes, let to) = action, to == side { return Array(bytes.readableBytesView) }
            return []
        }
    }

    /// Feeds `bytes` from the sender of `direction` in chunks of `chunkSize`; returns the actions.
    static func feed(
        _ machine: ProxyConnectionMachine, _ bytes: [UInt8], _ direction: TrafficDirection, chunkSize: Int
    ) -> [ProxyAction] {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            machine.relay(ByteBuffer(bytes: bytes[offset..<end]), direction)
            offset = end
        }
        defer { machine.actions.removeAll() }
        return machine.actions
    }

    @Test(arguments: [1, 3, 64])
    func bytesPassUnchangedAsTheyArriveAndEveryFrameIsReported(chunkSize: Int) throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log)
        let stream = Self.clientText("one") + Self.clientText("two", fin: false) + Self.clientText("three")
        let actions = Self.feed(machine, stream, .clientToServer, chunkSize: chunkSize)
        #expect(Self.written(to: .server, in: actions) == stream)
        #expect(Self.written(to: .client, in: actions).isEmpty)
        // Every chunk goes out as it came: one write per chunk, nothing held.
        #expect(actions.count == (stream.count + chunkSize - 1) / chunkSize)
        #expect(log.dispositions == [.relayed, .relayed, .relayed])
        #expect(!machine.holdsTooMuch(.clientToServer))
    }

    @Test func interceptHoldsAFrameAndWhatFollowsUntilTheUserForwardsIt() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log, intercepting: InterceptSettings(directions: [.clientToServer]))
        let first = Self.clientText("first")
        let second = Self.clientText("second")
        var actions = Self.feed(machine, first + second, .clientToServer, chunkSize: 4)
        #expect(Self.written(to: .server, in: actions).isEmpty)
        #expect(log.dispositions == [.held(1), .held(2)])
        // Server to client is not intercepted: it passes.
        let answer = Self.serverText("hello")
        actions = Self.feed(machine, answer, .serverToClient, chunkSize: 100)
        #expect(Self.written(to: .client, in: actions) == answer)

        machine.decide(2, .drop)
        #expect(Self.written(to: .server, in: machine.actions).isEmpty)  // still behind frame 1
        machine.actions.removeAll()
        machine.decide(1, .forward)
        actions = machine.actions
        machine.actions.removeAll()
        #expect(Self.written(to: .server, in: actions) == first)
        #expect(actions.contains { if case .flush(.server) = $0 { true } else { false } })
        #expect(actions.contains { if case .resumeReading(.client) = $0 { true } else { false } })
        #expect(log.dispositions.suffix(2) == [.dropped(2), .released(1)])
    }

    @Test func anEditedFrameGoesOutInsteadOfTheHeldOne() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log, intercepting: InterceptSettings(directions: [.serverToClient]))
        _ = Self.feed(machine, Self.serverText("original"), .serverToClient, chunkSize: 100)
        let edited = Self.serverText("edited!")
        machine.decide(1, .replace(ByteBuffer(bytes: edited)))
        #expect(Self.written(to: .client, in: machine.actions) == edited)
        #expect(log.dispositions == [.held(1), .edited(1)])
    }

    @Test func injectedBytesWaitForTheFrameInProgress() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log)
        let frame = Self.clientText("a frame in two reads")
        var actions = Self.feed(machine, Array(frame.prefix(5)), .clientToServer, chunkSize: 100)
        let injected = Self.clientText("injected")
        machine.inject(ByteBuffer(bytes: injected), direction: .clientToServer)
        actions += machine.actions
        machine.actions.removeAll()
        #expect(Self.written(to: .server, in: actions) == Array(frame.prefix(5)))
        actions += Self.feed(machine, Array(frame.dropFirst(5)), .clientToServer, chunkSize: 100)
        #expect(Self.written(to: .server, in: actions) == frame + injected)
        #expect(log.dispositions == [.injected, .relayed] || log.dispositions == [.relayed, .injected])
    }

    @Test func aClosingSideClosesTheOtherAfterItsBytesAndIsReportedOnce() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log, intercepting: InterceptSettings(directions: [.clientToServer]))
        let held = Self.clientText("held when the client left")
        _ = Self.feed(machine, held, .clientToServer, chunkSize: 100)
        machine.sideClosed(.client, error: nil)
        var actions = machine.actions
        machine.actions.removeAll()
        // What the client said still reaches the server, and then the server's side closes.
        #expect(Self.written(to: .server, in: actions) == held)
        guard case .closeAfterWrites(.server) = actions.last else {
            Issue.record("expected the server side to close last, got \(actions)")
            return
        }
        machine.sideClosed(.server, error: nil)
        actions = machine.actions
        #expect(actions.allSatisfy { if case .closeAfterWrites(.client) = $0 { false } else { true } })
        #expect(log.closes.count == 1)
        #expect(log.closes.first?.closedBy == .client)
        #expect(log.dispositions == [.held(1), .released(1)])
    }

    @Test func aResetIsAnsweredWithAReset() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log)
        machine.recordError("connection reset by peer", on: .server, isReset: true)
        machine.sideClosed(.server, error: nil)
        #expect(machine.actions.count == 1)
        guard case .reset(.client) = machine.actions.first else {
            Issue.record("expected a reset of the client side, got \(machine.actions)")
            return
        }
        #expect(log.closes.first?.error == "upstream reset the connection")
    }

    @Test func closingASideSendsItACloseFrameThenCloses() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log)
        machine.closeSide(.client, code: .goingAway, reason: "bye")
        let bytes = Self.written(to: .client, in: machine.actions)
        #expect(bytes == (try FrameEncoder.encode(.close(code: .goingAway, reason: "bye"))))
        guard case .closeAfterWrites(.client) = machine.actions.last else {
            Issue.record("expected the client side to close, got \(machine.actions)")
            return
        }
        #expect(log.notes.contains("closing the client side (1001)"))
    }

    @Test func theStageDropsAWholeMessageAndLetsTheRestPass() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log, stage: DropSecrets())
        let kept = Self.clientText("hello")
        let dropped =
            Self.clientText("the sec", fin: false)
            + (try FrameEncoder.encode(
                FrameSpec(opcode: .continuation, mask: .key(MaskingKey(9, 9, 9, 9)), payload: Array("ret".utf8))))
        let after = Self.clientText("bye")
        let actions = Self.feed(machine, kept + dropped + after, .clientToServer, chunkSize: 3)
        #expect(Self.written(to: .server, in: actions) == kept + after)
        #expect(log.dispositions == [.relayed, .removed, .removed, .relayed])
        #expect(log.notes.contains { $0.hasPrefix("drop secrets: dropped a 10-byte text message") })
        // The other direction is not staged: its bytes pass as they arrive.
        let answer = Self.serverText("secret answer")
        #expect(
            Self.written(to: .client, in: Self.feed(machine, answer, .serverToClient, chunkSize: 2)) == answer)
    }

    @Test func tooMuchHeldStopsReadingTheSender() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log, intercepting: InterceptSettings(directions: [.clientToServer]))
        let big =
            (try? FrameEncoder.encode(
                FrameSpec(
                    opcode: .binary, mask: .key(MaskingKey(1, 1, 1, 1)), payload: Array(repeating: 0, count: 1 << 19))))
            ?? []
        for _ in 0..<17 { _ = Self.feed(machine, big, .clientToServer, chunkSize: 64 << 10) }
        #expect(machine.holdsTooMuch(.clientToServer))
        #expect(!machine.holdsTooMuch(.serverToClient))
        machine.apply(.off)
        #expect(!machine.holdsTooMuch(.clientToServer))
        #expect(Self.written(to: .server, in: machine.actions).count == 17 * big.count)
    }

    /// Decides every client message later, when the test says so.
    final class LaterStage: TrafficStage, @unchecked Sendable {
        var replies: [StageReply] = []

        func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
            direction == .clientToServer
        }

        func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
            .pass
        }

        func decide(
            _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
        ) -> StageDecision? {
            replies.append(later)
            return nil
        }
    }

    /// Decisions the stage made later, as the machine would get them on its event loop.
    final class Answers: @unchecked Sendable {
        var received: [(TrafficDirection, UInt64, StageDecision)] = []
    }

    @Test func laterDecisionsTakeEffectInTheOrderOfTheMessages() throws {
        let log = EventLog()
        let stage = LaterStage()
        let machine = try Self.relaying(log: log, stage: stage)
        let answers = Answers()
        machine.answerLater = { answers.received.append(($0, $1, $2)) }
        let first = Self.clientText("first")
        let second = Self.clientText("second")
        let ping = (try? FrameEncoder.encode(FrameSpec(opcode: .ping, mask: .key(MaskingKey(5, 6, 7, 8))))) ?? []
        var actions = Self.feed(machine, first + second + ping, .clientToServer, chunkSize: 5)
        #expect(Self.written(to: .server, in: actions).isEmpty)
        #expect(stage.replies.count == 2)
        #expect(log.frames.isEmpty, "frame events wait for the decisions too")

        // The second message is decided first: nothing moves, it waits for the first.
        stage.replies[1](StageDecision(verdict: .replace(ByteBuffer(string: "2nd"), isText: true), by: "test"))
        let (direction, ticket, decision) = try #require(answers.received.last)
        machine.stageAnswered(direction, ticket: ticket, decision)
        #expect(Self.written(to: .server, in: machine.actions).isEmpty)
        #expect(log.frames.isEmpty)

        stage.replies[0](.pass)
        let answer = try #require(answers.received.last)
        machine.stageAnswered(answer.0, ticket: answer.1, answer.2)
        actions = machine.actions
        machine.actions.removeAll()
        let out = Self.written(to: .server, in: actions)
        // The first as it came, then the new second message (masked with a fresh key), then the ping.
        #expect(Array(out.prefix(first.count)) == first)
        let rewritten = Array(out.dropFirst(first.count).prefix(2 + 4 + 3))
        #expect(rewritten.count == 9 && rewritten[0] == 0x81 && rewritten[1] == 0x80 | 3)
        let key = Array(rewritten[2..<6])
        #expect(rewritten[6...].enumerated().map { $0.element ^ key[$0.offset % 4] } == Array("2nd".utf8))
        #expect(Array(out.suffix(ping.count)) == ping)
        // The frame sent instead is reported right after the message it replaces, before the ping behind it.
        #expect(log.dispositions == [.relayed, .replaced, .rewritten, .relayed])
        // A second reply for a decided message is ignored.
        machine.stageAnswered(answer.0, ticket: answer.1, .init(verdict: .drop, by: "late"))
        #expect(machine.actions.allSatisfy { if case .write = $0 { false } else { true } })
    }

    /// Answers "ping" from the proxy.
    struct RespondToPing: TrafficStage {
        func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool { true }

        func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
            guard String(buffer: message.payload) == "ping" else { return .pass }
            return StageDecision(verdict: .drop, by: "respond", reply: (ByteBuffer(string: "pong"), true))
        }
    }

    @Test func aReplyGoesBackToTheSenderAsFromTheOtherSide() throws {
        let log = EventLog()
        let machine = try Self.relaying(log: log, stage: RespondToPing())
        let actions = Self.feed(machine, Self.clientText("ping") + Self.clientText("hi"), .clientToServer, chunkSize: 3)
        #expect(Self.written(to: .server, in: actions) == Self.clientText("hi"))
        #expect(Self.written(to: .client, in: actions) == Self.serverText("pong"))
        #expect(log.notes.contains("respond: answered with 4 bytes (s2c)"))
        // From the server, the answer goes to the server, masked as a client's.
        let fromServer = Self.feed(machine, Self.serverText("ping"), .serverToClient, chunkSize: 100)
        let back = Self.written(to: .server, in: fromServer)
        #expect(Self.written(to: .client, in: fromServer).isEmpty)
        #expect(back.count == 2 + 4 + 4 && back[0] == 0x81 && back[1] == 0x84)
    }
}

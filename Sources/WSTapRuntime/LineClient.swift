import Foundation
import NIOConcurrencyHelpers
import NIOCore
public import WSTapCore
import WSTapInspect
public import WSTapLenses
public import WSTapNetwork
public import WSTapPipeline
import WSTapSession

/// `wstap connect` without the terminal UI: standard input lines go out as messages (end of input closes
/// with 1000, once as many messages came back as went out or `linger` is over), messages that arrive are printed one per line, or with `--jsonl` every frame both ways as
/// a JSON event (docs/json-events.md). A close from the server ends it at once with a line on standard
/// error; Ctrl-C (or TERM) closes with 1001 (going away) and waits briefly for the server's answer.
///
/// Exit status (``ExitStatus``): 0 after a clean close with 1000 (or without a code), 1 when the connection
/// failed or was lost, 3 after a clean close with another code, 128 + the signal number when interrupted.
public struct LineClient: Sendable {
    /// The exit status after a clean close with a code other than 1000.
    public static let closedWithAnotherCode = ExitStatus(3)

    /// The server.
    public var target: WebSocketURL
    /// How to connect.
    public var options: ClientOptions
    /// The opcode of the messages sent: text or binary.
    public var opcode: Opcode
    /// Whether every message received is sent straight back (standard input is not read).
    public var echo: Bool
    /// Whether every frame both ways is printed as a JSON event instead of the messages as lines.
    public var jsonl: Bool
    /// A file to record the connection to.
    public var record: String?
    /// How long the end of input waits for replies still due before closing (see ``ReplyWait``).
    public var linger: Duration
    /// Payload bytes kept per frame and message in the events (`--capture-limit`).
    public var captureLimit = ConnectionTap.defaultCaptureLimit
    /// Which lenses read the messages printed with `--jsonl` (`--lens`).
    public var lenses = LensReader.Choice.automatic
    /// How long a request waits for its answer before it is told unanswered (`--answer-timeout`).
    public var answerTimeout: Duration = .seconds(30)

    /// A client of `target` sending standard input's lines as `opcode` messages.
    public init(
        target: WebSocketURL, options: ClientOptions, opcode: Opcode, echo: Bool, jsonl: Bool, record: String?,
        linger: Duration, captureLimit: Int = ConnectionTap.defaultCaptureLimit
    ) {
        self.target = target
        self.options = options
        self.opcode = opcode
        self.echo = echo
        self.jsonl = jsonl
        self.record = record
        self.linger = linger
        self.captureLimit = captureLimit
    }

    /// With `--reconnect`: how long to wait before connecting again after the connection ended without this
    /// end closing it (or could not be opened); `nil`: the first end is the end.
    public var reconnect: ReconnectBackoff?
    /// Messages sent after every connect, before standard input's lines (`--preamble`).
    public var preamble: Preamble?
    /// A payload sent once as one binary message, after the preamble and before standard input's lines
    /// (`--send-file`).
    public var fileToSend: [UInt8]?

    /// How one connection ended.
    private struct SessionEnd: Sendable {
        var outcome: CloseOutcome
        /// Why this end gave the connection up (a `wait:` of the preamble that nothing matched), if it did.
        var failure: String?
    }

    /// Connects and runs until the connection ends (with `--reconnect`, until this end closes it: at the end
    /// of input or on a signal); throws the ``ExitStatus`` of an end other than a clean close with 1000, or a
    /// ``CommandFailure`` when the connection failed or was lost.
    public func run() async throws {
        var options = self.options
        let url = target.description
        let output = EventOutput(jsonl ? .json : .quiet, lenses: lenses, answerTimeout: answerTimeout)
        // Without --jsonl standard output carries the messages: the notes go to standard error.
        let jsonl = self.jsonl
        let recorder = try record.map {
            try RecordingOption.open($0, mode: .client) { note in
                guard !jsonl, case .note(_, let text, _) = note else { return output.event(note) }
                StandardStreams.error("wstap: \(text)\n")
            }
        }
        defer { recorder?.close() }
        options.backpressure = recorder
        let consumers: [any TrafficConsumer] =
            (jsonl ? [output.consumer] : []) + (recorder.map { [$0] } ?? [])
        // Every connection opened (again) is numbered on: 1, 2, ...
        let numbering = NIOLockedValueBox<UInt64>(1)
        if !consumers.isEmpty {
            let consumer = TrafficFanOut(consumers)
            options.wireObserver = { info in
                EndpointTrafficFeed(
                    connection: numbering.withLockedValue { $0 }, role: .client, info: info, target: url,
                    consumer: consumer, captureLimit: captureLimit)
            }
        }
        options.reportsFrames = false
        let control = ClientRunControl()
        // Ctrl-C or TERM: close with 1001 and wait (briefly) for the server's answer, or stop waiting to reconnect.
        let signals = TerminationSignals(grace: .seconds(3)) { _ in control.interrupt() }
        defer { signals.cancel() }
        let printer = LinePrinter()
        let input = OutgoingLines.standardInput()
        let unsentFile = NIOLockedValueBox(fileToSend)
        var opened: UInt64 = 0
        var attempt = 0
        // Says what happened and waits before the next attempt; throws when a signal ends the wait.
        func waitToReconnect(_ why: String, backoff: ReconnectBackoff) async throws {
            attempt += 1
            var random = SystemRandomNumberGenerator()
            let delay = backoff.delay(attempt: attempt, using: &random)
            let text = "\(why); connecting again in \(DurationText.seconds(delay)) s (attempt \(attempt))"
            announce(text, connection: opened, output: output, printer: printer)
            guard await control.sleep(for: delay) else {
                printer.errorLine("interrupted while waiting to connect again")
                throw ExitStatus.signalled(signals.signalReceived ?? SIGINT)
            }
        }
        while true {
            numbering.withLockedValue { $0 = opened + 1 }
            let connection: WebSocketConnection
            do {
                connection = try await WebSocketClient.connect(to: target, options: options)
            } catch {
                let text = ConnectFailureText.describe(error)
                // With --jsonl a script reading standard output learns it too, as from the proxy.
                output.event(.proxyError(message: text, at: TrafficClock.now()))
                guard let reconnect, !control.interrupted else { throw CommandFailure(text) }
                try await waitToReconnect(text, backoff: reconnect)
                continue
            }
            opened += 1
            if opened > 1 {
                announce("connected again (connection \(opened))", connection: opened, output: output, printer: printer)
            }
            attempt = 0
            guard control.attach(connection) else {
                _ = try? await connection.close(code: .goingAway, reason: "")
                throw ExitStatus.signalled(signals.signalReceived ?? SIGINT)
            }
            let end = await exchange(
                on: connection, number: opened, input: input, unsentFile: unsentFile, printer: printer)
            control.detach()
            let closedHere = end.outcome.initiator == .client && end.failure == nil
            let inputLeft = echo ? true : !(await input.isFinished)
            if let reconnect, !control.interrupted, !closedHere, inputLeft {
                let why = end.failure ?? "connection closed: " + OutcomeText.describe(end.outcome)
                try await waitToReconnect(why, backoff: reconnect)
                continue
            }
            if let failure = end.failure {
                throw CommandFailure(failure)
            }
            try finish(end.outcome, interrupted: signals.signalReceived, printer: printer)
            return
        }
    }

    /// A line about reconnecting: on standard error, or a `note` event with `--jsonl`.
    private func announce(_ text: String, connection: UInt64, output: EventOutput, printer: LinePrinter) {
        if jsonl {
            output.event(.note(connection: connection, text: text, at: TrafficClock.now()))
        } else {
            printer.errorLine(text)
        }
    }

    /// Runs one open connection until it closes: everything on the connection's event loop (a task executor
    /// preference), so that a message read reaches the loop, and a line sent the socket, without waking
    /// another thread.
    private func exchange(
        on connection: WebSocketConnection, number: UInt64, input: OutgoingLines,
        unsentFile: NIOLockedValueBox<[UInt8]?>, printer: LinePrinter
    ) async -> SessionEnd {
        if #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *) {
            let executor = connection.executor
            return await withTaskExecutorPreference(executor) {
                await exchange(
                    on: connection, number: number, input: input, unsentFile: unsentFile, printer: printer
                ) { body in
                    Task(executorPreference: executor) { await body() }
                }
            }
        } else {
            return await exchange(
                on: connection, number: number, input: input, unsentFile: unsentFile, printer: printer
            ) { body in
                Task.detached { await body() }
            }
        }
    }

    /// Sends the preamble, then standard input's lines (in a task `startTask` starts) unless echoing, and
    /// prints what arrives, until the connection closes.
    private func exchange(
        on connection: WebSocketConnection, number: UInt64, input: OutgoingLines,
        unsentFile: NIOLockedValueBox<[UInt8]?>, printer: LinePrinter,
        startTask: (@escaping @Sendable () async -> Void) -> Task<Void, Never>
    ) async -> SessionEnd {
        let replies = ReplyWait()
        let waiter = MessageWaiter()
        // Whether the preamble still runs: only then do messages go to its waiter.
        let preambleRuns = NIOLockedValueBox(preamble != nil)
        let failure = NIOLockedValueBox<String?>(nil)
        let preamble = self.preamble
        let opcode = self.opcode
        let linger = self.linger
        let echo = self.echo
        let sender = startTask {
            if let preamble {
                let problem = await Self.send(
                    preamble, on: connection, opcode: opcode, replies: replies, waiter: waiter)
                preambleRuns.withLockedValue { $0 = false }
                await waiter.stopListening()
                if let problem {
                    failure.withLockedValue { $0 = problem }
                    _ = try? await connection.close(code: .normalClosure, reason: "")
                    return
                }
                guard !connection.isClosed else { return }
            }
            // The file goes once: taken by the first connection that gets this far.
            let file: [UInt8]? = unsentFile.withLockedValue { file in
                defer { file = nil }
                return file
            }
            if let file {
                guard (try? await connection.send(ByteBuffer(bytes: file), opcode: .binary)) != nil else { return }
                replies.sentOne()
            }
            guard !echo else { return }
            // A batch of lines (one read of standard input) goes out with one flush, and only its last send
            // waits for the write: the next read waits for that, so input never runs far ahead. Lines not sent
            // when the connection ends go on the next one (--reconnect).
            while let lines = await input.next() {
                // A line that is not what its prefix says is told, and skipped.
                var messages: [(line: String, message: OutgoingMessage)] = []
                for line in lines {
                    do {
                        messages.append((line, try OutgoingMessage(line: line, defaultOpcode: opcode)))
                    } catch {
                        printer.errorLine("wstap: not sent: \(error)")
                    }
                }
                for (index, (_, message)) in messages.enumerated() {
                    do {
                        try await connection.send(
                            ByteBuffer(bytes: message.bytes), opcode: message.opcode,
                            flush: index == messages.count - 1)
                    } catch {
                        replies.sent(index)
                        await input.giveBack(messages[index...].map(\.line))
                        if !connection.isClosed { await connection.close() }
                        return
                    }
                }
                replies.sent(messages.count)
            }
            guard !Task.isCancelled else { return }
            await replies.untilAnswered(within: linger)
            await connection.close()
        }
        defer { sender.cancel() }
        // Lines printed wait here while more messages are already in: they go out in one write.
        var pending: [String] = []
        func printPending() {
            guard !pending.isEmpty else { return }
            printer.lines(pending)
            pending.removeAll(keepingCapacity: true)
        }
        while let event = await connection.nextEvent() {
            switch event {
            case .message(let message):
                replies.receivedOne()
                if preambleRuns.withLockedValue({ $0 }) {
                    await waiter.received(
                        message.text ?? String(decoding: message.data.readableBytesView, as: UTF8.self))
                }
                let more = connection.holdsMessage
                if echo { try? await connection.send(message.data, opcode: message.opcode, flush: !more) }
                if !jsonl {
                    pending.append(Self.line(for: message))
                    if !more || pending.count >= 1024 { printPending() }
                }
            case .keepaliveRoundTrip(let time):
                printPending()
                if jsonl {
                    printer.line(
                        TrafficEventJSON.roundTrip(
                            connection: number, microseconds: time.microseconds, at: SessionClock.now()))
                } else {
                    printer.errorLine("rtt \(DurationText.milliseconds(time)) ms")
                }
            case .closed(let outcome):
                printPending()
                await waiter.stopListening()
                return SessionEnd(outcome: outcome, failure: failure.withLockedValue { $0 })
            case .ping, .pong, .messageChunk, .frameReceived, .hybi00FrameReceived:
                break
            }
        }
        printPending()
        await waiter.stopListening()
        let lost = CloseOutcome(wasClean: false, failure: "the connection ended without a close")
        return SessionEnd(outcome: lost, failure: failure.withLockedValue { $0 })
    }

    /// A message received as a line: a text message's text, a binary message as `hex:` and its bytes (the
    /// form a line sent takes), so that binary is told apart even when its bytes are valid UTF-8.
    static func line(for message: Message) -> String {
        if message.opcode != .binary, let text = message.text { return text }
        return "hex:" + HexText.format(message.data.readableBytesView, separator: " ")
    }

    /// Sends a preamble's messages, pausing and waiting as it says; returns why it gave up, if it did (nil also
    /// when the connection closed meanwhile).
    private static func send(
        _ preamble: Preamble, on connection: WebSocketConnection, opcode: Opcode, replies: ReplyWait,
        waiter: MessageWaiter
    ) async -> String? {
        for step in preamble.steps {
            switch step {
            case .send(let line):
                let message: OutgoingMessage
                do {
                    message = try OutgoingMessage(line: line, defaultOpcode: opcode)
                } catch {
                    return "preamble: \(error.description)"
                }
                guard (try? await connection.send(ByteBuffer(bytes: message.bytes), opcode: message.opcode)) != nil
                else {
                    return nil
                }
                replies.sentOne()
            case .pause(let duration):
                try? await Task.sleep(for: duration)
            case .waitFor(let pattern):
                guard await waiter.wait(for: pattern, within: Preamble.waitLimit) else {
                    guard !connection.isClosed else { return nil }
                    return
                        "preamble: no message matched wait:\(pattern) within \(Preamble.waitLimit.components.seconds) s"
                }
            }
        }
        return nil
    }

    /// Says how the connection ended (on standard error) and exits with the matching status.
    private func finish(_ outcome: CloseOutcome, interrupted: Int32?, printer: LinePrinter) throws {
        if let interrupted {
            printer.errorLine("interrupted: " + Self.describe(outcome))
            throw ExitStatus.signalled(interrupted)
        }
        guard outcome.wasClean else {
            throw CommandFailure("connection closed: " + OutcomeText.describe(outcome))
        }
        let codes = [outcome.receivedCode, outcome.sentCode].compactMap(\.self)
        let normal = codes.allSatisfy { $0 == .normalClosure }
        if outcome.initiator == .server || !normal { printer.errorLine(Self.describe(outcome)) }
        if !normal { throw Self.closedWithAnotherCode }
    }

    /// `closed by the server: 4001 (private) "asked to close"`, or for a close this end started `closed by
    /// the client with 1001 (going-away); the server answered 1001 (going-away) ""`.
    static func describe(_ outcome: CloseOutcome) -> String {
        func code(_ code: CloseCode?) -> String {
            code.map { "\($0.rawValue) (\($0.name))" } ?? "no status code"
        }
        let answer = code(outcome.receivedCode) + " " + PayloadPreview.quoted(outcome.receivedReason)
        var text: String
        switch outcome.initiator {
        case .server: text = "closed by the server: " + answer
        case .client: text = "closed by the client with \(code(outcome.sentCode)); the server answered " + answer
        case nil: text = "closed: " + answer
        }
        if !outcome.wasClean { text += " (unclean)" }
        return text
    }
}

import Foundation
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

    /// Connects and runs until the connection ends; throws the ``ExitStatus`` of an end other than a clean
    /// close with 1000, or a ``CommandFailure`` when the connection failed or was lost.
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
        if !consumers.isEmpty {
            let consumer = TrafficFanOut(consumers)
            options.wireObserver = { info in
                EndpointTrafficFeed(
                    connection: 1, role: .client, info: info, target: url, consumer: consumer,
                    captureLimit: captureLimit)
            }
        }
        options.reportsFrames = false
        let connection: WebSocketConnection
        do {
            connection = try await WebSocketClient.connect(to: target, options: options)
        } catch {
            let text = ConnectFailureText.describe(error)
            // With --jsonl a script reading standard output learns it too, as from the proxy.
            output.event(.proxyError(message: text, at: TrafficClock.now()))
            throw CommandFailure(text)
        }
        // Ctrl-C or TERM: close with 1001 and wait (briefly) for the server's answer; the loop below ends.
        let signals = TerminationSignals(grace: .seconds(3)) { _ in
            Task { _ = try? await connection.close(code: .goingAway, reason: "") }
        }
        defer { signals.cancel() }
        let printer = LinePrinter()
        // Everything below runs on the connection's event loop (a task executor preference): a message read
        // reaches this loop, and a line sent the socket, without waking another thread.
        if #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *) {
            let executor = connection.executor
            try await withTaskExecutorPreference(executor) {
                try await exchange(on: connection, printer: printer, signals: signals) { body in
                    Task(executorPreference: executor) { await body() }
                }
            }
        } else {
            try await exchange(on: connection, printer: printer, signals: signals) { body in
                Task.detached { await body() }
            }
        }
    }

    /// Sends standard input's lines (in a task `startTask` starts) unless echoing, and prints what arrives,
    /// until the connection closes.
    private func exchange(
        on connection: WebSocketConnection, printer: LinePrinter, signals: TerminationSignals,
        startTask: (@escaping @Sendable () async -> Void) -> Void
    ) async throws {
        let replies = ReplyWait()
        if !echo {
            let opcode = self.opcode
            let linger = self.linger
            startTask {
                // A batch of lines (one read of standard input) goes out with one flush, and only its last
                // send waits for the write: the next read waits for that, so input never runs far ahead.
                sending: for await lines in StandardInputLineBatches() {
                    for (index, line) in lines.enumerated() {
                        do {
                            try await connection.send(
                                ByteBuffer(string: line), opcode: opcode, flush: index == lines.count - 1)
                        } catch {
                            break sending
                        }
                    }
                    replies.sent(lines.count)
                }
                await replies.untilAnswered(within: linger)
                await connection.close()
            }
        }
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
                let more = connection.holdsMessage
                if echo { try? await connection.send(message.data, opcode: message.opcode, flush: !more) }
                if !jsonl {
                    pending.append(message.text ?? "hex:" + HexText.format(message.data.readableBytesView))
                    if !more || pending.count >= 1024 { printPending() }
                }
            case .keepaliveRoundTrip(let time):
                printPending()
                if jsonl {
                    printer.line(
                        TrafficEventJSON.roundTrip(
                            connection: 1, microseconds: time.microseconds, at: SessionClock.now()))
                } else {
                    printer.errorLine("rtt \(DurationText.milliseconds(time)) ms")
                }
            case .closed(let outcome):
                printPending()
                try finish(outcome, interrupted: signals.signalReceived, printer: printer)
                return
            case .ping, .pong, .messageChunk, .frameReceived, .hybi00FrameReceived:
                break
            }
        }
        printPending()
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

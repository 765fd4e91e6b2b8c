import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
public import WSTapCore
public import WSTapFilter
import WSTapInspect
public import WSTapLenses
public import WSTapPipeline

/// A script that changes traffic (`wstap proxy --script CMD`, docs/scripts.md): a program wstap starts, given one
/// JSON line per message its filter matches on its standard input, answering one JSON line per message on its
/// standard output (``ScriptMessage``, ``ScriptAnswer``). Its answers come later (``TrafficStage``'s later
/// decision): meanwhile the message and those behind it in its direction wait, in order.
///
/// A script that fails (does not answer within the timeout, writes a line that is not an answer, or ends) does
/// not stop traffic: the messages waiting for it go on unchanged, the failure is reported and counted, the
/// process is ended and started again after a wait that doubles with each failure in a row (from
/// ``Configuration/firstBackoff`` up to ``Configuration/maxBackoff``; an answer resets it). Messages that come
/// while it is down pass unchanged.
public final class ScriptStage: TrafficStage {
    /// What the script is and how it is treated.
    public struct Configuration: Sendable {
        /// The command line, run by `/bin/sh -c`.
        public var command: String
        /// Its number among the scripts (`script #1`), for the notes.
        public var number: Int
        /// The messages it is given (all when nil).
        public var filter: FilterExpression?
        /// How long it may take to answer one message.
        public var timeout: TimeAmount
        /// Which lenses read the messages, for the `lens` member of each line.
        public var lenses: LensReader.Choice
        /// The longest line it may write.
        public var maxLine: Int
        /// The wait before it is started again after a failure (doubled after each failure in a row).
        public var firstBackoff: TimeAmount = .milliseconds(100)
        /// The longest such wait.
        public var maxBackoff: TimeAmount = .seconds(30)

        /// A script run by `command`.
        public init(
            command: String, number: Int = 1, filter: FilterExpression? = nil, timeout: TimeAmount = .seconds(5),
            lenses: LensReader.Choice = .automatic, maxLine: Int = 64 << 20
        ) {
            self.command = command
            self.number = number
            self.filter = filter
            self.timeout = timeout
            self.lenses = lenses
            self.maxLine = maxLine
        }
    }

    /// What happened so far.
    public struct Counts: Sendable, Equatable {
        /// Messages given to it.
        public var sent = 0
        /// Answers read.
        public var answered = 0
        /// Answers that changed something (not `pass`).
        public var changed = 0
        /// Messages that went on unchanged because it failed or was down.
        public var passedUnchanged = 0
        /// Messages it did not answer in time.
        public var timeouts = 0
        /// Lines that were not answers (or answers to no message).
        public var badAnswers = 0
        /// Times it ended (or closed its output) by itself.
        public var exits = 0
        /// Times it was started (the first included).
        public var starts = 0
        /// Failures of any kind.
        public var failures: Int { timeouts + badAnswers + exits }
    }

    private enum Phase {
        case starting
        case running(ScriptProcess)
        case down
        case stopped
    }

    private struct Waiting {
        var id: UInt64
        var reply: StageReply
        var timer: Scheduled<Void>
    }

    private struct State {
        var phase = Phase.down
        var generation = 0
        var waiting: [Waiting] = []
        var nextID: UInt64 = 1
        var backoff: TimeAmount
        var counts = Counts()
        var lenses: LensReader
        /// Connections the lens reader knows, oldest first (it is told the oldest closed past a bound).
        var lensConnections: [UInt64] = []
        var lensConnectionSet: Set<UInt64> = []
    }

    /// The configuration it runs with.
    public let configuration: Configuration
    private let eventLoop: any EventLoop
    private let report: @Sendable (String) -> Void
    private let state: NIOLockedValueBox<State>
    private let name: String

    /// Connections whose lens state is kept at most (the stage is not told when connections close).
    static let lensConnectionBound = 4096

    /// A script run as `configuration` says, reporting what happens to it (started, failed, its standard
    /// error's lines) through `report`, in words. It starts with ``start()``.
    public init(
        _ configuration: Configuration, eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next(),
        report: @escaping @Sendable (String) -> Void
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.report = report
        name = "script #\(configuration.number)"
        state = NIOLockedValueBox(
            State(backoff: configuration.firstBackoff, lenses: LensReader(choice: configuration.lenses)))
    }

    /// What happened so far.
    public var counts: Counts { state.withLockedValue { $0.counts } }

    /// Starts the program (a failure to start is reported, and it is tried again later).
    public func start() async {
        await launch()
    }

    /// Ends the program for good; messages waiting for it go on unchanged.
    public func stop() {
        let (process, waiting) = state.withLockedValue { state -> (ScriptProcess?, [Waiting]) in
            defer {
                state.phase = .stopped
                state.waiting.removeAll()
            }
            state.counts.passedUnchanged += state.waiting.count
            if case .running(let process) = state.phase { return (process, state.waiting) }
            return (nil, state.waiting)
        }
        process?.stop()
        for item in waiting {
            item.timer.cancel()
            item.reply(.pass)
        }
    }

    /// A line that sums up the counts: `script #1: 120 messages, 118 answered (5 changed), 2 failures ...`.
    public var summary: String {
        let counts = counts
        var text =
            "\(name): \(Self.count(counts.sent, "message")), \(counts.answered) answered (\(counts.changed) changed)"
        if counts.failures > 0 {
            text +=
                ", \(Self.count(counts.failures, "failure")) (\(Self.count(counts.timeouts, "timeout")), "
                + "\(Self.count(counts.badAnswers, "bad answer")), \(Self.count(counts.exits, "exit"))), "
                + "\(Self.count(counts.passedUnchanged, "message")) passed unchanged"
        }
        if counts.starts > 1 { text += ", started \(counts.starts) times" }
        return text
    }

    // MARK: - TrafficStage

    /// Every direction (its filter picks the messages).
    public func acts(on direction: TrafficDirection, of opened: TrafficEvent.ConnectionOpened) -> Bool {
        true
    }

    /// Without a way to answer later, a message passes (the proxy always asks with one).
    public func decide(_ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened) -> StageDecision {
        .pass
    }

    /// A message its filter matches goes to the script, and the answer comes later; others pass now, and so do
    /// all while it is down.
    public func decide(
        _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, later: StageReply
    ) -> StageDecision? {
        if let filter = configuration.filter, !filter.matches(FilterSubject(message: message, opened: opened)) {
            return .pass
        }
        let timeout = configuration.timeout
        return state.withLockedValue { state -> StageDecision? in
            guard case .running(let process) = state.phase else {
                state.counts.passedUnchanged += 1
                return .pass
            }
            let lens = Self.lensObject(message, opened, &state)
            let id = state.nextID
            state.nextID += 1
            let generation = state.generation
            let timer = eventLoop.scheduleTask(in: timeout) { [self] in
                fail(generation, timedOut: id, "did not answer within \(timeout.nanoseconds / 1_000_000) ms")
            }
            state.waiting.append(Waiting(id: id, reply: later, timer: timer))
            state.counts.sent += 1
            process.send(ScriptMessage.line(id: id, message, of: opened, lens: lens))
            return nil
        }
    }

    // MARK: - The process

    private func launch() async {
        let generation = state.withLockedValue { state -> Int? in
            guard case .down = state.phase else { return nil }
            state.phase = .starting
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        do {
            let process = try await ScriptProcess.start(
                configuration.command, on: eventLoop, maxLine: configuration.maxLine
            ) { [self] event in handle(event, generation) }
            let started = state.withLockedValue { state -> Bool in
                guard state.generation == generation, case .starting = state.phase else { return false }
                state.phase = .running(process)
                state.counts.starts += 1
                return true
            }
            guard started else {
                process.stop()
                return
            }
            report("\(name) started (pid \(process.pid)): \(configuration.command)")
        } catch {
            fail(generation, "could not be started: \(error)")
        }
    }

    private func handle(_ event: ScriptProcess.Event, _ generation: Int) {
        switch event {
        case .line(let line): answered(line, generation)
        case .errorLine(let text): report("\(name) says: \(text)")
        case .outputEnded(let why): fail(generation, ended: why)
        case .exited(let how): report("\(name) \(how)")
        }
    }

    private func answered(_ line: ByteBuffer, _ generation: Int) {
        let answer: ScriptAnswer
        do {
            answer = try ScriptAnswer(line: line, by: name)
        } catch {
            fail(generation, badAnswer: "wrote \(error.description): \(Self.preview(line))")
            return
        }
        enum Outcome {
            case answered(Waiting)
            case failed(String)
            case stale
        }
        let outcome = state.withLockedValue { state -> Outcome in
            guard state.generation == generation, case .running = state.phase else { return .stale }
            guard let first = state.waiting.first else {
                return .failed("answered when no message was waiting: \(Self.preview(line))")
            }
            if let id = answer.id, id != first.id {
                return .failed("answered message \(id) when message \(first.id) was waiting")
            }
            state.waiting.removeFirst()
            state.counts.answered += 1
            if !answer.decision.by.isEmpty { state.counts.changed += 1 }
            state.backoff = configuration.firstBackoff
            return .answered(first)
        }
        switch outcome {
        case .answered(let waiting):
            waiting.timer.cancel()
            waiting.reply(answer.decision)
        case .failed(let why):
            fail(generation, badAnswer: why)
        case .stale:
            break
        }
    }

    private func fail(_ generation: Int, timedOut id: UInt64, _ why: String) {
        fail(generation, why, kind: \.timeouts, only: id)
    }

    private func fail(_ generation: Int, badAnswer why: String) {
        fail(generation, why, kind: \.badAnswers)
    }

    private func fail(_ generation: Int, ended why: String) {
        fail(generation, why, kind: \.exits)
    }

    /// The script failed: the messages waiting for it go on unchanged, it is ended, and started again later.
    /// A timeout counts only while its message still waits (`only`).
    private func fail(
        _ generation: Int, _ why: String, kind: WritableKeyPath<Counts, Int>? = nil, only id: UInt64? = nil
    ) {
        let failed = state.withLockedValue { state -> (ScriptProcess?, [Waiting], TimeAmount, Int)? in
            guard state.generation == generation else { return nil }
            var process: ScriptProcess?
            switch state.phase {
            case .running(let running): process = running
            case .starting: break
            case .down, .stopped: return nil
            }
            if let id, !state.waiting.contains(where: { $0.id == id }) { return nil }
            if let kind { state.counts[keyPath: kind] += 1 }
            state.phase = .down
            let waiting = state.waiting
            state.waiting.removeAll()
            state.counts.passedUnchanged += waiting.count
            let wait = state.backoff
            state.backoff = min(
                TimeAmount.nanoseconds(state.backoff.nanoseconds * 2), configuration.maxBackoff)
            return (process, waiting, wait, state.counts.failures)
        }
        guard let (process, waiting, wait, failures) = failed else { return }
        process?.stop()
        let decision = StageDecision(verdict: .pass, by: "\(name) \(why)")
        for item in waiting {
            item.timer.cancel()
            item.reply(decision)
        }
        let seconds = Double(wait.nanoseconds) / 1e9
        report(
            "\(name) \(why) (failure \(failures)): messages pass unchanged; starting it again in "
                + "\(seconds.formatted(fractionDigits: seconds < 1 ? 1 : 0)) s")
        eventLoop.scheduleTask(in: wait) { [self] in
            Task { await launch() }
        }
    }

    // MARK: - Helpers

    private static func lensObject(
        _ message: TrafficEvent.MessageSeen, _ opened: TrafficEvent.ConnectionOpened, _ state: inout State
    ) -> String? {
        guard state.lenses.choice.isOn else { return nil }
        if !state.lensConnectionSet.contains(message.connection) {
            _ = state.lenses.read(.connectionOpened(opened))
            state.lensConnections.append(message.connection)
            state.lensConnectionSet.insert(message.connection)
            if state.lensConnections.count > lensConnectionBound {
                let oldest = state.lensConnections.removeFirst()
                state.lensConnectionSet.remove(oldest)
                _ = state.lenses.read(
                    .connectionClosed(
                        .init(
                            connection: oldest, closedBy: nil, clientCloseCode: nil, serverCloseCode: nil,
                            closeReason: "", wasClean: false, error: nil, at: message.at)))
            }
        }
        let reading = state.lenses.read(.message(message)).readings.first { $0.connection == message.connection }
        return reading.map(LensText.lensObject)
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// The start of a line, for a report.
    private static func preview(_ line: ByteBuffer) -> String {
        let text = String(decoding: line.readableBytesView.prefix(80), as: UTF8.self)
        return line.readableBytes > 80 ? text + "..." : text
    }
}

extension Double {
    fileprivate func formatted(fractionDigits: Int) -> String {
        let scale = fractionDigits == 0 ? 1.0 : 10.0
        let rounded = (self * scale).rounded() / scale
        return fractionDigits == 0 ? String(Int(rounded)) : String(rounded)
    }
}

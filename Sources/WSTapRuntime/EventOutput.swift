import NIOConcurrencyHelpers
public import WSTapCore
public import WSTapInspect
public import WSTapLenses

/// What a command without the terminal UI prints on standard output about traffic: a text line per event
/// (`--no-tui`), a JSON line per event (`--jsonl`, docs/json-events.md: then standard output carries JSON
/// lines only), or nothing (`-q`). Safe to use from any thread; lines come out whole and in order.
public final class EventOutput: Sendable {
    /// What is printed per event.
    public enum Format: Sendable {
        /// A text line (`--no-tui`).
        case lines
        /// A JSON line (`--jsonl`).
        case json
        /// Nothing (`-q`).
        case quiet
    }

    private struct State {
        /// Numbers the frames.
        var json = TrafficEventJSON()
        /// The lenses, when they read messages.
        var lenses: LensReader?
    }

    /// What this output prints.
    public let format: Format
    /// Whether lenses read the messages (then message events are printed with what a lens read in them).
    public let readsMessages: Bool
    private let printer: LinePrinter
    /// Held while a line is printed so that frame indexes come out in order and each connection's lens
    /// reads its messages in order.
    private let state: NIOLockedValueBox<State>
    /// Once a second, tells the requests whose time ran out (so a silent connection's are told too).
    private let timer = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// An output printing in `format`, messages read by the lenses `lenses` chooses (none by default); a
    /// request with no answer after `answerTimeout` is told as unanswered.
    public init(_ format: Format, lenses: LensReader.Choice = .off, answerTimeout: Duration = .seconds(30)) {
        self.format = format
        printer = LinePrinter(enabled: format != .quiet)
        readsMessages = format != .quiet && lenses.isOn
        let nanoseconds = Self.nanoseconds(answerTimeout)
        state = NIOLockedValueBox(
            State(
                lenses: readsMessages
                    ? LensReader(choice: lenses, tracker: CorrelationTracker(timeoutNanoseconds: nanoseconds)) : nil))
        guard readsMessages else { return }
        timer.withLockedValue {
            $0 = Task.detached { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    guard let self else { return }
                    self.expireUnanswered(now: SessionClock.now())
                }
            }
        }
    }

    /// A duration in whole nanoseconds (0 for a negative one).
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let parts = duration.components
        guard parts.seconds >= 0 else { return 0 }
        return UInt64(parts.seconds) &* 1_000_000_000 &+ UInt64(max(0, parts.attoseconds) / 1_000_000_000)
    }

    deinit {
        timer.withLockedValue { $0?.cancel() }
    }

    /// Tells the requests that have had no answer for the timeout by `now`, as notes.
    public func expireUnanswered(now: TrafficTimestamp) {
        state.withLockedValue { state in
            guard let unanswered = state.lenses?.expire(now: now), !unanswered.isEmpty else { return }
            for request in unanswered {
                let note = TrafficEvent.note(
                    connection: request.connection, text: LensText.unanswered(request), at: now)
                printer.line(format == .json ? state.json.line(note) : TrafficEventDescription.line(note))
            }
        }
    }

    /// The consumer that prints the traffic: it asks for messages only when lenses read them.
    public var consumer: any TrafficConsumer {
        TrafficEventHandler(wantsMessages: readsMessages) { self.event($0) }
    }

    /// One traffic event. A message is printed only when a lens read something in it (the frames before it
    /// say all the rest), as one event or line per packet the lens read.
    public func event(_ event: TrafficEvent) {
        guard readsMessages else {
            if case .message = event { return }
            switch format {
            case .quiet: return
            case .lines: printer.line(TrafficEventDescription.line(event))
            case .json: state.withLockedValue { printer.line($0.json.line(event)) }
            }
            return
        }
        state.withLockedValue { state in
            let read = state.lenses?.read(event) ?? LensReader.Output()
            for request in read.unanswered {
                let note = TrafficEvent.note(
                    connection: request.connection, text: LensText.unanswered(request), at: read.at ?? request.at)
                printer.line(format == .json ? state.json.line(note) : TrafficEventDescription.line(note))
            }
            guard case .message(let message) = event else {
                printer.line(format == .json ? state.json.line(event) : TrafficEventDescription.line(event))
                return
            }
            for reading in read.readings {
                printer.line(format == .json ? LensText.json(message, reading) : LensText.line(reading))
            }
        }
    }

    /// The proxy or server is ready (and its control socket, if any).
    public func listening(_ listening: ListeningEvent) {
        switch format {
        case .quiet: return
        case .lines:
            printer.line(listening.line)
            if let control = listening.control { printer.line("control socket \(control)") }
        case .json: printer.line(TrafficEventJSON.listening(listening))
        }
    }

    /// A note about the run, not about one connection (a script started or failed): a line, or a `note` event.
    public func note(_ text: String) {
        switch format {
        case .quiet: return
        case .lines: printer.line("note: \(text)")
        case .json: printer.line(TrafficEventJSON.note(text, at: SessionClock.now()))
        }
    }

    /// A warning about the whole program: a line, or a `note` event.
    public func warning(_ text: String) {
        switch format {
        case .quiet: return
        case .lines: printer.line("warning: \(text)")
        case .json: printer.line(TrafficEventJSON.note("warning: \(text)", at: SessionClock.now()))
        }
    }
}

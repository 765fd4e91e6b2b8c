import NIOConcurrencyHelpers
public import WSTapCore
public import WSTapInspect

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

    /// What this output prints.
    public let format: Format
    private let printer: LinePrinter
    /// Numbers the frames; held while a line is printed so that indexes come out in order.
    private let json = NIOLockedValueBox(TrafficEventJSON())

    /// An output printing in `format`.
    public init(_ format: Format) {
        self.format = format
        printer = LinePrinter(enabled: format != .quiet)
    }

    /// One traffic event.
    public func event(_ event: TrafficEvent) {
        if case .message = event { return }  // the frames before it say it all
        switch format {
        case .quiet: return
        case .lines: printer.line(TrafficEventDescription.line(event))
        case .json: json.withLockedValue { printer.line($0.line(event)) }
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

    /// A warning about the whole program: a line, or a `note` event.
    public func warning(_ text: String) {
        switch format {
        case .quiet: return
        case .lines: printer.line("warning: \(text)")
        case .json: printer.line(TrafficEventJSON.note("warning: \(text)", at: SessionClock.now()))
        }
    }
}

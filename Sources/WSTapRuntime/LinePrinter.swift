import Foundation
import NIOConcurrencyHelpers

/// Prints whole lines to standard output from any task, flushing each (for pipes and tests).
public final class LinePrinter: Sendable {
    private let enabled: Bool
    private let lock = NIOLock()

    /// A printer; with `enabled` false it prints nothing (`-q`).
    public init(enabled: Bool = true) {
        self.enabled = enabled
    }

    /// A line on standard error (diagnostics that must not mix with the data on standard output).
    public func errorLine(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            StandardStreams.error(text + "\n")
        }
    }

    /// A line on standard output.
    public func line(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            StandardStreams.output(text + "\n")
        }
    }
}

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

    /// Lines on standard output, in one write.
    public func lines(_ texts: [String]) {
        guard enabled, !texts.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(texts.reduce(0) { $0 + $1.utf8.count + 1 })
        for text in texts {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        lock.withLock {
            StandardStreams.output(bytes)
        }
    }

    /// Lines already ended by line feeds, in UTF-8, on standard output, in one write.
    public func write(lines bytes: [UInt8]) {
        guard enabled, !bytes.isEmpty else { return }
        lock.withLock {
            StandardStreams.output(bytes)
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

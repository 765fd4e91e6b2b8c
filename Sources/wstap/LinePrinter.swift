import Foundation
import NIOConcurrencyHelpers

/// Prints whole lines to standard output from any task, flushing each (for pipes and tests).
final class LinePrinter: Sendable {
    private let enabled: Bool
    private let lock = NIOLock()

    init(enabled: Bool = true) {
        self.enabled = enabled
    }

    func line(_ text: String) {
        guard enabled else { return }
        lock.withLock {
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
    }
}

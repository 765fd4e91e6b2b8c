import NIOConcurrencyHelpers

/// Lines reported before the command said where it listens (a script started, or wrote to its standard error,
/// while the proxy was starting): kept, and printed in order once ``open()`` is called, so that the first line
/// of the output stays the one that says where it listens.
final class HeldReports: Sendable {
    private let print: @Sendable (String) -> Void
    private let held = NIOLockedValueBox<[String]?>([])

    /// Reports that go to `print` once open.
    init(_ print: @escaping @Sendable (String) -> Void) {
        self.print = print
    }

    /// Prints `text` now, or when open.
    func report(_ text: String) {
        let now = held.withLockedValue { held -> Bool in
            guard held != nil else { return true }
            held?.append(text)
            return false
        }
        if now { print(text) }
    }

    /// Prints what was held; later reports are printed at once.
    func open() {
        held.withLockedValue { held in
            for text in held ?? [] { print(text) }
            held = nil
        }
    }
}

import CNcursesw
import Glibc

/// Puts the terminal back the way it was when the UI ends in a way that skips the normal path: a
/// signal that stops the process (SIGINT, SIGTERM, SIGHUP, SIGQUIT) or a crash (SIGSEGV, SIGABRT,
/// SIGBUS, SIGILL, SIGFPE, SIGTRAP). The handler only uses async-signal-safe calls: it restores the
/// saved terminal modes with `tcsetattr`, writes the terminal's own "leave full-screen mode" bytes
/// (prepared beforehand), then lets the signal do what it would have done.
enum TerminalRestorer {
    nonisolated(unsafe) private static var savedModes = termios()
    nonisolated(unsafe) private static var haveSavedModes = false
    nonisolated(unsafe) private static var restoreBytes: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) private static var restoreCount = 0
    nonisolated(unsafe) static var armed = false
    /// When set, SIGINT (Ctrl-C) does not end the process: it only sets ``interruptPending`` for the UI to
    /// act on (``CursesScreen/readInput(timeoutMilliseconds:)`` reports it).
    nonisolated(unsafe) static var catchesInterrupt = false
    nonisolated(unsafe) static var interruptPending: Int32 = 0

    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    /// Saves the terminal's modes (before curses changes them).
    static func saveModes() {
        haveSavedModes = tcgetattr(STDIN_FILENO, &savedModes) == 0
    }

    /// Prepares the bytes that leave full-screen mode (after curses loaded the terminal description),
    /// installs the handlers and arms them.
    static func arm() {
        var sequence: [UInt8] = []
        for capability in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) != -1, Int(bitPattern: value) != 0 else {
                continue
            }
            var pointer = value
            while pointer.pointee != 0 {
                sequence.append(UInt8(bitPattern: pointer.pointee))
                pointer += 1
            }
        }
        sequence.append(contentsOf: Array("\r\n".utf8))
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: sequence.count)
        buffer.initialize(from: sequence, count: sequence.count)
        restoreBytes = buffer
        restoreCount = sequence.count
        for signalNumber in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in TerminalRestorer.handle(signalNumber) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
        armed = true
    }

    /// Stops handling the signals (the normal way out already restored the terminal).
    static func disarm() {
        armed = false
        for signalNumber in signals { signal(signalNumber, SIG_DFL) }
    }

    private static func handle(_ signalNumber: Int32) {
        if signalNumber == SIGINT, catchesInterrupt {
            interruptPending = 1
            return
        }
        if armed {
            armed = false
            if haveSavedModes { tcsetattr(STDIN_FILENO, TCSANOW, &savedModes) }
            if let restoreBytes { _ = write(STDOUT_FILENO, restoreBytes, restoreCount) }
        }
        signal(signalNumber, SIG_DFL)
        raise(signalNumber)
    }
}

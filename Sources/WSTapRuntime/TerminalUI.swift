import Foundation
import WSTapCore
import WSTapCurses
public import WSTapUI

/// Runs the terminal UI: one loop that takes key presses and the network's events, applies them with
/// `reduce`, hands effects to `perform`, and draws with `render` at most every ~30 ms. Returns when
/// the user quits.
public enum TerminalUI {
    /// Whether the UI should open: standard input and output are terminals.
    public static var isAvailable: Bool { isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1 }

    /// How the UI ended.
    public enum Ending: Sendable {
        /// The user quit (`q`).
        case quit
        /// Ctrl-C, when the UI was asked to catch it.
        case interrupted
    }

    /// Runs the UI until the user quits; with `catchesInterrupt`, Ctrl-C ends it too (as ``Ending/interrupted``)
    /// instead of ending the process. The loop waits for keys (curses blocks while it waits) on a thread of
    /// ``BlockingWork``'s, never on the caller's.
    @discardableResult
    public static func run(
        _ initial: UIState, inbox: UIEventInbox, catchesInterrupt: Bool = false,
        perform: @escaping @Sendable (UIEffect) -> Void
    ) async throws -> Ending {
        try await BlockingWork.run {
            try loop(initial, inbox: inbox, catchesInterrupt: catchesInterrupt, perform: perform)
        }
    }

    private static func loop(
        _ initial: UIState, inbox: UIEventInbox, catchesInterrupt: Bool, perform: (UIEffect) -> Void
    ) throws -> Ending {
        let screen: CursesScreen
        do {
            screen = try CursesScreen()
        } catch {
            throw CommandFailure("cannot open the terminal UI: \(error) (--no-tui prints lines instead)")
        }
        defer { screen.close() }
        screen.catchesInterrupt = catchesInterrupt
        var state = initial
        state.utcOffsetSeconds = TimeZone.current.secondsFromGMT()
        _ = reduce(&state, .resize(screen.size))
        _ = reduce(&state, .tick(wallSeconds: Date().timeIntervalSince1970))
        var grid = CellGrid(size: screen.size)
        var dirty = true
        var lastTick = Date().timeIntervalSince1970
        while true {
            // With a backlog of traffic the keyboard is only polled: the next batch follows at once.
            var timeout: Int32 = inbox.pendingTrafficCount > 0 ? 0 : 30
            while let input = screen.readInput(timeoutMilliseconds: timeout) {
                timeout = 0
                let effects: [UIEffect]
                switch input {
                case .key(let key): effects = reduce(&state, .key(key))
                case .resize(let size): effects = reduce(&state, .resize(size))
                case .interrupt: return .interrupted
                }
                dirty = true
                for effect in effects {
                    if effect == .quit { return .quit }
                    if case .loadFile(let path) = effect {
                        _ = reduce(&state, ComposerFile.load(path: path))
                        continue
                    }
                    perform(effect)
                }
            }
            for event in inbox.drain() {
                _ = reduce(&state, event)
                dirty = true
            }
            let now = Date().timeIntervalSince1970
            if now - lastTick >= 1 {
                lastTick = now
                _ = reduce(&state, .tick(wallSeconds: now))
                dirty = true
            }
            if dirty {
                render(state, into: &grid)
                screen.present(grid)
                dirty = false
            }
        }
    }
}

import CNcursesw
import Glibc
public import WSTapUI

/// The terminal as a ``Screen``, through ncursesw: wide characters, colours, keys. It keeps the grid
/// it drew last and writes only the cells that changed. The terminal is restored by ``close()``, at
/// exit, and on the signals of ``TerminalRestorer`` (a crash included).
///
/// Use it from one thread.
public final class CursesScreen: Screen {
    /// The terminal's size in cells, as of the last resize seen.
    public private(set) var size: ScreenSize
    private var previous: CellGrid?
    private var isOpen = true
    private var pendingResize = false
    /// Whether cells get their colours (not when the terminal has none, or NO_COLOR is set).
    private let usesColour: Bool

    /// What reading the keyboard gave.
    public enum Input: Hashable, Sendable {
        case key(Key)
        case resize(ScreenSize)
        /// Ctrl-C, when ``catchesInterrupt`` is set (otherwise SIGINT ends the process).
        case interrupt
    }

    /// Whether Ctrl-C (SIGINT) comes as ``Input/interrupt`` instead of ending the process (after the
    /// terminal is restored), so that the program can end cleanly: close a connection, say.
    public var catchesInterrupt: Bool {
        get { TerminalRestorer.catchesInterrupt }
        set {
            TerminalRestorer.interruptPending = 0
            TerminalRestorer.catchesInterrupt = newValue
        }
    }

    /// Takes over the terminal. Throws when standard input or output is not a terminal curses can drive.
    public init() throws(CursesError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CursesError("standard input and output must be a terminal")
        }
        setlocale(LC_ALL, "")
        TerminalRestorer.saveModes()
        guard newterm(nil, wstap_stdout(), wstap_stdin()) != nil else {
            let term = getenv("TERM").map { String(cString: $0) } ?? "(TERM not set)"
            throw CursesError("cannot use the terminal type '\(term)'")
        }
        atexit { CursesScreen.restoreAtExit() }
        TerminalRestorer.arm()
        cbreak()
        noecho()
        nonl()
        let window = wstap_stdscr()
        keypad(window, true)
        intrflush(window, false)
        set_escdelay(25)
        curs_set(0)
        // NO_COLOR (no-color.org): present and not empty turns colours off; bold and reverse stay.
        let noColour = getenv("NO_COLOR").map { String(cString: $0) }.map { !$0.isEmpty } ?? false
        usesColour = has_colors() && !noColour
        if usesColour {
            start_color()
            use_default_colors()
            for role in ColourRole.allCases {
                init_pair(Int16(role.rawValue) + 1, Self.foreground(role), -1)
            }
        }
        size = ScreenSize(columns: Int(getmaxx(window)), rows: Int(getmaxy(window)))
    }

    deinit {
        close()
    }

    /// Gives the terminal back. Safe to call more than once.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        TerminalRestorer.catchesInterrupt = false
        endwin()
        TerminalRestorer.disarm()
    }

    private static func restoreAtExit() {
        if TerminalRestorer.armed, isendwin() == false {
            endwin()
        }
    }

    // MARK: Drawing

    /// Draws `grid`: only the cells that differ from the grid drawn last (all of them after a resize), then
    /// refreshes the terminal. Does nothing once the screen is closed.
    public func present(_ grid: CellGrid) {
        guard isOpen else { return }
        let window = wstap_stdscr()
        let old = previous.flatMap { $0.size == grid.size ? $0 : nil }
        if old == nil { wclear(window) }
        var cchar = cchar_t()
        var characters = [wchar_t](repeating: 0, count: 6)
        for row in 0..<min(grid.rows, size.rows) {
            for column in 0..<min(grid.columns, size.columns) {
                let cell = grid[row, column]
                if cell.isContinuation { continue }
                if let old, old[row, column] == cell { continue }
                var count = 0
                for scalar in cell.character.unicodeScalars.prefix(5) {
                    characters[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                characters[count] = 0
                let attributes = Self.attributes(cell.style)
                _ = setcchar(
                    &cchar, characters, attributes, usesColour ? Int16(cell.style.colour.rawValue) + 1 : 0, nil)
                _ = mvwadd_wch(window, Int32(row), Int32(column), &cchar)
            }
        }
        wnoutrefresh(window)
        doupdate()
        previous = grid
    }

    private static func attributes(_ style: CellStyle) -> attr_t {
        var value: attr_t = 0
        if style.attributes.contains(.bold) { value |= wstap_attr_bold() }
        if style.attributes.contains(.reverse) { value |= wstap_attr_reverse() }
        if style.attributes.contains(.underline) { value |= wstap_attr_underline() }
        if style.attributes.contains(.dim) || style.colour == .dim { value |= wstap_attr_dim() }
        return value
    }

    private static func foreground(_ role: ColourRole) -> Int16 {
        switch role {
        case .normal, .hintBar, .dim: return -1
        case .statusBar: return Int16(COLOR_BLUE)
        case .heading: return Int16(COLOR_YELLOW)
        case .clientToServer: return Int16(COLOR_CYAN)
        case .serverToClient: return Int16(COLOR_GREEN)
        case .control: return Int16(COLOR_YELLOW)
        case .close: return Int16(COLOR_MAGENTA)
        case .violation: return Int16(COLOR_RED)
        case .held: return Int16(COLOR_YELLOW)
        case .injected: return Int16(COLOR_BLUE)
        case .accent: return Int16(COLOR_CYAN)
        }
    }

    // MARK: Keys

    /// Waits up to `timeoutMilliseconds` for a key (0: does not wait). A terminal resize comes as
    /// `.resize` with the new size.
    public func readInput(timeoutMilliseconds: Int32) -> Input? {
        guard isOpen else { return nil }
        if TerminalRestorer.interruptPending != 0 {
            TerminalRestorer.interruptPending = 0
            return .interrupt
        }
        let window = wstap_stdscr()
        wtimeout(window, timeoutMilliseconds)
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR {
            guard TerminalRestorer.interruptPending != 0 else { return nil }
            TerminalRestorer.interruptPending = 0
            return .interrupt
        }
        if result == KEY_CODE_YES {
            let code = Int32(bitPattern: character)
            if code == KEY_RESIZE {
                size = ScreenSize(columns: Int(getmaxx(window)), rows: Int(getmaxy(window)))
                previous = nil
                return .resize(size)
            }
            return Self.functionKey(code).map { .key($0) }
        }
        return Self.characterKey(UInt32(character)).map { .key($0) }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE, KEY_DC: return .backspace
        case KEY_BTAB: return .backTab
        default:
            for number in 1...12 where code == wstap_key_f(Int32(number)) { return .function(number) }
            return nil
        }
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96) ?? "?"))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}

/// Why the terminal could not be used.
public struct CursesError: Error, CustomStringConvertible, Sendable {
    /// What failed (which curses call, or why the terminal is unusable).
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

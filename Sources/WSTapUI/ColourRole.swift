/// What a cell's colour means. The curses backend maps each role to a colour pair; tests read the role.
public enum ColourRole: UInt8, Hashable, Sendable, CaseIterable {
    case normal
    case statusBar
    case hintBar
    case heading
    case clientToServer
    case serverToClient
    case control
    case close
    case violation
    case held
    case injected
    case dim
    case accent

    /// One letter per role for the style map of golden screens.
    public var code: Character {
        switch self {
        case .normal: return "."
        case .statusBar: return "s"
        case .hintBar: return "h"
        case .heading: return "t"
        case .clientToServer: return "c"
        case .serverToClient: return "g"
        case .control: return "y"
        case .close: return "m"
        case .violation: return "r"
        case .held: return "o"
        case .injected: return "b"
        case .dim: return "d"
        case .accent: return "a"
        }
    }
}

/// A key press, as the UI understands it (the backend translates terminal codes into these).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up
    case down
    case left
    case right
    case pageUp
    case pageDown
    case home
    case end
    case enter
    case escape
    case backspace
    case tab
    /// Shift-Tab.
    case backTab
    /// A control key: `control("c")` for Ctrl-C.
    case control(Character)
    case function(Int)
}

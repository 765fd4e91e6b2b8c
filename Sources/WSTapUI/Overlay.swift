/// A screen drawn over the frame list.
public enum Overlay: Hashable, Sendable {
    case help
    case connections
    case interceptQueue
}

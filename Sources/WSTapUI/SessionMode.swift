/// What the UI is looking at.
public enum SessionMode: String, Hashable, Sendable {
    case proxy
    case client
    case server
    case viewer
}

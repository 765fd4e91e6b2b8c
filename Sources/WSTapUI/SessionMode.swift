/// What the UI is looking at.
public enum SessionMode: String, Hashable, Sendable {
    /// The reverse proxy (`wstap proxy --upstream`, `wstap demo`).
    case proxy
    /// The forward proxy (`wstap proxy` without `--upstream`): each connection names its own server.
    case forward
    /// One client connection of `wstap connect`.
    case client
    case server
    case viewer
}

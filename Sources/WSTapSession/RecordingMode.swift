/// Which part of wstap made a recording.
public enum RecordingMode: String, Hashable, Sendable, CaseIterable {
    /// `wstap proxy`: both directions of every relayed connection.
    case proxy
    /// `wstap connect`: one connection seen from the client.
    case client
    /// `wstap serve`: the connections seen from the server.
    case server
}

/// A line of text the user is typing in the bottom line.
public struct Prompt: Hashable, Sendable {
    /// What the typed line is for: it decides what Enter does with it.
    public enum Purpose: Hashable, Sendable {
        case search
        case filter
        case recordingPath
        /// A text message to send on the client connection.
        case message
    }

    /// What the line is for.
    public var purpose: Purpose
    /// What has been typed so far.
    public var text: String
    /// What ↑ puts back in the line (the last search): the prompt opens empty, so typing starts a new one.
    public var recall: String?

    /// A prompt for `purpose`, starting with `text`; ↑ puts `recall` in the line.
    public init(_ purpose: Purpose, text: String = "", recall: String? = nil) {
        self.purpose = purpose
        self.text = text
        self.recall = recall
    }

    /// The words before the text.
    var label: String {
        switch purpose {
        case .search: return "/"
        case .filter: return "filter (conn=N dir=c2s|s2c op=text,close bad TEXT): "
        case .recordingPath: return "record to file: "
        case .message: return "send text: "
        }
    }
}

public import WSTapCore

/// A hybi-00 case (the draft before RFC 6455, which old browsers spoke): the opening handshake with its two keys
/// and 8 key bytes, text messages in one of the draft's two framings, echoed, then the closing handshake. A server
/// that does not speak hybi-00 gets UNIMPLEMENTED.
public struct Hybi00Exchange: Sendable {
    /// The framing the server is expected to speak (it cannot be negotiated).
    public var framing: Hybi00Framing
    /// The text messages sent (their bytes; the draft has no binary messages in either framing wstap speaks).
    public var messages: [[UInt8]]
    /// Writes the frames in pieces of this size instead of all at once.
    public var chop: Int?
    /// Writes the 8 key bytes that follow the request head in a write of their own, after the head.
    public var keyBytesApart: Bool

    /// An exchange of `messages` in `framing`.
    public init(framing: Hybi00Framing, messages: [[UInt8]], chop: Int? = nil, keyBytesApart: Bool = false) {
        self.framing = framing
        self.messages = messages
        self.chop = chop
        self.keyBytesApart = keyBytesApart
    }

    /// What is sent, in words.
    public var description: String {
        let shown = messages.prefix(4).map { "text \(BytesText.describe($0))" }.joined(separator: ", ")
        var parts = [
            "a hybi-00 request (\(framing.rawValue) framing)"
                + (keyBytesApart ? ", its 8 key bytes in a write of their own" : ""),
            messages.isEmpty ? "no message" : shown + (messages.count > 4 ? " and \(messages.count - 4) more" : ""),
            "the closing handshake",
        ]
        if let chop { parts[1] += " in \(chop)-byte writes" }
        return parts.joined(separator: "; ")
    }
}

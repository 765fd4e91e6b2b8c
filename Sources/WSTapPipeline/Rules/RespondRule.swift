public import NIOCore
import WSTapCore
public import WSTapFilter
import WSTapInspect

/// A rule that answers the messages it takes from the proxy instead of forwarding them
/// (`--respond FILTER=PAYLOAD`): the message is dropped and `PAYLOAD` goes back to its sender as if the other
/// side had sent it. `PAYLOAD` is text, or binary written `hex:0A0B...` or `b64:...`.
public struct RespondRule: Sendable {
    /// The rule as it was written.
    public let text: String
    /// Which messages it takes (all when nil).
    public let filter: FilterExpression?
    /// The answer.
    public let payload: ByteBuffer
    /// Whether the answer is a text message.
    public let isText: Bool

    /// Reads a rule such as `~b "get_balance"={"balance":0}` or `~op binary=hex:00ff`.
    public init(parsing text: String) throws(RewriteRule.SyntaxError) {
        let parts = try FilteredRuleText(text, flag: "--respond", valueName: "PAYLOAD")
        self.text = text
        filter = parts.filter
        if parts.value.hasPrefix("hex:") {
            do {
                payload = ByteBuffer(bytes: try HexText.parse(parts.value.dropFirst(4)))
            } catch {
                throw RewriteRule.SyntaxError(description: "--respond: the PAYLOAD after hex: \(error)")
            }
            isText = false
        } else if parts.value.hasPrefix("b64:") {
            guard let bytes = Base64.decode(String(parts.value.dropFirst(4))) else {
                throw RewriteRule.SyntaxError(
                    description: "--respond: \"\(parts.value)\" is not base64 after b64:")
            }
            payload = ByteBuffer(bytes: bytes)
            isText = false
        } else {
            payload = ByteBuffer(string: parts.value)
            isText = true
        }
    }
}

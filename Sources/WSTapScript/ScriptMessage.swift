public import NIOCore
public import WSTapCore
import WSTapInspect

/// The line wstap writes to a script for one message (docs/scripts.md): a JSON object on one line.
///
/// `{"id":7,"connection":3,"direction":"c2s","opcode":"text","text":"hello","host":"example.com",`
/// `"path":"/chat","subprotocol":"chat.v1","compressed":false,"lens":{...}}`: `text` for a text message that is
/// valid UTF-8, `base64` otherwise; `lens` when a lens claims the message (docs/lenses.md).
public enum ScriptMessage {
    /// The line for `message` (with its newline), numbered `id`; `lens` is the lens object, if any.
    public static func line(
        id: UInt64, _ message: TrafficEvent.MessageSeen, of opened: TrafficEvent.ConnectionOpened, lens: String?
    ) -> ByteBuffer {
        var writer = JSONWriter()
        writer.add("id", id)
        writer.add("connection", message.connection)
        writer.add("direction", message.direction.rawValue)
        writer.add("opcode", message.isText ? "text" : "binary")
        if message.isText, let text = String(validating: message.payload.readableBytesView, as: UTF8.self) {
            writer.add("text", text)
        } else {
            writer.add("base64", Base64.encode(message.payload.readableBytesView))
        }
        if let host = opened.request.headers.first("Host") { writer.add("host", host) }
        writer.add("path", opened.request.target)
        if let subprotocol = opened.subprotocol { writer.add("subprotocol", subprotocol) }
        writer.add("compressed", message.wasCompressed)
        if let lens { writer.addRaw("lens", lens) }
        var line = ByteBuffer(string: writer.json)
        line.writeInteger(UInt8(ascii: "\n"))
        return line
    }
}

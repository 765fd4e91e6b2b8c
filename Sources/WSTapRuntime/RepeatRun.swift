import NIOCore
import WSTapCore
import WSTapExport
import WSTapInspect
public import WSTapNetwork
public import WSTapReplay

/// `wstap repeat`: one recorded message sent again (as recorded or edited) on a new connection opened with
/// the recorded handshake, and what came back printed.
public enum RepeatRun {
    /// What to send and where.
    public struct Options: Sendable {
        /// The recording.
        public var path: String
        /// The recorded connection (the first one when `nil`).
        public var connection: UInt64?
        /// The frame whose message is sent (1 is the connection's first frame, both directions counted).
        public var frame: Int
        /// The payload to send instead of the recorded one: text, or `hex:`/`b64:` for binary, `text:` to escape.
        public var editedPayload: String?
        /// Where to connect; the recorded target when `nil`.
        public var target: String?
        /// How many data messages to wait for in all (when `nil`: as many as the recording had before the
        /// client's first message and after this one).
        public var replies: Int?
        /// How long to wait for them.
        public var timeout: Duration
        /// Trust settings for `wss://`.
        public var tls: ClientTLSOptions

        /// Options for one repeat.
        public init(
            path: String, connection: UInt64?, frame: Int, editedPayload: String?, target: String?, replies: Int?,
            timeout: Duration, tls: ClientTLSOptions
        ) {
            self.path = path
            self.connection = connection
            self.frame = frame
            self.editedPayload = editedPayload
            self.target = target
            self.replies = replies
            self.timeout = timeout
            self.tls = tls
        }
    }

    /// Sends and prints: the message, then each message and control frame that came back, then a summary.
    public static func run(_ options: Options) async throws {
        let reader = try RecordingInput.open(options.path)
        let transcripts = ConnectionTranscript.group(recorded: try RecordingInput.events(in: reader))
        var request: RepeatRequest
        do throws(ReplayError) {
            let transcript: ConnectionTranscript
            if let number = options.connection {
                guard let chosen = transcripts.first(where: { $0.connection == number }) else {
                    let known = transcripts.map { String($0.connection) }.joined(separator: ", ")
                    throw ReplayError(
                        "no connection \(number) in the recording (it has: \(known.isEmpty ? "none" : known))")
                }
                transcript = chosen
            } else {
                guard let first = transcripts.first(where: { $0.opened != nil }) else {
                    throw ReplayError("the recording holds no opened connection")
                }
                transcript = first
            }
            request = try RepeatRequest.select(transcript, frame: options.frame)
        } catch {
            throw CommandFailure("\(options.path): \(error.description)")
        }
        if let edited = options.editedPayload {
            let message = try OutgoingMessage(
                line: edited, defaultOpcode: request.opcode.isControl ? request.opcode : .text)
            if !request.opcode.isControl || edited.hasPrefix("hex:") || edited.hasPrefix("b64:") {
                request.opcode = request.opcode.isControl ? request.opcode : message.opcode
            }
            request.payload = message.bytes
        }
        let text = options.target ?? ConnectionTarget.url(of: request.opened)
        let target: WebSocketURL
        do {
            target = try WebSocketURL(text)
        } catch {
            throw CommandFailure("--to: \(error.description)")
        }
        let replayOptions = ClientReplayOptions(target: target, replyTimeout: options.timeout, tls: options.tls)
        let sent = RecordedMessage(
            direction: .clientToServer, opcode: request.opcode, data: ByteBuffer(bytes: request.payload),
            at: request.opened.at)
        let result: ClientReplayResult
        do {
            result = try await MessageRepeater.run(request, options: replayOptions, replies: options.replies)
        } catch {
            throw CommandFailure(error.description)
        }
        StandardStreams.output("\(result.response.startLine) from \(target)\n")
        StandardStreams.output("→ \(line(sent))\n")
        for reply in result.replies { StandardStreams.output("← \(line(reply))\n") }
        let data = result.replies.count(where: \.isData)
        let wanted = options.replies ?? request.greetings + request.expectedReplies
        var summary = "\(CountWords.of(data, "message")) back (\(wanted) expected"
        if options.replies == nil { summary += " from the recording" }
        summary += ")"
        if result.timedOut { summary += ", the rest did not come within the timeout" }
        if result.serverEndedEarly { summary += ", the server ended the connection first" }
        StandardStreams.output(summary + "\n")
    }

    /// A message in full: `text TEXT` (what a terminal would act on escaped), `binary N bytes hex:...`, `close 1000 "bye"`.
    static func line(_ message: RecordedMessage) -> String {
        switch message.opcode {
        case .text:
            var out = "text "
            for scalar in String(decoding: message.data.readableBytesView, as: UTF8.self).unicodeScalars {
                let value = scalar.value
                if value < 0x20 || value == 0x7F || (0x80..<0xA0).contains(value) {
                    TextEscaping.terminalControls.append(scalar, to: &out)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            return out
        case .close:
            return MessageComparison.describe(message)
        default:
            let bytes = Array(message.data.readableBytesView)
            return "\(message.opcode.name) \(CountWords.of(bytes.count, "byte")) hex:" + HexText.format(bytes)
        }
    }
}

/// The URL a recorded connection went to: the target's scheme and authority with the request's path.
enum ConnectionTarget {
    static func url(of opened: TrafficEvent.ConnectionOpened) -> String {
        let path = opened.request.target
        guard path.hasPrefix("/"), let scheme = opened.target.firstRange(of: "://") else { return opened.target }
        let authorityEnd = opened.target[scheme.upperBound...].firstIndex(of: "/") ?? opened.target.endIndex
        return String(opened.target[..<authorityEnd]) + path
    }
}

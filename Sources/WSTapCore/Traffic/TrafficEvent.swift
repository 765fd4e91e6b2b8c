public import NIOCore

/// One thing a proxy (or an endpoint) saw. Every consumer — the UI, the headless printer, the
/// recorder — reads the same stream of these.
public enum TrafficEvent: Sendable {
    case connectionOpened(ConnectionOpened)
    case frame(FrameSeen)
    /// A whole data message, its fragments joined, right after the frame that completed it (consumers
    /// that read frames only may pass it by: it holds nothing the frames do not).
    case message(MessageSeen)
    /// Bytes that did not make up a frame when the stream ended (recorded so nothing is lost).
    case leftoverBytes(connection: UInt64, direction: TrafficDirection, bytes: ByteBuffer, at: TrafficTimestamp)
    case connectionClosed(ConnectionClosed)
    /// Something went wrong outside any connection, or before one opened.
    case proxyError(message: String, at: TrafficTimestamp)
    /// Something worth keeping that is not traffic: a framing mode switched, intercept turned on, a
    /// recording started. `connection` is nil when it concerns the whole proxy.
    case note(connection: UInt64?, text: String, at: TrafficTimestamp)
    /// A hybi-00 connection's framing was switched. When `redecoded`, every frame of the connection
    /// reported so far is void: all of them follow again, decoded in the new framing.
    case framingChanged(FramingChange)

    /// A hybi-00 connection's frames are read in another framing from now on.
    public struct FramingChange: Sendable {
        /// The connection whose framing changed.
        public var connection: UInt64
        /// The framing its frames are read in from now on.
        public var framing: Hybi00Framing
        /// Whether the connection's earlier bytes were decoded again (their frames follow this event and
        /// replace the ones reported before); otherwise the framing applies from the next frame boundary.
        public var redecoded: Bool
        /// When the switch happened.
        public var at: TrafficTimestamp

        /// A framing change of a connection at a time.
        public init(connection: UInt64, framing: Hybi00Framing, redecoded: Bool, at: TrafficTimestamp) {
            self.connection = connection
            self.framing = framing
            self.redecoded = redecoded
            self.at = at
        }
    }

    /// A WebSocket connection (through the proxy, or of an endpoint) completed its opening handshake.
    public struct ConnectionOpened: Sendable {
        /// The connection's number, unique within the proxy or endpoint that reports it.
        public var connection: UInt64
        /// The client's address, as `host:port`.
        public var clientAddress: String
        /// Where the proxy connected (`ws://host:port/path`).
        public var target: String
        /// The client's request head, exactly as sent.
        public var request: HTTPRequestHead
        /// The server's response head, exactly as sent.
        public var response: HTTPResponseHead
        /// The protocol variant the handshake settled.
        public var variant: ProtocolVariant
        /// hybi-00: the framing the connection's frames are read in (meaningless for RFC 6455).
        public var framing: Hybi00Framing
        /// The subprotocol the server chose, if any.
        public var subprotocol: String?
        /// The extensions the server agreed to.
        public var extensions: [ExtensionOffer]
        /// When the handshake completed.
        public var at: TrafficTimestamp
        /// The bytes that followed the request head as part of the handshake: hybi-00's 8 key bytes
        /// (empty for RFC 6455). `request.wireBytes + requestBody` is the whole request on the wire.
        public var requestBody: [UInt8]
        /// The bytes that followed the response head as part of the handshake: hybi-00's 16-byte answer
        /// (empty for RFC 6455).
        public var responseBody: [UInt8]

        /// A connection that opened, with its handshake as exchanged; hybi-00's key bytes and answer go in
        /// `requestBody` and `responseBody`.
        public init(
            connection: UInt64, clientAddress: String, target: String, request: HTTPRequestHead,
            response: HTTPResponseHead, variant: ProtocolVariant, framing: Hybi00Framing, subprotocol: String?,
            extensions: [ExtensionOffer], at: TrafficTimestamp, requestBody: [UInt8] = [], responseBody: [UInt8] = []
        ) {
            self.connection = connection
            self.clientAddress = clientAddress
            self.target = target
            self.request = request
            self.response = response
            self.variant = variant
            self.framing = framing
            self.subprotocol = subprotocol
            self.extensions = extensions
            self.at = at
            self.requestBody = requestBody
            self.responseBody = responseBody
        }
    }

    /// A frame passed through, in either protocol variant.
    public struct FrameSeen: Sendable {
        /// The frame as decoded, in the connection's variant.
        public enum Content: Sendable {
            case rfc6455(DecodedFrame)
            case hybi00(Hybi00Frame)
        }

        /// The connection it passed on.
        public var connection: UInt64
        /// Which way it went.
        public var direction: TrafficDirection
        /// The frame itself: header, payload, violations.
        public var content: Content
        /// When its last byte was seen.
        public var at: TrafficTimestamp
        /// For a frame of a permessage-deflate message: what its payload inflates to (the wire bytes are
        /// unchanged; this is for display).
        public var inflatedPayload: ByteBuffer?
        /// Why inflating failed, if it did.
        public var inflationError: String?
        /// Set when ``inflatedPayload`` holds only the start of what the payload inflates to (the inspector
        /// keeps the first bytes of each message: a display limit, not a fault).
        public var inflationCut: InflationCut?
        /// Relayed as it came, held by intercept, or made by the user.
        public var disposition: FrameDisposition

        /// A frame seen on a connection; relayed unchanged and not compressed unless told otherwise.
        public init(
            connection: UInt64, direction: TrafficDirection, content: Content, at: TrafficTimestamp,
            inflatedPayload: ByteBuffer? = nil, inflationError: String? = nil, inflationCut: InflationCut? = nil,
            disposition: FrameDisposition = .relayed
        ) {
            self.connection = connection
            self.direction = direction
            self.content = content
            self.at = at
            self.inflatedPayload = inflatedPayload
            self.inflationError = inflationError
            self.inflationCut = inflationCut
            self.disposition = disposition
        }

        /// The violations found in the frame.
        public var violations: [Violation] {
            switch content {
            case .rfc6455(let frame): return frame.violations
            case .hybi00(let frame): return frame.violations
            }
        }
    }

    /// A connection through the proxy ended.
    public struct ConnectionClosed: Sendable {
        /// The connection that ended.
        public var connection: UInt64
        /// Which side ended TCP first, if known.
        public var closedBy: EndpointRole?
        /// The close frames seen, if any.
        public var clientCloseCode: CloseCode?
        /// The code of the server's close frame, if one passed.
        public var serverCloseCode: CloseCode?
        /// The reason of the first close frame that carried one (empty if none did).
        public var closeReason: String
        /// Whether both close frames passed before TCP ended.
        public var wasClean: Bool
        /// A TCP or TLS error, if one ended it.
        public var error: String?
        /// When the connection ended.
        public var at: TrafficTimestamp

        /// A connection's end, with the close frames seen and how TCP ended.
        public init(
            connection: UInt64, closedBy: EndpointRole?, clientCloseCode: CloseCode?, serverCloseCode: CloseCode?,
            closeReason: String, wasClean: Bool, error: String?, at: TrafficTimestamp
        ) {
            self.connection = connection
            self.closedBy = closedBy
            self.clientCloseCode = clientCloseCode
            self.serverCloseCode = serverCloseCode
            self.closeReason = closeReason
            self.wasClean = wasClean
            self.error = error
            self.at = at
        }
    }
}

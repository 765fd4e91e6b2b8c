public import NIOCore

extension TrafficEvent {
    /// A whole data message, its fragments joined (and inflated when it was compressed): what the
    /// application on the other side reads. Reported right after the frame that completes it.
    public struct MessageSeen: Sendable {
        /// The connection it passed on.
        public var connection: UInt64
        /// Which way it went.
        public var direction: TrafficDirection
        /// Text (UTF-8) or binary.
        public var isText: Bool
        /// What the application reads, up to the capture limit (the first bytes; see ``isCut``).
        public var payload: ByteBuffer
        /// The message's whole length as the application reads it, when known (not when inflating a
        /// compressed message stopped early, or a frame's payload was cut before it could be inflated).
        public var length: UInt64?
        /// Whether ``payload`` holds only the start of the message.
        public var isCut: Bool
        /// How many frames carried it.
        public var frameCount: Int
        /// Whether it was sent compressed (permessage-deflate); ``payload`` is inflated then.
        public var wasCompressed: Bool
        /// When its last frame was seen.
        public var at: TrafficTimestamp

        /// A message of `frameCount` frames whose application data starts with `payload`.
        public init(
            connection: UInt64, direction: TrafficDirection, isText: Bool, payload: ByteBuffer, length: UInt64?,
            isCut: Bool, frameCount: Int, wasCompressed: Bool, at: TrafficTimestamp
        ) {
            self.connection = connection
            self.direction = direction
            self.isText = isText
            self.payload = payload
            self.length = length
            self.isCut = isCut
            self.frameCount = frameCount
            self.wasCompressed = wasCompressed
            self.at = at
        }
    }
}

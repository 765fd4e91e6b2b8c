public import WSTapCore

/// One whole message as a lens reads it: its fragments joined, inflated when it was compressed.
public struct LensMessage: Sendable {
    /// Which way it went.
    public var direction: TrafficDirection
    /// Text (UTF-8) or binary.
    public var isText: Bool
    /// The application data (only its start when ``isCut``).
    public var bytes: [UInt8]
    /// Whether ``bytes`` holds only the start of the message (the capture limit).
    public var isCut: Bool

    /// A message going `direction`.
    public init(direction: TrafficDirection, isText: Bool, bytes: [UInt8], isCut: Bool = false) {
        self.direction = direction
        self.isText = isText
        self.bytes = bytes
        self.isCut = isCut
    }

    /// A text message going `direction`.
    public static func text(_ text: String, _ direction: TrafficDirection) -> LensMessage {
        LensMessage(direction: direction, isText: true, bytes: Array(text.utf8))
    }

    /// A binary message going `direction`.
    public static func binary(_ bytes: [UInt8], _ direction: TrafficDirection) -> LensMessage {
        LensMessage(direction: direction, isText: false, bytes: bytes)
    }

    /// The bytes as text, when they are valid UTF-8.
    public var text: String? {
        String(validating: bytes, as: UTF8.self)
    }
}

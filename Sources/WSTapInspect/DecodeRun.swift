public import NIOCore
public import WSTapCore

/// The work of `wstap decode`: bytes in, one line (or JSON `frame` event, docs/json-events.md) per frame
/// out, numbered from 0.
public enum DecodeRun {
    /// How to read the bytes.
    public struct Options: Hashable, Sendable {
        /// Which protocol the bytes are (`--variant`).
        public var variant: ProtocolVariant
        /// Who sent the bytes (masking rules); `nil` skips those rules.
        public var role: EndpointRole?
        /// hybi-00 only: the framing the bytes are in (`--framing`).
        public var framing: Hybi00Framing
        /// RSV bits an extension allows, so that they are not reported.
        public var allowedReservedBits: ReservedBits
        /// One JSON object per frame instead of a line (`--json`).
        public var json: Bool

        /// Options that read RFC 6455 from either side, allowing no RSV bits, as lines, unless told otherwise.
        public init(
            variant: ProtocolVariant = .rfc6455, role: EndpointRole? = nil, framing: Hybi00Framing = .old,
            allowedReservedBits: ReservedBits = [], json: Bool = false
        ) {
            self.variant = variant
            self.role = role
            self.framing = framing
            self.allowedReservedBits = allowedReservedBits
            self.json = json
        }
    }

    /// What was found.
    public struct Summary: Hashable, Sendable {
        /// How many frames were decoded.
        public var frames = 0
        /// How many of them break a rule.
        public var framesWithViolations = 0
        /// Whether the bytes ended inside a frame.
        public var leftoverBytes = false
    }

    /// Decodes `bytes` and hands each output line to `emit`.
    @discardableResult
    public static func run(_ bytes: ByteBuffer, options: Options, emit: (String) -> Void) -> Summary {
        var summary = Summary()
        // Frames a client sent travel c2s; without a role the direction is unknown.
        let direction = options.role.map { $0 == .client ? TrafficDirection.clientToServer : .serverToClient }
        func report<Frame: DescribedFrame>(_ frame: Frame) {
            if !frame.violations.isEmpty { summary.framesWithViolations += 1 }
            emit(
                options.json
                    ? frame.json(index: summary.frames, direction: direction) : frame.line(index: summary.frames))
            summary.frames += 1
        }
        switch options.variant {
        case .rfc6455:
            var decoder = FrameDecoder(
                configuration: FrameDecoderConfiguration(
                    sender: options.role, allowedReservedBits: options.allowedReservedBits))
            decoder.append(bytes)
            while let frame = decoder.nextFrame() { report(frame) }
            if let leftover = decoder.finish() {
                summary.leftoverBytes = true
                emit(
                    options.json
                        ? FrameDescription.json(leftover, direction: direction) : FrameDescription.line(leftover))
            }
        case .hybi00:
            var decoder = Hybi00FrameDecoder(framing: options.framing)
            decoder.append(bytes)
            while let frame = decoder.nextFrame() { report(frame) }
            if let leftover = decoder.finish() {
                summary.leftoverBytes = true
                report(leftover)
            }
        }
        return summary
    }

    /// Reads the `decode` input: hexadecimal text, or raw bytes.
    public static func input(from bytes: [UInt8], isHexText: Bool) throws(InputError) -> ByteBuffer {
        guard isHexText else { return ByteBuffer(bytes: bytes) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError("hex input", "is not text; to decode raw bytes use --file, or --raw for standard input")
        }
        return ByteBuffer(bytes: try HexText.parse(text))
    }
}

/// A frame of either variant as ``DecodeRun/run(_:options:emit:)`` reports it.
private protocol DescribedFrame {
    var violations: [Violation] { get }
    /// The frame as a `frame` event, as `FrameDescription.json` writes it.
    func json(index: Int, direction: TrafficDirection?) -> String
    /// The frame as a line, as `FrameDescription.line` writes it.
    func line(index: Int) -> String
}

extension DecodedFrame: DescribedFrame {
    fileprivate func json(index: Int, direction: TrafficDirection?) -> String {
        FrameDescription.json(self, index: index, direction: direction)
    }
    fileprivate func line(index: Int) -> String { FrameDescription.line(self, index: index) }
}

extension Hybi00Frame: DescribedFrame {
    fileprivate func json(index: Int, direction: TrafficDirection?) -> String {
        FrameDescription.json(self, index: index, direction: direction)
    }
    fileprivate func line(index: Int) -> String { FrameDescription.line(self, index: index) }
}

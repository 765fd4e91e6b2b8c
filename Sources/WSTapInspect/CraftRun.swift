import NIOCore
public import WSTapCore

/// The work of `wstap craft`: flags in, one frame's bytes out, every invalid form allowed.
public enum CraftRun {
    /// The flags of `wstap craft`, as given (validated by ``bytes(for:using:)``).
    public struct Options: Hashable, Sendable {
        /// Which protocol to write a frame of (`--variant`).
        public var variant: ProtocolVariant = .rfc6455
        /// hybi-00 only: the framing to write in (`--framing`).
        public var framing: Hybi00Framing = .old
        /// The FIN bit (`--fin`); RFC 6455 only.
        public var fin: Bool = true
        /// RSV1-3 as a number 0-7 (RSV1 = 4).
        public var rsv: Int = 0
        /// A name or a number 0-15; `nil` means text, or close when a close code is given.
        public var opcode: String?
        /// `none`, `random`, or eight hex digits; `nil` means none.
        public var mask: String?
        /// `auto`, `7`, `16` or `64`.
        public var lengthEncoding: String = "auto"
        /// The length to write in the header, true or not (`--length`); `nil` writes the payload's real length.
        public var declaredLength: UInt64?
        /// The payload as text, sent as UTF-8 (`--text`); at most one of `text`, `hex` and `fileBytes`.
        public var text: String?
        /// The payload as hex digits, spaces allowed (`--hex`).
        public var hex: String?
        /// The payload as a file's bytes (`--file`).
        public var fileBytes: [UInt8]?
        /// A close code to put before the payload (`--close-code`, 0-65535, any value): makes the frame a close
        /// unless an opcode is given.
        public var closeCode: Int?
        /// The close reason after the code (`--reason`); needs `closeCode`.
        public var reason: String?
        /// hybi-00 only: the frame-type byte (a number, `0x..` accepted).
        public var hybiTypeByte: String?

        /// The defaults: a final, unmasked, empty RFC 6455 text frame with its length minimally encoded.
        public init() {}
    }

    /// The frame's bytes.
    public static func bytes(
        for options: Options, using generator: inout some RandomNumberGenerator
    ) throws(InputError) -> [UInt8] {
        var payload = try payloadBytes(options)
        switch options.variant {
        case .rfc6455:
            let opcode = try opcode(options)
            if let code = options.closeCode {
                guard (0...0xFFFF).contains(code) else {
                    throw InputError("--close-code", "\(code) is out of range: a close code is 0-65535")
                }
                payload = CloseBody(code: CloseCode(UInt16(code)), reason: options.reason ?? "").bytes + payload
            } else if options.reason != nil {
                throw InputError("--reason", "needs --close-code: a close reason follows the code on the wire")
            }
            guard (0...7).contains(options.rsv) else {
                throw InputError("--rsv", "\(options.rsv) is out of range: RSV1-3 make a number 0-7 (RSV1 = 4)")
            }
            let spec = FrameSpec(
                fin: options.fin, reservedBits: ReservedBits(number: UInt8(options.rsv)), opcode: opcode,
                mask: try mask(options), lengthEncoding: try lengthEncoding(options),
                declaredLength: options.declaredLength, payload: payload)
            do {
                var buffer = ByteBuffer()
                try FrameEncoder.encode(spec, into: &buffer, using: &generator)
                return Array(buffer.readableBytesView)
            } catch {
                throw InputError("--declared-length/--length-encoding", error.description)
            }
        case .hybi00:
            if options.closeCode != nil || options.reason != nil {
                throw InputError("--close-code", "hybi-00 close frames carry no status code or reason")
            }
            if options.mask != nil, options.mask != "none" {
                throw InputError("--mask", "hybi-00 frames are never masked")
            }
            var typeByte: UInt8? = nil
            if let given = options.hybiTypeByte {
                guard let value = parseNumber(given), value <= 0xFF else {
                    throw InputError("--type-byte", "'\(given)' is not a byte value (0-255 or 0x00-0xff)")
                }
                typeByte = UInt8(value)
            }
            let isClose: Bool
            switch options.opcode.map({ $0.lowercased() }) {
            case nil, "text": isClose = false
            case "close": isClose = true
            case let other?:
                throw InputError("--opcode", "'\(other)' does not exist in hybi-00: use text or close (or --type-byte)")
            }
            let spec = Hybi00FrameSpec(
                framing: options.framing, typeByte: typeByte, isClose: isClose,
                declaredLength: options.declaredLength, payload: payload)
            return Hybi00FrameEncoder.encode(spec)
        }
    }

    private static func payloadBytes(_ options: Options) throws(InputError) -> [UInt8] {
        let sources = [options.text != nil, options.hex != nil, options.fileBytes != nil].filter { $0 }.count
        guard sources <= 1 else {
            throw InputError("payload", "give at most one of --text, --hex and --file")
        }
        if let text = options.text { return Array(text.utf8) }
        if let hex = options.hex { return try HexText.parse(hex) }
        return options.fileBytes ?? []
    }

    private static func opcode(_ options: Options) throws(InputError) -> Opcode {
        guard let name = options.opcode else {
            return options.closeCode != nil ? .close : .text
        }
        guard let opcode = Opcode(name: name) else {
            throw InputError(
                "--opcode",
                "'\(name)' is not an opcode: use text, binary, continuation, close, ping, pong or a number 0-15")
        }
        return opcode
    }

    private static func mask(_ options: Options) throws(InputError) -> FrameSpec.Mask {
        switch options.mask?.lowercased() {
        case nil, "none": return .none
        case "random": return .random
        case let given?:
            guard let key = MaskingKey(hex: given) else {
                throw InputError("--mask", "'\(given)' is not none, random or a key of 8 hex digits like 37fa213d")
            }
            return .key(key)
        }
    }

    private static func lengthEncoding(_ options: Options) throws(InputError) -> PayloadLengthEncoding? {
        switch options.lengthEncoding.lowercased() {
        case "auto": return nil
        case "7": return .bits7
        case "16": return .bits16
        case "64": return .bits64
        default:
            throw InputError("--length-encoding", "'\(options.lengthEncoding)' is not auto, 7, 16 or 64")
        }
    }

    /// A decimal or `0x` hexadecimal number.
    static func parseNumber(_ text: String) -> UInt64? {
        let lowered = text.lowercased()
        if lowered.hasPrefix("0x") { return UInt64(lowered.dropFirst(2), radix: 16) }
        return UInt64(lowered)
    }
}

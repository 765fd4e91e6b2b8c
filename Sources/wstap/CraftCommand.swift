import ArgumentParser
import WSTapCore
import WSTapInspect
import WSTapRuntime

/// `wstap craft`: one frame, valid or deliberately broken, printed as hex or raw bytes.
struct CraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "craft",
        abstract: "Print one WebSocket frame built from flags, invalid forms included.",
        discussion: """
            Examples:
              wstap craft --text Hello --mask 37fa213d
              wstap craft --opcode close --close-code 1000 --reason bye
              wstap craft --opcode 3 --rsv 4 --length-encoding 64 --hex 'de ad be ef'
              wstap craft --variant hybi00 --framing new --text hi
            """
    )

    @Option(help: "FIN bit: 0 or 1.") var fin: Int = 1
    @Option(help: "RSV1-3 as a number 0-7 (RSV1 = 4, RSV2 = 2, RSV3 = 1).") var rsv: Int = 0

    @Option(help: "text, binary, continuation, close, ping, pong, or 0-15. Default: text (close with --close-code).")
    var opcode: String?

    @Option(help: "none, random (a cryptographically random key) or a key of 8 hex digits.") var mask: String = "none"
    @Option(help: "auto, 7, 16 or 64: how the payload length is written.") var lengthEncoding: String = "auto"
    @Option(help: "The length to write in the header, if not the payload's real length.") var declaredLength: UInt64?
    @Option(help: "Payload: text, sent as UTF-8.") var text: String?
    @Option(help: "Payload: hexadecimal bytes (spaces and colons allowed).") var hex: String?
    @Option(help: "Payload: the bytes of a file.") var file: String?
    @Option(help: "Close status code (0-65535); the payload becomes the close body.") var closeCode: Int?
    @Option(help: "Close reason (needs --close-code).") var reason: String?
    @OptionGroup var format: WireFormatOptions

    @Option(name: .customLong("type-byte"), help: "hybi-00 only: the frame-type byte (0-255 or 0x00-0xff).")
    var typeByte: String?

    @Flag(help: "Write raw bytes instead of hex.") var raw = false

    func validate() throws {
        guard fin == 0 || fin == 1 else { throw ValidationError("--fin must be 0 or 1, not \(fin)") }
    }

    func run() throws {
        var options = CraftRun.Options()
        options.variant = format.variant
        options.framing = format.framing
        options.fin = fin == 1
        options.rsv = rsv
        options.opcode = opcode
        options.mask = mask
        options.lengthEncoding = lengthEncoding
        options.declaredLength = declaredLength
        options.text = text
        options.hex = hex
        options.fileBytes = try file.map { try CommandIO.readFile($0) }
        options.closeCode = closeCode
        options.reason = reason
        options.hybiTypeByte = typeByte
        var generator = SystemRandomNumberGenerator()
        let bytes = try CommandIO.orFail { () throws(InputError) in try CraftRun.bytes(for: options, using: &generator)
        }
        if raw {
            CommandIO.writeRaw(bytes)
        } else {
            print(HexText.format(bytes, separator: " "))
        }
    }
}

import ArgumentParser
import WSTapCore
import WSTapInspect
import WSTapRuntime

/// `wstap decode`: frames from hex or raw bytes, one line (or JSON object) each, violations included.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode WebSocket frames from hex or raw bytes and show every field and violation.",
        discussion: """
            Input: --hex, --file (raw bytes), or standard input (hex text; raw with --raw).
            Examples:
              wstap decode --hex '81 85 37 fa 21 3d 7f 9f 4d 51 58' --role client
              wstap craft --opcode 3 | wstap decode
              wstap decode --file capture.bin --json
            """
    )

    @Option(help: "The frames as hexadecimal text.") var hex: String?
    @Option(help: "A file holding the raw frame bytes.") var file: String?
    @Flag(help: "Read raw bytes (not hex text) from standard input.") var raw = false
    @Option(help: "Who sent the bytes: client or server (checks the masking rules).") var role: EndpointRole?
    @OptionGroup var format: WireFormatOptions
    @Option(help: "RSV bits an extension allows, as a number 0-7 (4: permessage-deflate's RSV1).") var allowRsv: Int = 0
    @Flag(help: "Print one JSON object per frame.") var json = false

    func validate() throws {
        guard hex == nil || file == nil else { throw ValidationError("give --hex or --file, not both") }
        guard (0...7).contains(allowRsv) else { throw ValidationError("--allow-rsv must be 0-7, not \(allowRsv)") }
    }

    func run() throws {
        let bytes = try DecodeInput.bytes(hex: hex, file: file, rawStandardInput: raw)
        let options = DecodeRun.Options(
            variant: format.variant, role: role, framing: format.framing,
            allowedReservedBits: ReservedBits(number: UInt8(allowRsv)), json: json)
        DecodeRun.run(bytes, options: options) { print($0) }
    }
}

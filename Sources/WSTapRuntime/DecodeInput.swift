public import NIOCore
import WSTapInspect

/// What `wstap decode` decodes: hex text given on the command line, the raw bytes of a file, or standard
/// input (hex text, or raw bytes).
public enum DecodeInput {
    /// The bytes: from `hex` if given, else from `file`, else from standard input (raw with
    /// `rawStandardInput`). Bad hex text, and no bytes at all, are errors that say where.
    public static func bytes(hex: String?, file: String?, rawStandardInput: Bool) throws -> ByteBuffer {
        let input: [UInt8]
        let isHexText: Bool
        if let hex {
            input = Array(hex.utf8)
            isHexText = true
        } else if let file {
            input = try CommandIO.readFile(file)
            isHexText = false
        } else {
            input = try CommandIO.readStandardInput()
            isHexText = !rawStandardInput
        }
        let bytes = try CommandIO.orFail { () throws(InputError) in
            try DecodeRun.input(from: input, isHexText: isHexText)
        }
        guard bytes.readableBytes > 0 else {
            let source = hex != nil ? "--hex is empty" : file.map { "\($0) is empty" } ?? "standard input was empty"
            throw CommandFailure("no bytes to decode: \(source)")
        }
        return bytes
    }
}

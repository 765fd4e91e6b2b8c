import NIOCore
import WSTapCore
public import WSTapExport
public import WSTapSession

/// `wstap export`: a recording out to tools that read other formats, a pcapng capture (Wireshark, tshark) and
/// an HTTP Archive (browser devtools, HAR viewers). Each returns the line that says what was written.
public enum RecordingExport {
    /// Writes the recording (only connection `connection`'s, if given) as a pcapng capture to `path`.
    public static func pcapng(
        _ reader: RecordingReader, to path: String, connection: UInt64?, options: PcapngExporter.Options
    ) throws -> String {
        let output = try OutputFile(path)
        let exporter = PcapngExporter(options: options, application: "wstap \(WSTapVersion.string)") {
            try output.write($0)
        }
        do {
            try RecordingInput.forEach(in: reader, connection: connection) { try exporter.add($0, wireBytes: $1) }
            try exporter.finish()
            try output.close()
        } catch let error as ExportError {
            throw CommandFailure("\(reader.path): \(error.description)")
        }
        return "pcapng: \(CountWords.of(exporter.connectionCount, "connection")), "
            + "\(CountWords.of(exporter.frameCount, "frame")) -> \(path)"
            + (exporter.skippedFrameCount > 0
                ? " (\(exporter.skippedFrameCount) injected or edited frames left out)" : "")
    }

    /// Connection `connection` of the recording (the first one when `nil`) as a command or script that opens it
    /// again and sends the client's messages.
    public static func clientScript(
        _ reader: RecordingReader, as kind: ClientScript.Kind, connection: UInt64?
    ) throws -> String {
        let transcripts = ConnectionTranscript.group(
            recorded: try RecordingInput.events(in: reader, connection: connection))
        guard let transcript = transcripts.first(where: { $0.opened != nil }) else {
            throw CommandFailure(
                "\(reader.path): "
                    + (connection.map { "no connection \($0) in the recording" } ?? "no opened connection"))
        }
        do {
            return ClientScript.make(kind, try ClientScript.Connection(transcript))
        } catch {
            throw CommandFailure("\(reader.path): \(error.description)")
        }
    }

    /// Writes the recording (only connection `connection`'s, if given) as a HAR 1.2 archive to `path`.
    public static func har(_ reader: RecordingReader, to path: String, connection: UInt64?) throws -> String {
        let transcripts = ConnectionTranscript.group(
            recorded: try RecordingInput.events(in: reader, connection: connection))
        let document = HARExporter.document(transcripts, creatorVersion: WSTapVersion.string)
        let output = try OutputFile(path)
        try output.write(ByteBuffer(string: document))
        try output.close()
        return "har: \(CountWords.of(transcripts.filter { $0.opened != nil }.count, "connection")) -> \(path)"
    }
}

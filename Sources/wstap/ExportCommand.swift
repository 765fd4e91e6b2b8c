import ArgumentParser
import Foundation
import NIOCore
import WSTapCore
import WSTapExport
import WSTapRuntime
import WSTapSession

/// `wstap export`: a recording out to tools that read other formats: a pcapng capture (Wireshark,
/// tshark) and an HTTP Archive (browser devtools, HAR viewers).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recording as a pcapng capture (--pcapng) and/or a HAR 1.2 archive (--har).",
        discussion: """
            pcapng: each connection becomes a synthesized TCP connection over loopback (client 127.0.0.1, \
            server 127.0.0.2) with the HTTP upgrade and every frame's exact bytes at its recorded time. The \
            server side is port 80, so Wireshark dissects it as WebSocket as it is; with --keep-ports it keeps \
            the recorded port (then: tshark -d tcp.port==PORT,http). hybi-00 connections are written too.
            HAR: one entry per connection with Chrome's _webSocketMessages (whole messages, inflated when \
            compressed; binary as base64).

            Examples:
              wstap export session.jsonl --pcapng session.pcapng
              tshark -r session.pcapng -Y websocket -T fields -e websocket.opcode \\
                  -e websocket.payload_length
              wstap export session.jsonl --har session.har --conn 2
            """
    )

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).")
    var file: String

    @Option(help: "Write a pcapng capture to this file.")
    var pcapng: String?

    @Option(help: "Write a HAR 1.2 archive to this file.")
    var har: String?

    @Option(help: "Only this connection.")
    var conn: UInt64?

    @Flag(help: "pcapng: keep the recorded server port instead of 80.")
    var keepPorts = false

    @Option(help: "pcapng: the largest TCP payload per packet (bytes).")
    var mss = 1460

    func validate() throws {
        guard pcapng != nil || har != nil else {
            throw ValidationError("give --pcapng FILE, --har FILE or both")
        }
        guard (1...65_495).contains(mss) else {
            throw ValidationError("--mss \(mss): expected 1 to 65495")
        }
    }

    func run() throws {
        let reader = try RecordingInput.open(file)
        if let pcapng {
            let output = try OutputFile(pcapng)
            let exporter = PcapngExporter(
                options: .init(keepsRecordedPorts: keepPorts, maximumSegmentSize: mss),
                application: "wstap \(WSTapVersion.string)"
            ) { try output.write($0) }
            do {
                try RecordingInput.forEach(in: reader, connection: conn) { try exporter.add($0, wireBytes: $1) }
                try exporter.finish()
                try output.close()
            } catch let error as ExportError {
                throw CommandFailure("\(file): \(error.description)")
            }
            print(
                "pcapng: \(CountWords.of(exporter.connectionCount, "connection")), \(CountWords.of(exporter.frameCount, "frame")) -> \(pcapng)"
                    + (exporter.skippedFrameCount > 0
                        ? " (\(exporter.skippedFrameCount) injected or edited frames left out)" : ""))
        }
        if let har {
            let transcripts = ConnectionTranscript.group(
                recorded: try RecordingInput.events(in: reader, connection: conn))
            let document = HARExporter.document(transcripts, creatorVersion: WSTapVersion.string)
            let output = try OutputFile(har)
            try output.write(ByteBuffer(string: document))
            try output.close()
            print("har: \(CountWords.of(transcripts.filter { $0.opened != nil }.count, "connection")) -> \(har)")
        }
    }
}

/// A file written from the start (truncated), with errors that name it.
final class OutputFile {
    private let path: String
    private let handle: FileHandle

    init(_ path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CommandFailure("cannot create '\(path)'")
        }
        self.handle = handle
    }

    func write(_ bytes: ByteBuffer) throws {
        do {
            try handle.write(contentsOf: Data(bytes.readableBytesView))
        } catch {
            throw CommandFailure("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    func close() throws {
        do {
            try handle.close()
        } catch {
            throw CommandFailure("cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}

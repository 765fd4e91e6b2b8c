import ArgumentParser
import WSTapExport
import WSTapRuntime

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

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).") var file: String
    @Option(help: "Write a pcapng capture to this file.") var pcapng: String?
    @Option(help: "Write a HAR 1.2 archive to this file.") var har: String?
    @Option(help: "Only this connection.") var conn: UInt64?
    @Flag(help: "pcapng: keep the recorded server port instead of 80.") var keepPorts = false
    @Option(help: "pcapng: the largest TCP payload per packet (bytes).") var mss = 1460

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
            print(
                try RecordingExport.pcapng(
                    reader, to: pcapng, connection: conn,
                    options: .init(keepsRecordedPorts: keepPorts, maximumSegmentSize: mss)))
        }
        if let har {
            print(try RecordingExport.har(reader, to: har, connection: conn))
        }
    }
}

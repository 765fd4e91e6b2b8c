import ArgumentParser
import WSTapExport
import WSTapRuntime

/// `wstap export`: a recording out to tools that read other formats: a pcapng capture (Wireshark,
/// tshark) and an HTTP Archive (browser devtools, HAR viewers).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write a recording as a pcapng capture (--pcapng), a HAR 1.2 archive (--har), or a client (--as).",
        discussion: """
            pcapng: each connection becomes a synthesized TCP connection over loopback (client 127.0.0.1, \
            server 127.0.0.2) with the HTTP upgrade and every frame's exact bytes at its recorded time. The \
            server side is port 80, so Wireshark dissects it as WebSocket as it is; with --keep-ports it keeps \
            the recorded port (then: tshark -d tcp.port==PORT,http). hybi-00 connections are written too.
            HAR: one entry per connection with Chrome's _webSocketMessages (whole messages, inflated when \
            compressed; binary as base64).
            --as curl|websocat|python|js prints a command or a short script that opens the connection again \
            (--conn N, default the first: URL, headers, subprotocols) and sends the client's messages (curl: the \
            handshake only; websocat: text messages only).

            Examples:
              wstap export session.jsonl --pcapng session.pcapng
              tshark -r session.pcapng -Y websocket -T fields -e websocket.opcode \\
                  -e websocket.payload_length
              wstap export session.jsonl --har session.har --conn 2
              wstap export session.jsonl --as python > again.py && python3 again.py
            """
    )

    @Argument(help: "The recording (JSON Lines, docs/recording-format.md).") var file: String
    @Option(help: "Write a pcapng capture to this file.") var pcapng: String?
    @Option(help: "Write a HAR 1.2 archive to this file.") var har: String?
    @Option(name: .customLong("as"), help: "Print the connection as a client: curl, websocat, python or js.")
    var client: ClientScript.Kind?
    @Option(help: "Only this connection.") var conn: UInt64?
    @Flag(help: "pcapng: keep the recorded server port instead of 80.") var keepPorts = false
    @Option(help: "pcapng: the largest TCP payload per packet (bytes).") var mss = 1460

    func validate() throws {
        guard pcapng != nil || har != nil || client != nil else {
            throw ValidationError("give --pcapng FILE, --har FILE, --as KIND, or several")
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
        if let client {
            print(try RecordingExport.clientScript(reader, as: client, connection: conn), terminator: "")
        }
    }
}

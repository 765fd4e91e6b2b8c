import Foundation
import Testing
import WSTapCore
import WSTapTestSupport

/// `wstap decode` agrees with an independent dissector: frames crafted by `wstap craft` cross a real
/// TCP connection on loopback while tshark captures it, and tshark's reading of every frame is
/// compared with ours.
@Suite(.serialized) struct TsharkAgreementTests {
    /// Who sends each frame, and the `wstap craft` flags that make it.
    static let frames: [(EndpointRole, [String])] = [
        (.client, ["--text", "Hello", "--mask", "37fa213d"]),
        (.server, ["--text", "Hi there"]),
        (.client, ["--opcode", "binary", "--hex", String(repeating: "ab", count: 200), "--mask", "random"]),
        (.server, ["--opcode", "binary", "--file", largePayloadPath]),
        (.client, ["--opcode", "text", "--fin", "0", "--text", "Hel", "--mask", "01020304"]),
        (.client, ["--opcode", "continuation", "--text", "lo", "--mask", "05060708"]),
        (.client, ["--opcode", "ping", "--text", "are you there", "--mask", "random"]),
        (.server, ["--opcode", "pong", "--text", "are you there"]),
        (.client, ["--opcode", "3", "--hex", "00ff", "--mask", "random"]),
        (.server, ["--opcode", "11"]),
        (.client, ["--rsv", "2", "--text", "rsv2", "--mask", "random"]),
        (.client, ["--length-encoding", "16", "--text", "short in 16 bits", "--mask", "random"]),
        (.client, ["--opcode", "close", "--close-code", "1000", "--reason", "bye", "--mask", "0badf00d"]),
        (.server, ["--opcode", "close", "--close-code", "4001", "--reason", "ok"]),
    ]

    /// A 70,000-byte payload (a 64-bit length), too long to pass as an argument. A name of its own for this
    /// run: test runs of other checkouts share the temporary folder, and one removing the file while another
    /// crafts from it failed that one.
    static let largePayloadPath = FileManager.default.temporaryDirectory.appendingPathComponent(
        "wstap-70000-\(UUID().uuidString).bin"
    ).path

    @Test func decodeAgreesWithTshark() async throws {
        try await offThePool {
            _ = FileManager.default.createFile(
                atPath: Self.largePayloadPath, contents: Data(repeating: 1, count: 70_000))
            defer { try? FileManager.default.removeItem(atPath: Self.largePayloadPath) }
            guard let tshark = PeerProcess.which("tshark") else {
                Issue.record("tshark is not installed: run scripts/test.sh, which installs it")
                return
            }
            // Craft every frame with the CLI.
            var crafted: [(EndpointRole, [UInt8])] = []
            for (role, flags) in Self.frames {
                let result = try ToolRunner.wstap(["craft"] + flags)
                #expect(result.status == 0, "craft \(flags): \(result.stderr)")
                crafted.append((role, hexBytes(result.text)))
            }

            let pair = try LoopbackSocketPair()
            let capture = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-\(pair.port).pcapng")
            defer { try? FileManager.default.removeItem(at: capture) }
            // tshark's own capture engine, run directly: tshark stops it with SIGINT, which a test runner
            // started in the background may have ignored; dumpcap stops cleanly on SIGTERM.
            guard let dumpcap = PeerProcess.which("dumpcap") else {
                Issue.record("dumpcap (part of tshark) is not installed")
                return
            }
            let captureProcess = try startCapture(dumpcap: dumpcap, port: pair.port, file: capture.path)

            try pair.connect()
            let key = RFC6455Handshake.makeClientKey()
            let request = RFC6455Handshake.makeClientRequest(host: "127.0.0.1:\(pair.port)", path: "/tap", key: key)
            try pair.write(request.serialized(), to: pair.client)
            let requestHead = try HTTPHeadParser.parseRequest(try pair.readHead(from: pair.server))
            guard case .success(let upgrade) = RFC6455Handshake.validateClientRequest(requestHead) else {
                Issue.record("our own request was rejected")
                return
            }
            try pair.write(RFC6455Handshake.makeServerResponse(for: upgrade).serialized(), to: pair.server)
            _ = try pair.readHead(from: pair.client)

            for (role, bytes) in crafted {
                let (from, to) = role == .client ? (pair.client, pair.server) : (pair.server, pair.client)
                // Write on another thread: a large frame can exceed what the socket buffers hold.
                let writer = Thread { try? pair.write(bytes, to: from) }
                writer.start()
                #expect(try pair.read(bytes.count, from: to) == bytes)
                usleep(20_000)  // one frame per TCP segment, so tshark's fields line up frame by frame
            }
            usleep(500_000)
            captureProcess.terminate()

            let dissected = try readCapture(tshark: tshark, port: pair.port, file: capture.path)
            #expect(dissected.count == crafted.count, "tshark saw \(dissected.count) frames, we sent \(crafted.count)")

            for (index, (role, bytes)) in crafted.enumerated() where index < dissected.count {
                let theirs = dissected[index]
                let decoded = try ToolRunner.wstap(
                    ["decode", "--json", "--role", role.rawValue], stdin: Data(hexString(bytes).utf8))
                let lines = decoded.text.split(separator: "\n")
                #expect(lines.count == 1, "frame \(index): \(decoded.text)")
                guard let line = lines.first,
                    let ours = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                else {
                    Issue.record("frame \(index): no JSON from decode")
                    continue
                }
                let context = "frame \(index) \(Self.frames[index].1)"
                #expect(theirs["websocket.fin"] == ((ours["fin"] as? Bool) == true ? "1" : "0"), "\(context)")
                let rsv =
                    ((ours["rsv1"] as? Bool) == true ? 4 : 0) + ((ours["rsv2"] as? Bool) == true ? 2 : 0)
                    + ((ours["rsv3"] as? Bool) == true ? 1 : 0)
                #expect(theirs["websocket.rsv"].flatMap(parseNumber) == rsv, "\(context)")
                #expect(theirs["websocket.opcode"].flatMap(parseNumber) == ours["opcode"] as? Int, "\(context)")
                #expect(theirs["websocket.mask"] == ((ours["masked"] as? Bool) == true ? "1" : "0"), "\(context)")
                let theirKey = theirs["websocket.masking_key"].map { $0.replacingOccurrences(of: ":", with: "") }
                #expect(theirKey == ours["maskingKey"] as? String, "\(context)")
                let theirLength =
                    theirs["websocket.payload_length_ext_64"] ?? theirs["websocket.payload_length_ext_16"]
                    ?? theirs["websocket.payload_length"]
                #expect(theirLength.flatMap(parseNumber) == ours["payloadLength"] as? Int, "\(context)")
                let close = ours["close"] as? [String: Any]
                #expect(
                    theirs["websocket.payload.close.status_code"].flatMap(parseNumber) == close?["code"] as? Int,
                    "\(context)")
                #expect(theirs["websocket.payload.close.reason"] == close?["reason"] as? String, "\(context)")
            }
        }
    }

    private func startCapture(dumpcap: String, port: UInt16, file: String) throws -> SignalableProcess {
        let process = try SignalableProcess(dumpcap, ["-i", "lo", "-f", "tcp port \(port)", "-w", file, "-q"])
        let deadline = Date().addingTimeInterval(20)
        while !process.standardError.contains("Capturing on"), process.isRunning, Date() < deadline {
            usleep(50_000)
        }
        guard process.standardError.contains("Capturing on") else {
            process.terminate()
            throw LoopbackSocketPair.Failure(description: "dumpcap did not start capturing: \(process.standardError)")
        }
        usleep(200_000)
        return process
    }

    /// Each dissected WebSocket frame as field name to value.
    private func readCapture(tshark: String, port: UInt16, file: String) throws -> [[String: String]] {
        let fields = [
            "websocket.fin", "websocket.rsv", "websocket.opcode", "websocket.mask", "websocket.masking_key",
            "websocket.payload_length", "websocket.payload_length_ext_16", "websocket.payload_length_ext_64",
            "websocket.payload.close.status_code", "websocket.payload.close.reason",
        ]
        let arguments =
            ["-r", file, "-d", "tcp.port==\(port),http", "-Y", "websocket", "-T", "json"]
            + fields.flatMap { ["-e", $0] }
        let result = try PeerProcess.run(tshark, arguments)
        #expect(result.status == 0, "tshark -r: \(result.stderr)")
        guard let packets = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] else {
            throw LoopbackSocketPair.Failure(description: "tshark printed no JSON: \(result.text.prefix(200))")
        }
        return packets.map { packet in
            let layers = (packet["_source"] as? [String: Any])?["layers"] as? [String: Any] ?? [:]
            var frame: [String: String] = [:]
            for (name, value) in layers {
                if let values = value as? [String], values.count == 1 {
                    frame[name] = values[0]
                } else if let values = value as? [String] {
                    frame[name] = values.joined(separator: ",")
                }
            }
            return frame
        }
    }

    private func parseNumber(_ text: String) -> Int? {
        text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
    }

    private func hexBytes(_ text: String) -> [UInt8] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
    }

    private func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

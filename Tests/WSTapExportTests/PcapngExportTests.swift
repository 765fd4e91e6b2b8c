import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapNetwork
import WSTapTestSupport

/// Recorded proxy traffic exported to pcapng reads back in tshark, an independent dissector: the same
/// frames, frame for frame, and the same bytes each way.
@Suite(.serialized) struct PcapngExportTests {
    /// What tshark says about one WebSocket frame, and what we expect it to say.
    struct FrameFields: Equatable, CustomStringConvertible {
        var fromClient: Bool
        var opcode: Int
        var masked: Bool
        var payloadLength: Int
        var closeCode: Int?

        var description: String {
            "\(fromClient ? "c2s" : "s2c") op=\(opcode) mask=\(masked) len=\(payloadLength) code=\(closeCode.map(String.init) ?? "-")"
        }
    }

    static func recordRFC6455Session() async throws -> [TrafficEvent] {
        try await ProxiedSession.record { connection in
            try await connection.send("Hello")
            _ = await connection.receive()
            // 70,000 bytes: a 64-bit length, spanning many TCP segments.
            try await connection.send(bytes: (0..<70_000).map { UInt8(truncatingIfNeeded: $0) })
            _ = await connection.receive()
            // A fragmented text message.
            try await connection.send(ByteBuffer(string: "Hel"), opcode: .text, finalFragment: false)
            try await connection.send(ByteBuffer(string: "lo, "), opcode: .continuation, finalFragment: false)
            try await connection.send(ByteBuffer(string: "world"), opcode: .continuation, finalFragment: true)
            _ = await connection.receive()
            try await connection.ping(ByteBuffer(string: "are you there"))
            try await connection.send(String(repeating: "x", count: 300))  // a 16-bit length
            _ = await connection.receive()
            try await connection.close(code: CloseCode(4001), reason: "done here")
        }
    }

    static func export(_ events: [TrafficEvent], options: PcapngExporter.Options = .init()) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-\(UUID().uuidString).pcapng")
            .path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let exporter = PcapngExporter(options: options, application: "wstap tests") { buffer in
            handle.write(Data(buffer.readableBytesView))
        }
        for event in events { try exporter.add(event) }
        try exporter.finish()
        try handle.close()
        return path
    }

    @Test(arguments: [false, true])
    func tsharkReadsEveryFrame(keepsPorts: Bool) async throws {
        let tshark = try #require(PeerProcess.which("tshark"), "tshark is not installed: run scripts/test.sh")
        let events = try await Self.recordRFC6455Session()
        let path = try Self.export(events, options: .init(keepsRecordedPorts: keepsPorts))
        defer { try? FileManager.default.removeItem(atPath: path) }

        var expected: [FrameFields] = []
        for case .frame(let frame) in events {
            guard case .rfc6455(let decoded) = frame.content else { continue }
            expected.append(
                FrameFields(
                    fromClient: frame.direction == .clientToServer, opcode: Int(decoded.header.opcode.rawValue),
                    masked: decoded.header.isMasked, payloadLength: Int(decoded.header.payloadLength),
                    closeCode: decoded.closeBody?.code.map { Int($0.rawValue) }))
        }
        // The scenario's shape: a 64-bit length, a fragmented message, a close with a code, each way.
        #expect(expected.contains { $0.payloadLength == 70_000 && $0.fromClient && $0.masked })
        #expect(expected.contains { $0.opcode == 0 && $0.fromClient })
        #expect(expected.contains { $0.closeCode == 4001 && $0.fromClient })
        #expect(expected.contains { $0.closeCode == 4001 && !$0.fromClient })

        // With the server on port 80 tshark dissects the upgrade on its own; a kept port needs a rule.
        guard case .connectionOpened(let opened)? = events.first else {
            Issue.record("no opening recorded")
            return
        }
        let serverPort = keepsPorts ? try #require(try? WebSocketURL(opened.target)).port : 80
        #expect(keepsPorts == (serverPort != 80))
        let decodeAs = keepsPorts ? ["-d", "tcp.port==\(serverPort),http"] : []
        let fields = [
            "tcp.dstport", "websocket.opcode", "websocket.mask", "websocket.payload_length",
            "websocket.payload_length_ext_16", "websocket.payload_length_ext_64",
            "websocket.payload.close.status_code",
        ]
        let result = try await PeerProcess.run(
            tshark,
            ["-r", path] + decodeAs + ["-Y", "websocket", "-T", "fields", "-E", "separator=/t"]
                + fields.flatMap { ["-e", $0] })
        #expect(result.status == 0, "tshark: \(result.stderr)")
        let dissected = result.text.split(separator: "\n").map { line -> FrameFields in
            let column = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func value(_ index: Int) -> String { index < column.count ? column[index] : "" }
            let length = Int(value(5)) ?? Int(value(4)) ?? Int(value(3)) ?? -1
            return FrameFields(
                fromClient: Int(value(0)) == serverPort, opcode: Int(value(1)) ?? -1,
                masked: value(2) == "1" || value(2) == "True", payloadLength: length,
                closeCode: Int(value(6)))
        }
        #expect(dissected == expected)
    }

    @Test func eachDirectionsBytesAreThoseRecorded() async throws {
        let tshark = try #require(PeerProcess.which("tshark"), "tshark is not installed: run scripts/test.sh")
        let events = try await Self.recordRFC6455Session()
        let path = try Self.export(events, options: .init(maximumSegmentSize: 1000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.expectStreams(in: path, tshark: tshark, match: events)
    }

    @Test(arguments: [Hybi00Framing.old, .new])
    func hybi00ConnectionsAreWrittenToo(framing: Hybi00Framing) async throws {
        let tshark = try #require(PeerProcess.which("tshark"), "tshark is not installed: run scripts/test.sh")
        let events = try await ProxiedSession.record(variant: .hybi00, framing: framing) { connection in
            for text in ["one", "two", String(repeating: "3", count: 5000)] {
                try await connection.send(text)
                _ = await connection.receive()
            }
            await connection.close()
        }
        // The handshake's key bytes and answer are in the event, so the capture carries them too.
        guard case .connectionOpened(let opened)? = events.first else {
            Issue.record("no opening recorded")
            return
        }
        #expect(opened.requestBody.count == 8)
        #expect(opened.responseBody.count == 16)
        let path = try Self.export(events)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.expectStreams(in: path, tshark: tshark, match: events)
        // tshark still dissects the upgrade request and its 101 answer.
        let http = try await PeerProcess.run(
            tshark, ["-r", path, "-Y", "http", "-T", "fields", "-e", "http.request.method", "-e", "http.response.code"])
        #expect(http.status == 0, "tshark: \(http.stderr)")
        let rows = http.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(rows.contains("GET"), "\(http.text)")
        #expect(rows.contains("101"), "\(http.text)")
    }

    @Test func aFrameRecordedOnlyInPartIsRefused() throws {
        var tap = TrafficTap(connection: 7, variant: .rfc6455, payloadCaptureLimit: 10)
        var events: [TrafficEvent] = []
        let bytes = try FrameEncoder.encode(FrameSpec(opcode: .binary, payload: Array(repeating: 9, count: 100)))
        tap.bytes(
            ByteBuffer(bytes: bytes), direction: .serverToClient,
            at: TrafficTimestamp(wallSeconds: 1, monotonicNanoseconds: 1)
        ) { events.append($0) }
        let exporter = PcapngExporter(application: "test") { _ in }
        #expect(throws: ExportError.self) { try exporter.add(events[0]) }
    }

    /// The TCP payloads of each direction, joined, are the recorded handshake head and frames' wire bytes.
    static func expectStreams(in path: String, tshark: String, match events: [TrafficEvent]) async throws {
        var expected: [TrafficDirection: [UInt8]] = [:]
        for event in events {
            switch event {
            case .connectionOpened(let opened):
                expected[.clientToServer, default: []] += opened.request.wireBytes + opened.requestBody
                expected[.serverToClient, default: []] += opened.response.wireBytes + opened.responseBody
            case .frame(let frame):
                let bytes = try #require(RecordedFrameBytes.of(frame))
                expected[frame.direction, default: []] += Array(bytes.readableBytesView)
            case .leftoverBytes(_, let direction, let bytes, _):
                expected[direction, default: []] += Array(bytes.readableBytesView)
            default:
                continue
            }
        }
        // Analysis off and no dissection above TCP, so every segment's payload shows as it is.
        let result = try await PeerProcess.run(
            tshark,
            [
                "-r", path, "-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-E", "separator=/t",
                "-e", "tcp.srcport", "-e", "tcp.payload", "-e", "tcp.flags.syn", "-e", "tcp.flags.fin",
            ])
        #expect(result.status == 0, "tshark: \(result.stderr)")
        var seen: [TrafficDirection: [UInt8]] = [:]
        var syns = 0
        var fins = 0
        for line in result.text.split(separator: "\n") {
            let column = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard column.count >= 4 else { continue }
            let direction: TrafficDirection = column[0] == "80" ? .serverToClient : .clientToServer
            seen[direction, default: []] += hexBytes(column[1])
            if column[2] == "1" || column[2] == "True" { syns += 1 }
            if column[3] == "1" || column[3] == "True" { fins += 1 }
        }
        #expect(syns == 2)
        #expect(fins == 2)
        for direction in TrafficDirection.allCases {
            let theirs = seen[direction] ?? []
            let ours = expected[direction] ?? []
            #expect(theirs.count == ours.count, "\(direction)")
            let firstDifference = zip(theirs, ours).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(firstDifference == nil, "\(direction): the bytes differ from offset \(firstDifference ?? -1)")
        }
    }

    static func hexBytes(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8).filter { $0 != UInt8(ascii: ":") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index + 1 < digits.count {
            if let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) {
                bytes.append(byte)
            }
            index += 2
        }
        return bytes
    }
}

import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapExport
import WSTapTestSupport

/// A hybi-00 connection decoded again in another framing: its frames are reported twice, its bytes are
/// written once.
@Suite(.serialized) struct RedecodedFramingTests {
    @Test func bytesAreWrittenOnce() async throws {
        let tshark = try #require(PeerProcess.which("tshark"), "tshark is not installed: run scripts/test.sh")
        let time = TrafficTimestamp(wallSeconds: 1_700_000_000, monotonicNanoseconds: 1)
        let request = HTTPRequestHead(
            method: "GET", target: "/", headers: ["Host": "example", "Upgrade": "WebSocket", "Connection": "Upgrade"])
        let response = HTTPResponseHead(
            statusCode: 101, reason: "WebSocket Protocol Handshake",
            headers: ["Upgrade": "WebSocket", "Connection": "Upgrade"])
        var events: [TrafficEvent] = [
            .connectionOpened(
                .init(
                    connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://example/", request: request,
                    response: response, variant: .hybi00, framing: .old, subprotocol: nil, extensions: [], at: time))
        ]
        var wire = ByteBuffer()
        Hybi00FrameEncoder.writeText(Array("hello".utf8), framing: .new, into: &wire)
        Hybi00FrameEncoder.writeText(Array("again".utf8), framing: .new, into: &wire)
        // First read in the old framing (wrongly), then again in the new one.
        for framing in [Hybi00Framing.old, .new] {
            var tap = TrafficTap(connection: 1, variant: .hybi00, framing: framing)
            tap.bytes(wire, direction: .clientToServer, at: time) { events.append($0) }
            tap.finish(at: time) { events.append($0) }
            if framing == .old {
                events.append(.framingChanged(.init(connection: 1, framing: .new, redecoded: true, at: time)))
            }
        }
        events.append(
            .connectionClosed(
                .init(
                    connection: 1, closedBy: .client, clientCloseCode: nil, serverCloseCode: nil, closeReason: "",
                    wasClean: false, error: nil, at: time)))
        let transcripts = ConnectionTranscript.group(events)
        #expect(transcripts.first?.opened?.framing == .new)
        #expect(transcripts.first?.frames(.clientToServer).count == 2)

        let path = try PcapngExportTests.export(events)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await PeerProcess.run(
            tshark,
            [
                "-r", path, "-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-e", "tcp.srcport", "-e",
                "tcp.payload",
            ])
        var sent: [UInt8] = []
        for line in result.text.split(separator: "\n") {
            let column = line.split(separator: "\t", omittingEmptySubsequences: false)
            if column.count == 2, column[0] == "5000" { sent += PcapngExportTests.hexBytes(String(column[1])) }
        }
        #expect(sent == request.wireBytes + Array(wire.readableBytesView))
    }
}

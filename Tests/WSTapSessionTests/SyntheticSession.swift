import Foundation
import NIOCore
import WSTapCore
import WSTapMutation
import WSTapSession
import WSTapTestSupport

/// A made-up connection's two byte streams, recorded the way the proxy records: every chunk goes to the
/// recorder, then a ``TrafficTap`` with a small capture limit reports the frames it completes.
struct SyntheticSession {
    var variant: ProtocolVariant = .rfc6455
    var framing: Hybi00Framing = .old
    /// Bytes each way, in order.
    var clientToServer = ByteBuffer()
    var serverToClient = ByteBuffer()

    /// A temporary path for a recording.
    static func temporaryPath(_ name: String = "rec") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wstap-\(name)-\(UUID().uuidString).jsonl").path
    }

    static let time = TrafficTimestamp(wallSeconds: 1_764_000_000.25, monotonicNanoseconds: 5_000_000)

    /// An RFC 6455 session: masked text, a large masked binary frame, a fragmented message, a ping, an
    /// invalid frame (reserved opcode), then bytes of a frame cut short (client); echoes and a close (server).
    static func rfc6455(largeSize: Int = 200_000) -> SyntheticSession {
        var session = SyntheticSession()
        func frame(
            _ opcode: Opcode, _ payload: [UInt8], fin: Bool = true, mask: MaskingKey?, into buffer: inout ByteBuffer
        ) {
            let header = FrameHeader(fin: fin, opcode: opcode, maskingKey: mask, payloadLength: UInt64(payload.count))
            FrameEncoder.write(header: header, payload: payload, into: &buffer)
        }
        let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)
        var generator = FuzzRandom(seed: 7)
        let large = (0..<largeSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        frame(.text, Array("hello \"world\"\n\u{1}é🙂".utf8), mask: key, into: &session.clientToServer)
        frame(.binary, large, mask: key, into: &session.clientToServer)
        frame(.text, Array("frag-".utf8), fin: false, mask: key, into: &session.clientToServer)
        frame(.continuation, Array("ment".utf8), mask: key, into: &session.clientToServer)
        frame(.ping, [1, 2, 3], mask: key, into: &session.clientToServer)
        frame(Opcode(lowBitsOf: 3), [0xFF, 0xFE], mask: key, into: &session.clientToServer)
        frame(.text, [0xC3, 0x28], mask: key, into: &session.clientToServer)  // invalid UTF-8
        frame(.text, Array("hello \"world\"\n\u{1}é🙂".utf8), mask: nil, into: &session.serverToClient)
        frame(.binary, large, mask: nil, into: &session.serverToClient)
        frame(.pong, [1, 2, 3], mask: nil, into: &session.serverToClient)
        frame(.close, [0x03, 0xE8] + Array("bye".utf8), mask: nil, into: &session.serverToClient)
        // A frame cut short: header says 100 bytes, 10 arrive.
        session.clientToServer.writeBytes([0x82, 0x80 | 100, 1, 2, 3, 4] + [UInt8](repeating: 9, count: 10))
        return session
    }

    /// A hybi-00 session in the given framing, with a frame left open at the end.
    static func hybi00(framing: Hybi00Framing) -> SyntheticSession {
        var session = SyntheticSession()
        session.variant = .hybi00
        session.framing = framing
        for text in ["one", "two é", String(repeating: "x", count: 5000)] {
            Hybi00FrameEncoder.writeText(Array(text.utf8), framing: framing, into: &session.clientToServer)
            Hybi00FrameEncoder.writeText(Array(text.utf8), framing: framing, into: &session.serverToClient)
        }
        Hybi00FrameEncoder.writeClose(framing: framing, into: &session.serverToClient)
        Hybi00FrameEncoder.writeText(Array("cut".utf8), framing: framing, into: &session.clientToServer)
        session.clientToServer.moveWriterIndex(to: session.clientToServer.writerIndex - 1)
        return session
    }

    func opened() throws -> TrafficEvent.ConnectionOpened {
        let request = try HTTPHeadParser.parseRequest(
            Array("GET /chat?x=1 HTTP/1.1\r\nHost: example\r\nUpgrade: websocket\r\nX-Odd:  spaced \r\n\r\n".utf8))
        let response = try HTTPHeadParser.parseResponse(
            Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: chat\r\n\r\n".utf8)
        )
        return .init(
            connection: 1, clientAddress: "127.0.0.1:5000", target: "ws://127.0.0.1:9001", request: request,
            response: response, variant: variant, framing: framing, subprotocol: "chat",
            extensions: [ExtensionOffer(name: "x-test", parameters: [ExtensionParameter(name: "a", value: "1")])],
            at: Self.time)
    }

    /// Records the session, cutting both streams into chunks of random sizes (interleaved), with the
    /// given capture limit on the tap; for hybi-00, the framing can be switched once most bytes passed
    /// (the tap then decodes everything again). Returns the recorder.
    func record(
        to path: String, captureLimit: Int = 64, inlineLimit: Int = 1000, seed: UInt64 = 1,
        switchFramingTo newFraming: Hybi00Framing? = nil
    ) throws -> SessionRecorder {
        let recorder = try SessionRecorder(
            path: path, mode: .proxy, wstapVersion: "test", startedAt: Self.time,
            options: RecorderOptions(inlineWireLimit: inlineLimit))
        recorder.record(.connectionOpened(try opened()))
        recorder.record(.note(connection: 1, text: "a note", at: Self.time))
        var tap = TrafficTap(connection: 1, variant: variant, framing: framing, payloadCaptureLimit: captureLimit)
        var generator = FuzzRandom(seed: seed)
        var pending: [TrafficDirection: ByteBuffer] = [
            .clientToServer: clientToServer, .serverToClient: serverToClient,
        ]
        while pending.values.contains(where: { $0.readableBytes > 0 }) {
            let direction: TrafficDirection = Bool.random(using: &generator) ? .clientToServer : .serverToClient
            guard var buffer = pending[direction], buffer.readableBytes > 0 else { continue }
            let size = min(buffer.readableBytes, Int.random(in: 1...9000, using: &generator))
            guard let chunk = buffer.readSlice(length: size) else { break }
            pending[direction] = buffer
            recorder.recordStreamBytes(chunk, connection: 1, direction: direction)
            tap.bytes(chunk, direction: direction, at: Self.time) { recorder.record($0) }
            let left = pending.values.reduce(0) { $0 + $1.readableBytes }
            if let newFraming, tap.framing != newFraming, left < 100 {
                tap.switchFraming(to: newFraming, at: Self.time) { recorder.record($0) }
            }
        }
        tap.finish(at: Self.time) { recorder.record($0) }
        recorder.record(
            .connectionClosed(
                .init(
                    connection: 1, closedBy: .client, clientCloseCode: nil, serverCloseCode: .normalClosure,
                    closeReason: "bye", wasClean: false, error: nil, at: Self.time)))
        recorder.record(.proxyError(message: "an error", at: Self.time))
        return recorder
    }

    /// The bytes the recording holds for one direction: wire bytes of the frames the sender wrote, and
    /// raw bytes, in order (after the last time the connection was decoded again in another framing).
    static func recordedStream(_ events: [RecordedEvent], connection: UInt64, direction: TrafficDirection) -> [UInt8] {
        var bytes: [UInt8] = []
        for recorded in events {
            switch recorded.event {
            case .framingChanged(let change) where change.connection == connection && change.redecoded:
                bytes = []
            case .frame(let seen) where seen.connection == connection && seen.direction == direction:
                if seen.disposition.isFromSender, let wire = recorded.wireBytes {
                    bytes += wire.readableBytesView
                }
            case .leftoverBytes(let conn, let dir, _, _) where conn == connection && dir == direction:
                bytes += recorded.wireBytes?.readableBytesView ?? []
            default:
                break
            }
        }
        return bytes
    }
}

extension RecordingReader {
    /// Every event, failing on the first bad line.
    func allEvents() throws -> [RecordedEvent] {
        try events().map { try $0.get() }
    }
}

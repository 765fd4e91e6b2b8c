import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapTestSupport

@testable import WSTapNetwork

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connection that fails while the peer is still sending: the close frame must reach the peer. (Issue 21,
/// found by `wstap fuzz`: `wstap serve` closed its socket with about 240 KB unread; a socket closed with
/// unread bytes sends a reset instead of ending in order, and the reset threw away the close frame that
/// still waited to be sent.)
@Suite struct FailedConnectionCloseTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A raw client with a small receive buffer, so that what the server sends waits on the server's side:
    /// it sends a 2 MiB message (echoed back, and not read yet), then an unmasked frame (a protocol error from
    /// a client) followed by 4 MiB more, and only then reads everything until the end. A close frame with
    /// 1002 must be among what arrives (after the echo, or alone when the server failed before echoing: under
    /// load the answer's grace period can end first).
    @Test func theCloseFrameArrivesWhenThePeerKeepsSending() async throws {
        let server = try await WebSocketServer.start(port: 0) { connection in
            await WebSocketServer.echo(connection)
        }
        defer { Task { try? await server.stop() } }
        let port = server.port
        let received = try await offThePool { () throws(Failure) -> [UInt8] in
            try Self.sendBadFrameAmidData(port: port)
        }
        var decoder = FrameDecoder(configuration: FrameDecoderConfiguration(sender: .server))
        decoder.append(received)
        var frames: [DecodedFrame] = []
        while let frame = decoder.nextFrame() { frames.append(frame) }
        let close = frames.first { $0.header.opcode == .close }
        #expect(close != nil, "no close frame arrived (\(received.count) bytes after the handshake)")
        if let close {
            #expect(close.payload.getInteger(at: close.payload.readerIndex, as: UInt16.self) == 1002)
        }
    }

    /// The client's side: returns every byte the server sent after its handshake response.
    static func sendBadFrameAmidData(port: Int) throws(Failure) -> [UInt8] {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        // Set before connecting, so that the window the server sees stays small (no autotuning).
        var small: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        // A guard against a hang, not a timing: a working server answers at once.
        var guardTime = timeval(tv_sec: 90, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &guardTime, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &guardTime, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect failed: errno \(errno)") }
        let request =
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = sendAll(Array(request.utf8), to: descriptor)
        var response: [UInt8] = []
        while !response.ends(with: Array("\r\n\r\n".utf8)) {
            var byte: UInt8 = 0
            guard recv(descriptor, &byte, 1, 0) == 1 else {
                throw Failure(description: "no handshake response (errno \(errno))")
            }
            response.append(byte)
        }
        guard String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            throw Failure(description: "refused: \(String(decoding: response, as: UTF8.self))")
        }
        var outgoing: [UInt8] = []
        let payload = [UInt8](repeating: 0x41, count: 2 << 20)
        outgoing += (try? FrameEncoder.encode(FrameSpec(opcode: .binary, mask: .random, payload: payload))) ?? []
        outgoing += [0x82, 0x03, 1, 2, 3]  // unmasked: a client must mask (1002)
        outgoing += [UInt8](repeating: 0x5A, count: 4 << 20)
        // The server may stop reading at any point after the bad frame: sending stops at the first error.
        _ = sendAll(outgoing, to: descriptor)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }  // the end (0), or a reset (-1)
            received += chunk[0..<count]
        }
        return received
    }

    /// Sends all of `bytes` (without SIGPIPE); false at the first error.
    static func sendAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(descriptor, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

import Foundation
import Glibc
public import NIOCore
public import NIOPosix

/// The proxy's control interface on a local (Unix domain) socket, for scripts and tests: one
/// ``ProxyControlCommand`` per line; each answer is zero or more lines of data, then a status line
/// `ok [text]` or `error text`. The socket file is readable and writable by its owner only.
public final class ProxyControlServer: Sendable {
    private let channel: any Channel
    /// The socket's path.
    public let path: String

    private init(channel: any Channel, path: String) {
        self.channel = channel
        self.path = path
    }

    /// Listens on `path`. A stale socket file there (one nothing answers on, left by a proxy that was
    /// killed) is replaced; a socket another process listens on is not taken over, and a file that is not a
    /// socket is left alone: both throw ``ProxyControlError``.
    public static func start(
        path: String, controller: ProxyController, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ProxyControlServer {
        try await clearStaleSocket(at: path, group: group)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ControlLineHandler(controller: controller))
                }
            }
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false).get()
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return ProxyControlServer(channel: channel, path: path)
    }

    /// Removes a socket file at `path` that nothing listens on any more; throws if the file is in use or is
    /// not a socket.
    private static func clearStaleSocket(at path: String, group: any EventLoopGroup) async throws {
        // Nothing there (or nothing we may look at: bind says why).
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        guard attributes[.type] as? FileAttributeType == .typeSocket else {
            throw ProxyControlError("it exists and is not a socket (remove it, or choose another path)")
        }
        if let live = try? await ClientBootstrap(group: group).connect(unixDomainSocketPath: path).get() {
            try? await live.close()
            throw ProxyControlError("another process listens on it (stop that proxy, or choose another path)")
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ProxyControlError("cannot remove the stale socket file: \(String(cString: strerror(errno)))")
        }
    }

    /// Stops listening and removes the socket file.
    public func stop() async throws {
        try await channel.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Reads command lines and writes answers.
private final class ControlLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let controller: ProxyController
    private var received = ByteBuffer()
    /// A line longer than this is refused (the socket is local; this only bounds memory).
    private static let maxLineLength = 16 << 20

    init(controller: ProxyController) {
        self.controller = controller
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        while let newline = received.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - received.readerIndex
            let line = received.readString(length: length) ?? ""
            received.moveReaderIndex(forwardBy: 1)
            answer(line.hasSuffix("\r") ? String(line.dropLast()) : line, context: context)
        }
        if received.readableBytes > Self.maxLineLength {
            received.clear()
            answer(nil, context: context)
        }
        received.discardReadBytes()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    private func answer(_ line: String?, context: ChannelHandlerContext) {
        var reply: String
        if let line {
            guard !line.allSatisfy(\.isWhitespace) else { return }
            do {
                let result = try ProxyControlCommand.parse(line).run(on: controller)
                reply = result.lines.map { $0 + "\n" }.joined()
                reply += result.summary.isEmpty ? "ok\n" : "ok \(result.summary)\n"
            } catch {
                reply = "error \(error.description)\n"
            }
        } else {
            reply = "error line longer than \(Self.maxLineLength) bytes\n"
        }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(string: reply)), promise: nil)
    }
}

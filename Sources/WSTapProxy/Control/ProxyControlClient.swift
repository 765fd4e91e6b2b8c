import Glibc
public import NIOCore
public import NIOPosix

/// Sends one command to a proxy's control socket and reads its answer (for `wstap ctl` and tests).
public enum ProxyControlClient {
    /// A control socket's answer: data lines, then whether it succeeded and its status text.
    public struct Answer: Sendable {
        /// The data lines before the status line.
        public var lines: [String]
        /// Whether the status line began with `ok` (rather than `error`).
        public var succeeded: Bool
        /// The status line without its `ok`/`error` word.
        public var status: String
    }

    /// Sends `command` (one line) to the socket at `path` and waits for the status line.
    ///
    /// - Throws: ``ProxyControlError`` saying why the socket could not be reached (no such file, nothing
    ///   listening on a stale file, permission denied) or why no answer came.
    public static func send(
        _ command: String, to path: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Answer {
        let channel = try await connect(to: path, group: group)
        let answer = channel.eventLoop.flatSubmit {
            let reader = AnswerReader()
            let future = reader.answer(on: channel.eventLoop)
            do {
                try channel.pipeline.syncOperations.addHandler(reader)
            } catch {
                reader.fail(error)
            }
            return future
        }
        let line = String(command.map { $0.isNewline ? " " : $0 }) + "\n"
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(string: line))
            let result = try await answer.get()
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            _ = try? await answer.get()
            throw error
        }
    }

    /// Connects to the socket at `path`, or explains in a ``ProxyControlError`` why it cannot.
    static func connect(to path: String, group: any EventLoopGroup) async throws(ProxyControlError) -> any Channel {
        do {
            return try await ClientBootstrap(group: group).connect(unixDomainSocketPath: path).get()
        } catch {
            throw ProxyControlError(Self.unreachable(error))
        }
    }

    /// Why connecting to a control socket failed, in words: the usual causes get a hint.
    static func unreachable(_ error: any Error) -> String {
        if error is SocketAddressError { return "the path is too long for a local socket (at most 107 bytes)" }
        guard let code = errnoCode(of: error) else { return "\(error)" }
        switch code {
        case ENOENT: return "no such file (is a proxy running with --control?)"
        case ECONNREFUSED:
            return "connection refused (a stale socket file: no proxy listens there any more, or not a socket)"
        case EACCES, EPERM: return "permission denied (the socket belongs to another user)"
        case ENOTDIR: return "a part of the path is not a folder"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    private static func errnoCode(of error: any Error) -> Int32? {
        if let io = error as? IOError { return io.errnoCode }
        if let connection = error as? NIOConnectionError {
            return connection.connectionErrors.lazy.compactMap { errnoCode(of: $0.error) }.first
        }
        return nil
    }
}

/// Collects answer lines until the status line; completes its promise exactly once (with the answer, or
/// an error when the socket closes first).
private final class AnswerReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var promise: EventLoopPromise<ProxyControlClient.Answer>?
    private var received = ByteBuffer()
    private var lines: [String] = []

    /// The answer to come (call once, on the channel's event loop, before adding the handler).
    func answer(on eventLoop: any EventLoop) -> EventLoopFuture<ProxyControlClient.Answer> {
        let promise = eventLoop.makePromise(of: ProxyControlClient.Answer.self)
        self.promise = promise
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        while promise != nil, let newline = received.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let line = received.readString(length: newline - received.readerIndex) ?? ""
            received.moveReaderIndex(forwardBy: 1)
            if line == "ok" || line.hasPrefix("ok ") {
                finish(succeeded: true, status: String(line.dropFirst(2)).trimmingPrefixSpace())
            } else if line.hasPrefix("error ") {
                finish(succeeded: false, status: String(line.dropFirst(6)))
            } else {
                lines.append(line)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(ProxyControlError("the control socket closed without an answer"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(ProxyControlError("the control socket closed without an answer"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    /// Fails the answer, if it is still to come.
    func fail(_ error: any Error) {
        promise?.fail(error)
        promise = nil
    }

    private func finish(succeeded: Bool, status: String) {
        promise?.succeed(.init(lines: lines, succeeded: succeeded, status: status))
        promise = nil
    }
}

extension String {
    fileprivate func trimmingPrefixSpace() -> String {
        hasPrefix(" ") ? String(dropFirst()) : self
    }
}

import NIOConcurrencyHelpers
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
    public static func send(
        _ command: String, to path: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Answer {
        let promise = group.next().makePromise(of: Answer.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AnswerReader(promise: promise))
                }
            }
            .connect(unixDomainSocketPath: path).get()
        let line = String(command.map { $0.isNewline ? " " : $0 }) + "\n"
        try await channel.writeAndFlush(channel.allocator.buffer(string: line))
        defer { channel.close(promise: nil) }
        return try await promise.futureResult.get()
    }
}

/// Collects answer lines until the status line.
private final class AnswerReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<ProxyControlClient.Answer>
    private var received = ByteBuffer()
    private var lines: [String] = []
    private var done = false

    init(promise: EventLoopPromise<ProxyControlClient.Answer>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        while !done, let newline = received.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
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
        if !done {
            done = true
            promise.fail(ProxyControlError("the control socket closed without an answer"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }

    private func finish(succeeded: Bool, status: String) {
        done = true
        promise.succeed(.init(lines: lines, succeeded: succeeded, status: status))
    }
}

extension String {
    fileprivate func trimmingPrefixSpace() -> String {
        hasPrefix(" ") ? String(dropFirst()) : self
    }
}

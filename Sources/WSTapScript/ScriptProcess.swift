import Dispatch
import NIOConcurrencyHelpers
public import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of a script's program (`/bin/sh -c COMMAND`, in a process group of its own): its standard input and
/// output as a NIO channel of lines, its standard error as lines too, and its end (the exit status, read when
/// its output closed, without polling).
final class ScriptProcess: Sendable {
    /// What happened to the process, told to the owner on the channel's event loop.
    enum Event: Sendable {
        /// A line of its standard output (without the newline).
        case line(ByteBuffer)
        /// A line of its standard error.
        case errorLine(String)
        /// Its standard output closed, or a line was longer than allowed (the reason).
        case outputEnded(String)
        /// The process ended ("exited with status 3", "killed by signal 9").
        case exited(String)
    }

    /// A failure to start the program.
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    /// Its standard input (writes) and output (reads).
    let channel: any Channel
    private let errorChannel: any Channel
    private let reaped = NIOLockedValueBox(false)

    private init(pid: pid_t, channel: any Channel, errorChannel: any Channel) {
        self.pid = pid
        self.channel = channel
        self.errorChannel = errorChannel
    }

    /// Starts `command` with its lines to `events` (called on `eventLoop`). A line longer than `maxLine` bytes
    /// ends its output (the script is taken as broken).
    static func start(
        _ command: String, on eventLoop: any EventLoop, maxLine: Int,
        events: @escaping @Sendable (Event) -> Void
    ) async throws -> ScriptProcess {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard makePipe(&input) else { throw StartFailure(description: "pipe: \(errnoText())") }
        guard makePipe(&output) else {
            closeAll(input)
            throw StartFailure(description: "pipe: \(errnoText())")
        }
        guard makePipe(&errors) else {
            closeAll(input + output)
            throw StartFailure(description: "pipe: \(errnoText())")
        }
        let pid: pid_t
        do {
            pid = try spawn(command, stdin: input[0], stdout: output[1], stderr: errors[1])
        } catch {
            closeAll(input + output + errors)
            throw error
        }
        close(input[0])
        close(output[1])
        close(errors[1])
        let process = NIOLockedValueBox<ScriptProcess?>(nil)
        let reapOnce = NIOLockedValueBox(false)
        // Once its output closed the process is reaped on a thread of its own (waitpid blocks), and killed
        // when it has not ended a second later.
        let reap: @Sendable () -> Void = {
            guard
                !reapOnce.withLockedValue({ done in
                    defer { done = true }; return done
                })
            else { return }
            let killer = eventLoop.scheduleTask(in: .seconds(1)) { kill(-pid, SIGKILL) }
            DispatchQueue.global().async {
                let status = waitForExit(pid)
                killer.cancel()
                process.withLockedValue { $0 }?.reaped.withLockedValue { $0 = true }
                eventLoop.execute { events(.exited(status)) }
            }
        }
        do {
            let channel = try await NIOPipeBootstrap(group: eventLoop)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineDecoder(maxLine: maxLine)))
                        try channel.pipeline.syncOperations.addHandler(
                            OutputHandler(
                                lines: { events(.line($0)) },
                                ended: { why in
                                    events(.outputEnded(why))
                                    reap()
                                }))
                    }
                }
                .takingOwnershipOfDescriptors(input: output[0], output: input[1])
                .get()
            let errorChannel = try await NIOPipeBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineDecoder(maxLine: 64 << 10)))
                        try channel.pipeline.syncOperations.addHandler(
                            OutputHandler(
                                lines: { events(.errorLine(String(buffer: $0))) }, ended: { _ in }))
                    }
                }
                .takingOwnershipOfDescriptor(input: errors[0])
                .get()
            let made = ScriptProcess(pid: pid, channel: channel, errorChannel: errorChannel)
            process.withLockedValue { $0 = made }
            return made
        } catch {
            kill(-pid, SIGKILL)
            reap()
            throw StartFailure(description: "cannot read the script's output: \(error)")
        }
    }

    /// Writes one line (with its newline) to the script's standard input.
    func send(_ line: ByteBuffer) {
        channel.writeAndFlush(line, promise: nil)
    }

    /// Ends the process (its whole group) and closes the pipes; its exit is still reported.
    func stop() {
        if !reaped.withLockedValue({ $0 }) { kill(-pid, SIGKILL) }
        channel.close(promise: nil)
        errorChannel.close(promise: nil)
    }

    // MARK: - Spawning

    private static func spawn(_ command: String, stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] =
            ["/bin/sh", "-c", command].map { (argument: String) in strdup(argument) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw StartFailure(description: "cannot start '\(command)': \(String(cString: strerror(status)))")
        }
        return child
    }

    /// Blocks until `pid` ends; how it ended.
    private static func waitForExit(_ pid: pid_t) -> String {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return "ended (\(errnoText()))" }
        }
        if status & 0x7f == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "was killed by signal \(status & 0x7f)"
    }

    /// A pipe whose ends close when wstap starts another program (only the script gets its own ends, as 0-2).
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private static func closeAll(_ descriptors: [Int32]) {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// Splits a byte stream into lines (`\n`, a `\r` before it dropped); a line over `maxLine` bytes is an error.
struct LineDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maxLine: Int

    struct LineTooLong: Error, CustomStringConvertible {
        var maxLine: Int
        var description: String { "wrote a line longer than \(maxLine) bytes" }
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maxLine { throw LineTooLong(maxLine: maxLine) }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readSlice(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1) ?? line
        }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let rest = buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
            context.fireChannelRead(wrapInboundOut(rest))
        }
        return .needMoreData
    }
}

/// Hands each line on, and tells once when the output ended (closed, or broken).
private final class OutputHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let lines: (ByteBuffer) -> Void
    private let ended: (String) -> Void
    private var toldEnd = false

    init(lines: @escaping (ByteBuffer) -> Void, ended: @escaping (String) -> Void) {
        self.lines = lines
        self.ended = ended
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lines(unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            end("closed its output")
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        end("closed its output")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(String(describing: error))
        context.close(promise: nil)
    }

    private func end(_ why: String) {
        guard !toldEnd else { return }
        toldEnd = true
        ended(why)
    }
}

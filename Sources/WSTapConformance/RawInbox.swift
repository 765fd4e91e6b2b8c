import NIOConcurrencyHelpers
public import NIOCore

/// The bytes a raw peer has received and not yet taken, and whether the other end closed TCP.
///
/// Filled from the event loop by ``RawInboxHandler``; emptied by the task that drives the peer, which can
/// wait (with a timeout) for something new to arrive.
public final class RawInbox: Sendable {
    private struct State {
        var bytes = ByteBuffer()
        var ended = false
        var error: (any Error)?
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var expired: Set<UInt64> = []
        var nextWaiter: UInt64 = 0

        mutating func takeWaiters() -> [CheckedContinuation<Void, Never>] {
            let taken = Array(waiters.values)
            waiters.removeAll()
            return taken
        }
    }

    private let state = NIOLockedValueBox(State())

    /// An empty inbox.
    public init() {}

    /// Adds received bytes and wakes the waiting reader.
    public func append(_ buffer: ByteBuffer) {
        var buffer = buffer
        let waiters = state.withLockedValue { state in
            state.bytes.writeBuffer(&buffer)
            return state.takeWaiters()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Records the end of the TCP connection and wakes the waiting reader.
    public func end() {
        let waiters = state.withLockedValue { state in
            state.ended = true
            return state.takeWaiters()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Keeps the first error the channel reported (a TLS handshake that failed), for ``error``.
    public func record(_ error: any Error) {
        state.withLockedValue { state in
            if state.error == nil { state.error = error }
        }
    }

    /// The first error the channel reported, if any.
    public var error: (any Error)? {
        state.withLockedValue { $0.error }
    }

    /// Takes every byte received so far; `ended` tells whether more can come.
    public func take() -> (bytes: ByteBuffer, ended: Bool) {
        state.withLockedValue { state in
            let bytes = state.bytes
            state.bytes = ByteBuffer()
            return (bytes, state.ended)
        }
    }

    /// Waits until bytes are waiting or TCP ended, or until `timeout` has passed.
    public func waitForInput(timeout: Duration) async {
        let id = state.withLockedValue { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            expire(id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLockedValue { state in
                if state.bytes.readableBytes > 0 || state.ended || state.expired.remove(id) != nil { return true }
                state.waiters[id] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
        timer.cancel()
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLockedValue { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return CheckedContinuation<Void, Never>?.none
            }
            return waiter
        }
        waiter?.resume()
    }
}

/// Feeds a channel's bytes and its end into a ``RawInbox``; nothing else (no WebSocket logic).
final class RawInboxHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let inbox: RawInbox

    /// A handler that feeds `inbox`.
    init(inbox: RawInbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inbox.append(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.end()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        inbox.record(error)
        context.close(promise: nil)
    }
}

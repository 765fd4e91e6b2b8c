import NIOCore
import WSTapCompression
import WSTapCore
import WSTapNetwork
import WSTapPipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The channels' side of one proxied connection (both on one event loop): passes what happens on the two
/// channels to the connection's ``ProxyConnectionMachine`` and carries out the actions it returns.
final class ProxySession {
    let clientAddress: String
    let machine: ProxyConnectionMachine
    var clientContext: ChannelHandlerContext?
    var upstreamContext: ChannelHandlerContext?
    /// The handlers, to resume reading when held bytes drain.
    weak var clientSide: ProxyClientSideHandler?
    weak var upstreamSide: ProxyUpstreamSideHandler?
    /// The batch of actions being carried out (kept to reuse its storage).
    private var batch: [ProxyAction] = []
    private var isPerforming = false

    var id: UInt64 { machine.id }
    var options: ProxyOptions { machine.options }
    var controller: ProxyController { machine.controller }

    init(id: UInt64, options: ProxyOptions, controller: ProxyController, clientAddress: String) {
        self.clientAddress = clientAddress
        machine = ProxyConnectionMachine(id: id, options: options, controller: controller)
    }

    func emit(_ event: TrafficEvent) {
        machine.emit(event)
    }

    func noteWhenOpened(_ text: String) {
        machine.noteWhenOpened(text)
    }

    func stagedDirections(_ opened: TrafficEvent.ConnectionOpened) -> [TrafficDirection] {
        machine.stagedDirections(opened)
    }

    func reportOpened(_ opened: TrafficEvent.ConnectionOpened) {
        machine.reportOpened(opened)
    }

    /// The handshake completed: the machine taps and gates from now on, and the controller can reach it.
    func startRelaying(
        tap: ConnectionTap, eventLoop: any EventLoop, compression: PerMessageDeflateParameters? = nil,
        staging: [TrafficDirection] = []
    ) {
        let settings = controller.register(self, variant: tap.variant, eventLoop: eventLoop)
        if !staging.isEmpty {
            // Weak: the machine keeps this closure, and the session keeps the machine.
            let session = NIOLoopBound(WeakSession(self), eventLoop: eventLoop)
            machine.answerLater = { direction, ticket, decision in
                eventLoop.execute {
                    guard let session = session.value.session else { return }
                    session.machine.stageAnswered(direction, ticket: ticket, decision)
                    session.perform()
                }
            }
        }
        machine.startRelaying(tap: tap, compression: compression, staging: staging, intercepting: settings)
        perform()
    }

    /// A reference to a session that does not keep it.
    private final class WeakSession {
        weak var session: ProxySession?

        init(_ session: ProxySession) {
            self.session = session
        }
    }

    /// Bytes arrived from the sender of `direction`.
    func relay(_ buffer: ByteBuffer, _ direction: TrafficDirection) {
        machine.relay(buffer, direction)
        perform()
    }

    /// Whether the sender of `direction` may be read: its receiver takes writes, not too much waits
    /// behind held frames, and the consumer of the traffic (the recorder) is not behind.
    func mayRead(_ direction: TrafficDirection) -> Bool {
        let receiverWritable = context(of: direction.receiver)?.channel.isWritable ?? true
        return receiverWritable && !machine.holdsTooMuch(direction) && !consumerIsBehind()
    }

    /// Whether it asked the consumer to say when it has caught up, and has not heard yet.
    private var waitsForConsumer = false

    /// Whether the consumer of the relayed traffic is behind (the handshake is read regardless); if so, both
    /// sides try reading again once it catches up.
    private func consumerIsBehind() -> Bool {
        guard machine.tap != nil, let backpressure = options.backpressure, backpressure.isBehind else { return false }
        guard !waitsForConsumer, let loop = (clientContext ?? upstreamContext)?.eventLoop else { return true }
        waitsForConsumer = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        backpressure.whenCaughtUp {
            loop.execute {
                let session = bound.value
                session.waitsForConsumer = false
                session.clientSide?.resumeReadingIfAllowed()
                session.upstreamSide?.resumeReadingIfAllowed()
            }
        }
        return true
    }

    // MARK: - Control (on the event loop)

    func apply(_ settings: InterceptSettings) {
        machine.apply(settings)
        perform()
    }

    func decide(_ holdID: UInt64, _ decision: HoldDecision) {
        machine.decide(holdID, decision)
        perform()
    }

    func inject(_ bytes: ByteBuffer, direction: TrafficDirection) {
        machine.inject(bytes, direction: direction)
        perform()
    }

    func closeSide(_ side: EndpointRole, code: CloseCode, reason: String) {
        machine.closeSide(side, code: code, reason: reason)
        perform()
    }

    func setFraming(_ framing: Hybi00Framing) {
        machine.setFraming(framing)
        perform()
    }

    // MARK: - Closing

    /// One side's channel ended.
    func sideClosed(_ side: EndpointRole, error: String?) {
        machine.sideClosed(side, error: error)
        perform()
    }

    /// A side's channel failed: remember why, and whether it was a reset.
    func recordError(_ error: any Error, on side: EndpointRole) {
        let isReset = (error as? IOError)?.errnoCode == ECONNRESET
        machine.recordError(NetworkErrorText.describe(error), on: side, isReset: isReset)
    }

    // MARK: - Carrying out actions

    private func context(of side: EndpointRole) -> ChannelHandlerContext? {
        side == .client ? clientContext : upstreamContext
    }

    /// Carries out the machine's actions in order, including those that carrying them out causes.
    private func perform() {
        guard !isPerforming else { return }  // the outer call takes the new ones
        isPerforming = true
        defer { isPerforming = false }
        while !machine.actions.isEmpty {
            swap(&batch, &machine.actions)
            for action in batch { perform(action) }
            batch.removeAll(keepingCapacity: true)
        }
    }

    private func perform(_ action: ProxyAction) {
        switch action {
        case .write(let bytes, let side):
            context(of: side)?.write(NIOAny(bytes), promise: nil)
        case .flush(let side):
            context(of: side)?.flush()
        case .closeAfterWrites(let side):
            guard let context = context(of: side) else { return }
            // Writes complete in order, so an empty write completes after everything written before it.
            context.writeAndFlush(NIOAny(ByteBuffer())).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .reset(let side):
            guard let context = context(of: side) else { return }
            let abort = (context.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
            if let abort {
                abort.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        case .resumeReading(let side):
            if side == .client {
                clientSide?.resumeReadingIfAllowed()
            } else {
                upstreamSide?.resumeReadingIfAllowed()
            }
        }
    }
}

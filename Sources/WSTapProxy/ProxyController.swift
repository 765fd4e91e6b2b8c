import NIOConcurrencyHelpers
public import NIOCore
public import WSTapCore
import WSTapPipeline

/// Drives a running proxy from outside its connections: intercept (hold, forward, drop, edit),
/// inject crafted bytes, close either side, switch a hybi-00 connection's framing. The UI, the
/// control socket and tests use it; it is safe to call from any thread, and the work itself runs on
/// each connection's event loop.
public final class ProxyController: Sendable {
    private struct Registered: Sendable {
        let eventLoop: any EventLoop
        let session: NIOLoopBound<ProxySession>
        let variant: ProtocolVariant
    }

    private struct State {
        var sessions: [UInt64: Registered] = [:]
        var holds: [UInt64: HeldFrame] = [:]
        var nextHoldID: UInt64 = 1
        var intercept = InterceptSettings.off
    }

    private let state = NIOLockedValueBox(State())
    private let events: @Sendable (TrafficEvent) -> Void

    init(events: @escaping @Sendable (TrafficEvent) -> Void) {
        self.events = events
    }

    // MARK: - Intercept

    /// What intercept holds now.
    public var intercept: InterceptSettings {
        state.withLockedValue { $0.intercept }
    }

    /// Turns intercept on or off per direction. Frames already held stay held in directions that stay
    /// on; in directions turned off they are forwarded unchanged.
    public func setIntercept(_ settings: InterceptSettings) {
        let sessions = state.withLockedValue { state -> [Registered] in
            state.intercept = settings
            return Array(state.sessions.values)
        }
        for registered in sessions {
            registered.eventLoop.execute { registered.session.value.apply(settings) }
        }
        let on = settings.directions.map(\.rawValue).sorted().joined(separator: ",")
        events(
            .note(connection: nil, text: on.isEmpty ? "intercept off" : "intercept on \(on)", at: TrafficClock.now()))
    }

    /// The frames waiting for a decision, oldest first.
    public var heldFrames: [HeldFrame] {
        state.withLockedValue { $0.holds.values.sorted { $0.holdID < $1.holdID } }
    }

    /// Forwards, drops or replaces a held frame. Frames behind it in its direction follow once every
    /// frame before them is decided.
    public func decide(_ holdID: UInt64, _ decision: HoldDecision) throws(ProxyControlError) {
        let found = state.withLockedValue { state -> Registered? in
            guard let held = state.holds.removeValue(forKey: holdID) else { return nil }
            return state.sessions[held.frame.connection]
        }
        guard let registered = found else { throw .unknownHold(holdID) }
        registered.eventLoop.execute { registered.session.value.decide(holdID, decision) }
    }

    // MARK: - Inject and close

    /// Sends bytes (one or more frames, valid or not) to the receiver of `direction`, between whole
    /// frames and behind anything held in that direction.
    public func inject(_ bytes: ByteBuffer, connection: UInt64, direction: TrafficDirection) throws(ProxyControlError) {
        let registered = try session(connection)
        registered.eventLoop.execute { registered.session.value.inject(bytes, direction: direction) }
    }

    /// Closes one side: frames held toward it are forwarded, then a close frame with this code and
    /// reason (masked when it goes to the server), then its TCP connection; the proxy then closes the
    /// other side as it does whenever one side ends.
    public func close(
        connection: UInt64, side: EndpointRole, code: CloseCode = .normalClosure, reason: String = ""
    ) throws(ProxyControlError) {
        let registered = try session(connection)
        registered.eventLoop.execute { registered.session.value.closeSide(side, code: code, reason: reason) }
    }

    /// Switches how a hybi-00 connection's frames are read (from the next frame boundary each way).
    public func setFraming(_ framing: Hybi00Framing, connection: UInt64) throws(ProxyControlError) {
        let registered = try session(connection)
        guard registered.variant == .hybi00 else {
            throw ProxyControlError("connection #\(connection) speaks RFC 6455; framing modes are hybi-00's")
        }
        registered.eventLoop.execute { registered.session.value.setFraming(framing) }
    }

    /// The connections open now, by id.
    public var connections: [UInt64] {
        state.withLockedValue { $0.sessions.keys.sorted() }
    }

    private func session(_ id: UInt64) throws(ProxyControlError) -> Registered {
        guard let registered = state.withLockedValue({ $0.sessions[id] }) else { throw .unknownConnection(id) }
        return registered
    }

    // MARK: - For sessions (on their event loop)

    /// A session started relaying: returns the intercept settings it starts with.
    func register(_ session: ProxySession, variant: ProtocolVariant, eventLoop: any EventLoop) -> InterceptSettings {
        let registered = Registered(
            eventLoop: eventLoop, session: NIOLoopBound(session, eventLoop: eventLoop), variant: variant)
        return state.withLockedValue { state in
            state.sessions[session.id] = registered
            return state.intercept
        }
    }

    func unregister(_ id: UInt64) {
        state.withLockedValue { state in
            state.sessions[id] = nil
            state.holds = state.holds.filter { $0.value.frame.connection != id }
        }
    }

    /// A frame is held: returns its id.
    func hold(_ frame: TrafficEvent.FrameSeen, wireBytes: ByteBuffer) -> UInt64 {
        state.withLockedValue { state in
            let id = state.nextHoldID
            state.nextHoldID += 1
            var frame = frame
            frame.disposition = .held(id)
            state.holds[id] = HeldFrame(holdID: id, frame: frame, wireBytes: wireBytes)
            return id
        }
    }

    /// A held frame went on without a decision through ``decide(_:_:)`` (released in bulk).
    func holdEnded(_ id: UInt64) {
        _ = state.withLockedValue { $0.holds.removeValue(forKey: id) }
    }
}

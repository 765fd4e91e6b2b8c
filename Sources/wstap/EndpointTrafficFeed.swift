import NIOConcurrencyHelpers
import NIOCore
import WSTapCompression
import WSTapCore
import WSTapNetwork

/// Shows one connection of `wstap connect` in the terminal UI: the bytes each way (the raw ones the UI
/// sends included) go through a ``TrafficTap``, so every frame appears with its violations, even those the
/// endpoint itself refuses; the events go to the UI's inbox and to the recording switch.
final class EndpointTrafficFeed: ConnectionWireObserver {
    private let connection: UInt64
    private let role: EndpointRole
    private let inbox: UIEventInbox
    private let recording: RecordingSwitch
    private let tap: NIOLockedValueBox<Decoding>

    /// The tap, and with permessage-deflate an inspector per direction that inflates compressed messages
    /// for display (as the proxy does).
    private struct Decoding: @unchecked Sendable {  // The inspectors are used only under the lock.
        var tap: TrafficTap
        var inflaters: [TrafficDirection: PerMessageDeflateInspector] = [:]
    }

    /// Starts showing a connection that just opened (emits its `connectionOpened` event).
    init(
        connection: UInt64, role: EndpointRole, info: ConnectionInfo, target: String, inbox: UIEventInbox,
        recording: RecordingSwitch
    ) {
        self.connection = connection
        self.role = role
        self.inbox = inbox
        self.recording = recording
        var decoding = Decoding(
            tap: TrafficTap(
                connection: connection, variant: info.variant, framing: info.framing,
                allowedReservedBits: info.compression != nil ? .rsv1 : [], payloadCaptureLimit: 1 << 20))
        if let agreed = info.compression {
            for direction in TrafficDirection.allCases {
                decoding.inflaters[direction] = try? PerMessageDeflateInspector(
                    agreed: agreed, sender: direction == .clientToServer ? .client : .server, maxMessageSize: 1 << 20)
            }
        }
        tap = NIOLockedValueBox(decoding)
        let client = role == .client ? info.localAddress : info.remoteAddress
        emit(
            .connectionOpened(
                .init(
                    connection: connection, clientAddress: client?.hostAndPortText ?? "?", target: target,
                    request: info.request, response: info.response, variant: info.variant, framing: info.framing,
                    subprotocol: info.subprotocol, extensions: info.extensions, at: SessionClock.now(),
                    requestBody: info.requestBody, responseBody: info.responseBody)))
    }

    func received(_ bytes: ByteBuffer) {
        pass(bytes, role == .client ? .serverToClient : .clientToServer)
    }

    func sent(_ bytes: ByteBuffer) {
        pass(bytes, role == .client ? .clientToServer : .serverToClient)
    }

    func closed(_ outcome: CloseOutcome) {
        let time = SessionClock.now()
        tap.withLockedValue { decoding in
            decoding.tap.finish(at: time) { emit($0) }
            let tap = decoding.tap
            emit(
                .connectionClosed(
                    .init(
                        connection: connection, closedBy: nil, clientCloseCode: tap.clientCloseCode,
                        serverCloseCode: tap.serverCloseCode, closeReason: tap.closeReason,
                        wasClean: outcome.wasClean, error: outcome.failure, at: time)))
        }
    }

    /// Reads the connection's hybi-00 frames in another framing from the next frame boundary each way: the
    /// client sends in it from now on, and what came before stays read as it was sent.
    func switchFraming(to framing: Hybi00Framing) {
        let time = SessionClock.now()
        tap.withLockedValue { decoding in
            decoding.tap.framing = framing
            emit(.framingChanged(.init(connection: connection, framing: framing, redecoded: false, at: time)))
        }
    }

    private func pass(_ bytes: ByteBuffer, _ direction: TrafficDirection) {
        recording.recordStreamBytes(bytes, connection: connection, direction: direction)
        let time = SessionClock.now()
        tap.withLockedValue { decoding in
            let inflater = decoding.inflaters[direction]
            decoding.tap.bytes(bytes, direction: direction, at: time) { event in
                guard let inflater, case .frame(var seen) = event else {
                    emit(event)
                    return
                }
                inflater.inflate(&seen)
                emit(.frame(seen))
            }
        }
    }

    private func emit(_ event: TrafficEvent) {
        recording.record(event)
        inbox.add(event)
    }
}

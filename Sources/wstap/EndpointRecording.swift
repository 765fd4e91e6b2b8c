import NIOConcurrencyHelpers
import NIOCore
import WSTapCore
import WSTapNetwork
import WSTapSession

/// Records one connection of `wstap connect` or `wstap serve`: the bytes each way go to the recorder,
/// and a ``TrafficTap`` decodes them into the frame events the recorder cuts them into.
final class EndpointRecording: ConnectionWireObserver {
    private let recorder: SessionRecorder
    private let connection: UInt64
    private let role: EndpointRole
    private let tap: NIOLockedValueBox<TrafficTap>

    /// Starts recording a connection that just opened (records its `open` event).
    init(recorder: SessionRecorder, connection: UInt64, role: EndpointRole, info: ConnectionInfo, target: String) {
        self.recorder = recorder
        self.connection = connection
        self.role = role
        let compressed = info.compression != nil
        tap = NIOLockedValueBox(
            TrafficTap(
                connection: connection, variant: info.variant, framing: info.framing,
                allowedReservedBits: compressed ? .rsv1 : [], payloadCaptureLimit: 64 << 10))
        let client = role == .client ? info.localAddress : info.remoteAddress
        recorder.record(
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
        let recorder = self.recorder
        let time = SessionClock.now()
        let connection = self.connection
        tap.withLockedValue { tap in
            tap.finish(at: time) { recorder.record($0) }
            recorder.record(
                .connectionClosed(
                    .init(
                        connection: connection, closedBy: nil, clientCloseCode: tap.clientCloseCode,
                        serverCloseCode: tap.serverCloseCode, closeReason: tap.closeReason,
                        wasClean: outcome.wasClean, error: outcome.failure, at: time)))
        }
    }

    private func pass(_ bytes: ByteBuffer, _ direction: TrafficDirection) {
        let recorder = self.recorder
        recorder.recordStreamBytes(bytes, connection: connection, direction: direction)
        let time = SessionClock.now()
        tap.withLockedValue { tap in
            tap.bytes(bytes, direction: direction, at: time) { recorder.record($0) }
        }
    }
}

/// `--record FILE` for the commands that record.
enum RecordingOption {
    /// Opens the recorder, or explains why it cannot.
    static func open(_ path: String, mode: RecordingMode, options: RecorderOptions = RecorderOptions()) throws
        -> SessionRecorder
    {
        do {
            return try SessionRecorder(
                path: path, mode: mode, wstapVersion: WSTapVersion.string, startedAt: SessionClock.now(),
                options: options)
        } catch {
            throw CommandFailure("--record: \(error)")
        }
    }
}

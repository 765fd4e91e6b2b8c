import NIOCore
import WSTapCompression
import WSTapCore

/// The state one proxied connection shares between its two channels (both on one event loop).
final class ProxySession {
    let id: UInt64
    let options: ProxyOptions
    let clientAddress: String
    var tap: TrafficTap?
    /// permessage-deflate inspectors per sender, when the handshake agreed on compression.
    private var inflaters: [EndpointRole: PerMessageDeflateInspector] = [:]
    var clientContext: ChannelHandlerContext?
    var upstreamContext: ChannelHandlerContext?
    /// Which side ended first, and with what error.
    private var firstToClose: EndpointRole?
    private var error: String?
    private var reportedClose = false

    init(id: UInt64, options: ProxyOptions, clientAddress: String) {
        self.id = id
        self.options = options
        self.clientAddress = clientAddress
    }

    func emit(_ event: TrafficEvent) {
        options.events(event)
    }

    /// Follows permessage-deflate when the upstream's response accepted it.
    func inflateCompressedMessages(agreed: PerMessageDeflateParameters) {
        for sender in [EndpointRole.client, .server] {
            inflaters[sender] = try? PerMessageDeflateInspector(
                agreed: agreed, sender: sender, maxMessageSize: max(options.payloadCaptureLimit, 1 << 20))
        }
    }

    /// Bytes passed through one way: decode them on the side.
    func tap(_ buffer: ByteBuffer, _ direction: TrafficDirection) {
        guard tap != nil else { return }
        options.relayedBytes?(id, direction, buffer)
        let time = TrafficClock.now()
        let sink = options.events
        guard let inflater = inflaters[direction.sender] else {
            tap?.bytes(buffer, direction: direction, at: time) { sink($0) }
            return
        }
        tap?.bytes(buffer, direction: direction, at: time) { event in
            guard case .frame(var seen) = event, case .rfc6455(let frame) = seen.content else {
                sink(event)
                return
            }
            // Only whole payloads can be inflated; a frame cut at the capture limit is shown as it is.
            if frame.isPayloadComplete {
                do {
                    if case .inflated(let bytes) = try inflater.inspect(frame) { seen.inflatedPayload = bytes }
                } catch {
                    seen.inflationError = "\(error)"
                }
            }
            sink(.frame(seen))
        }
    }

    /// One side's channel ended: close the other (after what was written to it is flushed) and report.
    func sideClosed(_ side: EndpointRole, error: String?) {
        if firstToClose == nil { firstToClose = side }
        if self.error == nil { self.error = error }
        if let other = side == .client ? upstreamContext : clientContext {
            // Close only after what was already relayed to the other side has been written (writes complete
            // in order, so an empty write completes after them).
            other.writeAndFlush(NIOAny(ByteBuffer())).assumeIsolated().whenComplete { _ in
                other.close(promise: nil)
            }
        }
        reportClosed()
    }

    func recordError(_ description: String) {
        if error == nil { error = description }
    }

    private func reportClosed() {
        guard !reportedClose, tap != nil else { return }
        reportedClose = true
        let time = TrafficClock.now()
        let sink = options.events
        tap?.finish(at: time) { sink($0) }
        emit(
            .connectionClosed(
                .init(
                    connection: id, closedBy: firstToClose, clientCloseCode: tap?.clientCloseCode,
                    serverCloseCode: tap?.serverCloseCode, closeReason: tap?.closeReason ?? "",
                    wasClean: tap?.sawBothCloses ?? false, error: error, at: time)))
    }
}

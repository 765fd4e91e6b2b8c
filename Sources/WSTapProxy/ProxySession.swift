import NIOCore
import WSTapCore

/// The state one proxied connection shares between its two channels (both on one event loop).
final class ProxySession {
    let id: UInt64
    let options: ProxyOptions
    let clientAddress: String
    var tap: TrafficTap?
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

    /// Bytes passed through one way: decode them on the side.
    func tap(_ buffer: ByteBuffer, _ direction: TrafficDirection) {
        guard tap != nil else { return }
        let time = TrafficClock.now()
        let sink = options.events
        tap?.bytes(buffer, direction: direction, at: time) { sink($0) }
    }

    /// One side's channel ended: close the other (after what was written to it is flushed) and report.
    func sideClosed(_ side: EndpointRole, error: String?) {
        if firstToClose == nil { firstToClose = side }
        if self.error == nil { self.error = error }
        let other = side == .client ? upstreamContext : clientContext
        other?.flush()
        other?.close(promise: nil)
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

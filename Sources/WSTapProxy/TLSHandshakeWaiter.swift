import NIOCore
import NIOSSL
import NIOTLS
import WSTapNetwork

/// Sits behind a TLS client handler until its handshake ends: ``handshakeDone`` succeeds when it completed
/// and fails with the error (or the end of the connection) when it did not; it leaves the pipeline once the
/// handshake completed. A relay waits for it so that a server whose certificate is refused gets the client
/// a 502 that says why, not a silent close.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// Watches the server's certificate, to say why it was refused.
    let certificate: ServerCertificateCheck
    private let done: EventLoopPromise<Void>
    private var finished = false

    /// Completes when the handshake ended (always, at the latest when the handler leaves the pipeline).
    var handshakeDone: EventLoopFuture<Void> { done.futureResult }

    init(eventLoop: any EventLoop, certificate: ServerCertificateCheck) {
        self.certificate = certificate
        done = eventLoop.makePromise(of: Void.self)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            finish(.success(()))
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.ioOnClosedChannel))
    }

    /// Fails the wait when the handler could not be added to a pipeline.
    func abandon(_ error: any Error) {
        finish(.failure(error))
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard !finished else { return }
        finished = true
        done.completeWith(result)
    }
}

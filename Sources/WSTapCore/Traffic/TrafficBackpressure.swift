/// A consumer of traffic that can fall behind it (the recorder, when the disk is slower than the network),
/// as the sources of traffic see it: while it is behind, they stop reading their sockets, and they read
/// again once it has caught up. The consumer never blocks them and never drops what they give it; this
/// is how its memory stays bounded.
///
/// A source asks ``isBehind`` where it decides whether to read; when it holds a read back for that
/// reason, it asks to be told when the consumer has caught up (``whenCaughtUp(_:)``), and then reads again.
public protocol TrafficBackpressure: AnyObject, Sendable {
    /// Whether sources should stop reading now. Safe to ask from any thread.
    var isBehind: Bool { get }

    /// Calls `action` once, as soon as the consumer is no longer behind: at once (on the caller's thread)
    /// when it is not behind now, otherwise later on a thread of the consumer's own. `action` must hop onto
    /// the source's event loop itself (`eventLoop.execute { ... }`) and must not block.
    func whenCaughtUp(_ action: @escaping @Sendable () -> Void)
}

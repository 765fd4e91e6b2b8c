import NIOCore

/// The keepalive pings of one connection: each carries a payload no other ping of the connection
/// carries (a random prefix and a counter), so that a pong is matched with the ping it answers and the
/// round trip measured. Unsolicited pongs and pongs answering other pings match nothing.
struct KeepalivePings {
    /// Pings sent and not answered yet are forgotten beyond this many.
    static let maxOutstanding = 16

    private let prefix: UInt32
    private var counter: UInt64 = 0
    private var outstanding: [(number: UInt64, sent: NIODeadline)] = []

    init(prefix: UInt32 = UInt32.random(in: .min ... .max)) {
        self.prefix = prefix
    }

    /// The payload of the next ping, sent at `now`.
    mutating func nextPing(at now: NIODeadline) -> ByteBuffer {
        counter &+= 1
        outstanding.append((counter, now))
        if outstanding.count > Self.maxOutstanding { outstanding.removeFirst() }
        var payload = ByteBuffer()
        payload.writeInteger(prefix)
        payload.writeInteger(counter)
        return payload
    }

    /// The round trip of the ping a pong with this payload answers, received at `now`; `nil` when it
    /// answers none of this end's outstanding pings. Pings older than the answered one are given up.
    mutating func pongReceived(_ payload: ByteBuffer, at now: NIODeadline) -> TimeAmount? {
        guard payload.readableBytes == 12, payload.getInteger(at: payload.readerIndex, as: UInt32.self) == prefix,
            let number = payload.getInteger(at: payload.readerIndex + 4, as: UInt64.self),
            let index = outstanding.firstIndex(where: { $0.number == number })
        else { return nil }
        let sent = outstanding[index].sent
        outstanding.removeFirst(index + 1)
        return now - sent
    }
}

/// What a load-generator connection does once its upgrade is accepted.
enum Workload {
    /// Keeps `window` copies of one pre-built masked binary frame of `payloadSize` bytes in flight:
    /// every echo that comes back sends one more. Counts messages and payload bytes echoed.
    case pipelined(payloadSize: Int, window: Int)
    /// The same with a text frame of `payload` (Socket.IO events, say, for the lenses).
    case pipelinedText(payload: [UInt8], window: Int)
    /// One message of `payloadSize` bytes in flight at a time; records each round trip.
    case pingPong(payloadSize: Int)
    /// Sends `messages` generated messages (text and binary, sizes from 0 to 70,000 bytes, a fresh
    /// masking key each), `window` in flight, checks every echo byte for byte and in order, then
    /// closes with a close handshake.
    case checked(connection: Int, messages: Int, window: Int)
}

extension Workload {
    /// Whether it keeps a window of pre-built frames in flight.
    var isPipelined: Bool {
        switch self {
        case .pipelined, .pipelinedText: return true
        case .pingPong, .checked: return false
        }
    }
}

/// The messages of the checked workload: deterministic, different for every connection and index.
enum CheckedMessages {
    static let smallSizes = [0, 1, 16, 64, 125, 126, 127, 200, 1000, 4000]
    static let bigSize = 70_000

    static func size(connection: Int, index: Int) -> Int {
        index == 50 ? bigSize : smallSizes[(connection &* 31 &+ index) % smallSizes.count]
    }

    /// Text (printable ASCII) for even indexes, binary (any byte) for odd ones.
    static func opcode(index: Int) -> UInt8 { index % 2 == 0 ? 0x1 : 0x2 }

    static func payload(connection: Int, index: Int) -> [UInt8] {
        var state = UInt64(connection) << 32 | UInt64(index) | 0x5555_0000_0000_0000
        let count = size(connection: connection, index: index)
        let text = opcode(index: index) == 0x1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let byte = UInt8(truncatingIfNeeded: state)
            return text ? 0x20 + byte % 95 : byte
        }
    }
}

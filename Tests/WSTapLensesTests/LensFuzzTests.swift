import Testing
import WSTapCore
import WSTapLenses
import WSTapMutation
import WSTapTestSupport

/// Every lens fed random bytes, and real messages with random bytes changed, never traps; every view it
/// makes has a summary.
@Suite struct LensFuzzTests {
    /// Dictionaries' order changes from run to run: the seeds go in the order of their names.
    static func inOrder(_ fixtures: [String: LensMessage]) -> [LensMessage] {
        fixtures.sorted { $0.key < $1.key }.map(\.value)
    }

    static let seeds: [LensMessage] =
        inOrder(Fixtures.socketIO) + Fixtures.mqtt311 + Fixtures.mqtt5 + inOrder(Fixtures.stomp)
        + inOrder(Fixtures.signalR) + [
            .text(#"{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1}"#, .clientToServer),
            .text(#"{"id":"1","type":"subscribe","payload":{"query":"subscription S { s }"}}"#, .clientToServer),
        ]

    @Test(arguments: LensRegistry.names)
    func randomBytesNeverTrap(lensName: String) throws {
        let lens = try #require(LensRegistry.named(lensName))
        var random = FuzzRandom(seed: 0x1E45 &+ UInt64(lensName.utf8.count))
        var decoder = lens.decoder(for: LensConnection(subprotocol: nil, target: "/socket.io/?EIO=3"))
        var views = 0
        for round in 0..<3_000 {
            var message: LensMessage
            if round % 2 == 0 {
                let count = Int(random.next() % 64)
                message = LensMessage(
                    direction: random.next() % 2 == 0 ? .clientToServer : .serverToClient,
                    isText: random.next() % 2 == 0,
                    bytes: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                if random.next() % 4 == 0, let first = "0123456{[".utf8.randomElement(using: &random) {
                    message.bytes.insert(first, at: 0)
                }
            } else {
                message = Self.seeds[Int(random.next() % UInt64(Self.seeds.count))]
                for _ in 0..<Int(random.next() % 4) where !message.bytes.isEmpty {
                    let at = Int(random.next() % UInt64(message.bytes.count))
                    message.bytes[at] = UInt8(truncatingIfNeeded: random.next())
                }
                if random.next() % 3 == 0 { message.bytes = Array(message.bytes.prefix(Int(random.next() % 40))) }
            }
            _ = lens.claims(firstMessage: message)
            for view in decoder.decode(message) {
                #expect(!view.summary.isEmpty)
                _ = view.fields.json
                views += 1
            }
        }
        #expect(views > 0)
    }
}

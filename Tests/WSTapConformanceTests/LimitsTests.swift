import Testing
import WSTapCore

/// Autobahn 9.x and RFC 6455 10.4: messages over the configured size fail the connection with 1009 (as
/// soon as a header announces too much), long series of messages are all echoed in order, and large
/// messages go through whole.
@Suite struct LimitsTests {
    static let limit = 1000

    static let oversized: [WireCase] = [
        WireCase(
            "9.0.1", "text one byte over the limit", [.text(Payloads.ascii(limit + 1))],
            .failure(.messageTooBig, after: [])),
        WireCase(
            "9.0.2", "binary one byte over the limit, after one at the limit",
            [.binary(Payloads.binary(limit)), .binary(Payloads.binary(limit + 1))],
            .failure(.messageTooBig, after: [.message(.binary, Payloads.binary(limit))])),
        WireCase(
            "9.0.3", "fragments adding up to more than the limit",
            [.text(Payloads.ascii(600), fin: false), .continuation(Payloads.ascii(600))],
            .failure(.messageTooBig, after: [])),
        WireCase(
            "9.0.4", "a message at the limit in 10 fragments",
            (0..<10).map { index in
                index == 0
                    ? .text(Payloads.ascii(100), fin: false) : .continuation(Payloads.ascii(100), fin: index == 9)
            }, .replies([.message(.text, Array((0..<10).map { _ in Payloads.ascii(100) }.joined()))])),
    ]

    @Test(arguments: Side.allCases, oversized)
    func messagesOverTheLimitFailWith1009(side: Side, wireCase: WireCase) async throws {
        try await ConformanceRunner.run(wireCase, on: side, maxMessageSize: Self.limit)
    }

    /// A header that announces a frame over the limit is enough: 1009 comes before any of its payload.
    @Test(arguments: Side.allCases)
    func oversizedHeaderFailsAtOnce(side: Side) async throws {
        let session = try await ConformanceSession.open(side, maxMessageSize: Self.limit)
        let wire = await session.peer.encode([.binary(Payloads.binary(1 << 20))])
        await session.peer.write(Array(wire.prefix(wire.count - (1 << 20))))
        let transcript = await session.read()
        ConformanceRunner.check(transcript, against: [], strictMessages: true)
        await ConformanceRunner.expectFailure(session, transcript, code: .messageTooBig)
        await session.finish()
    }

    /// 1000 small messages in one burst are all echoed, in order.
    @Test(arguments: Side.allCases)
    func thousandMessagesInOrder(side: Side) async throws {
        let texts = (0..<1000).map { "message \($0)" }
        let wireCase = WireCase(
            "9.7", "1000 small messages", texts.map { .text($0) }, .replies(texts.map { .text($0) }))
        try await ConformanceRunner.run(wireCase, on: side)
    }

    /// A 16 MiB binary message and a 4 MiB text message are echoed exactly.
    @Test(arguments: Side.allCases)
    func largeMessages(side: Side) async throws {
        let binary = Payloads.binary(16 << 20)
        let text = Array(String(repeating: "κόσμε 😀 ", count: (4 << 20) / 16).utf8)
        let wireCase = WireCase(
            "9.1", "16 MiB binary and 4 MiB text", [.binary(binary), .text(text)],
            .replies([.message(.binary, binary), .message(.text, text)]))
        try await ConformanceRunner.run(wireCase, on: side)
    }
}

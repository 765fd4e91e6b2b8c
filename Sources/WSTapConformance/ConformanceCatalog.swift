/// Every conformance case wstap has, by category, with unique ids.
public enum ConformanceCatalog {
    /// A category of cases: its number (Autobahn's where it has one) and its name.
    public struct Category: Hashable, Sendable {
        /// Its number: the first segment of its cases' ids.
        public var number: Int
        /// What it checks, in a few words.
        public var name: String
    }

    /// The categories, in order.
    public static let categories: [Category] = [
        Category(number: 1, name: "framing"),
        Category(number: 2, name: "pings and pongs"),
        Category(number: 3, name: "reserved bits"),
        Category(number: 4, name: "opcodes"),
        Category(number: 5, name: "fragmentation"),
        Category(number: 6, name: "UTF-8"),
        Category(number: 7, name: "closing"),
        Category(number: 9, name: "limits and performance"),
        Category(number: 12, name: "permessage-deflate: payloads"),
        Category(number: 13, name: "permessage-deflate: parameters"),
        Category(number: 14, name: "hybi-00"),
        Category(number: 15, name: "opening handshake"),
        Category(number: 16, name: "subprotocols and extensions"),
    ]

    /// The category a case belongs to.
    public static func category(of testCase: ConformanceCase) -> Category {
        category(ofID: testCase.id)
    }

    /// The category of the case with this id.
    public static func category(ofID id: String) -> Category {
        let number = Int(id.prefix { $0 != "." }) ?? 0
        return categories.first { $0.number == number } ?? Category(number: number, name: "other")
    }

    /// Autobahn 1.x (lengths and their encodings) and headers that break a rule.
    public static var framing: [ConformanceCase] { tables.framing }
    /// Autobahn 2.x.
    public static var pingPong: [ConformanceCase] { tables.pingPong }
    /// Autobahn 3.x.
    public static var reservedBits: [ConformanceCase] { tables.reservedBits }
    /// Autobahn 4.x.
    public static var opcodes: [ConformanceCase] { tables.opcodes }
    /// Autobahn 5.x (and 6.1.2, 6.1.3: empty fragments).
    public static var fragmentation: [ConformanceCase] { tables.fragmentation }
    /// Messages before a violation in the same write are echoed before the failure.
    public static var violationsAfterMessages: [ConformanceCase] { tables.violationsAfterMessages }
    /// Autobahn 6.x: each sample whole, and failing fast.
    public static var utf8: [ConformanceCase] { tables.utf8 }
    /// Each valid sample split at every byte; each invalid one split at each byte, one connection a split.
    public static var utf8Splits: [ConformanceCase] { tables.utf8Splits }
    /// Autobahn 7.x.
    public static var closing: [ConformanceCase] { tables.closing }
    /// Autobahn 9.1.x, 9.2.x and long series of messages.
    public static var large: [ConformanceCase] { tables.large }
    /// Autobahn 12.x: permessage-deflate over data of five kinds.
    public static var deflatePayloads: [ConformanceCase] { tables.deflatePayloads }
    /// Autobahn 13.x: permessage-deflate under different offers.
    public static var deflateParameters: [ConformanceCase] { tables.deflateParameters }
    /// wstap's category 14: hybi-00 in its old framing (14.1) and its new one (14.2).
    public static var hybi00: [ConformanceCase] { tables.hybi00 }
    /// wstap's category 15: requests to accept however they are written, to refuse, and origins.
    public static var handshake: [ConformanceCase] { tables.handshake }
    /// wstap's category 16: subprotocols and extensions negotiated by the rules.
    public static var negotiation: [ConformanceCase] { tables.negotiation }

    /// The cases that need no knowledge of the endpoint, in the order of their ids' categories.
    public static var all: [ConformanceCase] { tables.all }

    /// Cases for an endpoint whose maximum message size is `limit` bytes (ids `9.0.w1`...).
    public static func overLimit(_ limit: Int) -> [ConformanceCase] {
        var numbering = OwnNumbering()
        return LimitCases.overLimit(limit).map { numbering.number($0) }
    }

    private static let tables = Tables()

    /// The tables with their own cases numbered, once.
    private struct Tables: Sendable {
        let framing: [ConformanceCase]
        let pingPong: [ConformanceCase]
        let reservedBits: [ConformanceCase]
        let opcodes: [ConformanceCase]
        let fragmentation: [ConformanceCase]
        let violationsAfterMessages: [ConformanceCase]
        let utf8: [ConformanceCase]
        let utf8Splits: [ConformanceCase]
        let closing: [ConformanceCase]
        let large: [ConformanceCase]
        let handshake: [ConformanceCase]
        let deflatePayloads: [ConformanceCase]
        let deflateParameters: [ConformanceCase]
        let hybi00: [ConformanceCase]
        let negotiation: [ConformanceCase]
        let all: [ConformanceCase]

        init() {
            // The order of the tables here fixes the numbers of wstap's own cases: add new tables at the end.
            var numbering = OwnNumbering()
            framing = (FramingCases.echoes + FramingCases.badHeaders).map { numbering.number($0) }
            pingPong = PingPongCases.cases.map { numbering.number($0) }
            reservedBits = ReservedBitsCases.cases.map { numbering.number($0) }
            opcodes = OpcodeCases.cases.map { numbering.number($0) }
            fragmentation = FragmentationCases.cases.map { numbering.number($0) }
            violationsAfterMessages = ViolationAfterMessagesCases.cases.map { numbering.number($0) }
            utf8 = (UTF8Cases.whole + UTF8Cases.failFast).map { numbering.number($0) }
            utf8Splits = (UTF8Cases.validSplitAnywhere + UTF8Cases.invalidSplitAnywhere).map { numbering.number($0) }
            closing = ClosingCases.cases.map { numbering.number($0) }
            large = LimitCases.large.map { numbering.number($0) }
            handshake = HandshakeCases.cases
            negotiation = NegotiationCases.cases
            deflatePayloads = DeflateCases.payloads
            deflateParameters = DeflateCases.parameters
            hybi00 = Hybi00Cases.cases
            let cases =
                framing + pingPong + reservedBits + opcodes + fragmentation + violationsAfterMessages + utf8
                + utf8Splits + closing + large + handshake + negotiation + deflatePayloads + deflateParameters + hybi00
            all = cases.enumerated().sorted { left, right in
                left.element.category == right.element.category
                    ? left.offset < right.offset : left.element.category < right.element.category
            }.map(\.element)
        }
    }
}

/// Gives each case whose id ends in a bare `w` the next number of its group: `1.1.w` becomes `1.1.w1`, then
/// `1.1.w2`...
struct OwnNumbering {
    private var last: [String: Int] = [:]

    mutating func number(_ testCase: ConformanceCase) -> ConformanceCase {
        guard testCase.id.hasSuffix(".w") else { return testCase }
        let next = (last[testCase.id] ?? 0) + 1
        last[testCase.id] = next
        return testCase.numbered(testCase.id + "\(next)")
    }
}

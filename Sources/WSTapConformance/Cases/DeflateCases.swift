import WSTapCore

/// Autobahn 12.x (permessage-deflate over data of different kinds, the default offer) and 13.x (JSON data under
/// different offers). The same message sizes and frame sizes as Autobahn's 18 cases of each group, fewer messages
/// (Autobahn sends 1000 of each, one at a time: most of an hour): 100 of the small sizes, about 128 KiB of the
/// large, at least 4, all at once. A server that does not agree gets UNIMPLEMENTED, as in Autobahn.
enum DeflateCases {
    /// Autobahn's (message size, compressed frame size) pairs: 12.x.1 to 12.x.18.
    static let sizes: [(size: Int, fragment: Int?)] =
        [16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131_072].map { ($0, nil) }
        + [
            (8192, 256), (16384, 256), (32768, 256), (65536, 256), (131_072, 256), (131_072, 1024), (131_072, 4096),
            (131_072, 32768),
        ]

    /// How many messages of `size` bytes a case sends.
    static func count(_ size: Int) -> Int { min(100, max(4, (128 << 10) / size)) }

    /// Autobahn's default offer (it lets the server limit the client's window and ask for no context takeover).
    static let defaultOffer = "permessage-deflate; client_no_context_takeover; client_max_window_bits"

    /// The offers of 13.1 to 13.7: (no context takeover asked of the server, its window bits asked).
    static let parameterOffers: [[String]] = [
        [defaultOffer],
        [defaultOffer + "; server_no_context_takeover"],
        [defaultOffer + "; server_max_window_bits=8"],
        [defaultOffer + "; server_max_window_bits=15"],
        [defaultOffer + "; server_no_context_takeover; server_max_window_bits=8"],
        [defaultOffer + "; server_no_context_takeover; server_max_window_bits=15"],
        [
            defaultOffer + "; server_no_context_takeover; server_max_window_bits=8",
            defaultOffer + "; server_no_context_takeover", defaultOffer,
        ],
    ]

    static func group(_ prefix: String, offers: [String], corpus: DeflateCorpus, what: String) -> [ConformanceCase] {
        sizes.enumerated().map { index, entry in
            let compression = Compression(
                offers: offers, corpus: corpus, size: entry.size, count: count(entry.size),
                fragmentSize: entry.fragment)
            return ConformanceCase(
                "\(prefix).\(index + 1)",
                "\(compression.count) messages of \(entry.size) bytes"
                    + (entry.fragment.map { " in \($0)-byte frames" } ?? "")
                    + ", \(what)",
                [], .replies([]), compression: compression)
        }
    }

    /// 12.1 to 12.5.
    static let payloads: [ConformanceCase] = [DeflateCorpus.json, .bitmap, .prose, .html, .pdf].enumerated()
        .flatMap { index, corpus in
            group("12.\(index + 1)", offers: [defaultOffer], corpus: corpus, what: corpus.name)
        }

    /// 13.1 to 13.7.
    static let parameters: [ConformanceCase] = parameterOffers.enumerated().flatMap { index, offers in
        group(
            "13.\(index + 1)", offers: offers, corpus: .json,
            what: "offered " + offers.map { "'\($0.dropFirst("permessage-deflate; ".count))'" }.joined(separator: ", "))
    }
}

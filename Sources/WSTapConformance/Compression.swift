public import WSTapCore

/// A permessage-deflate case (Autobahn 12.x and 13.x): the offers the request makes, and the messages sent once
/// the server agreed, compressed and cut into frames of `fragmentSize` bytes of compressed payload. The messages
/// are made when the case runs (slices of the corpus one after the other, as Autobahn takes them).
public struct Compression: Sendable {
    /// The `Sec-WebSocket-Extensions` values offered.
    public var offers: [String]
    /// Where the messages come from.
    public var corpus: DeflateCorpus
    /// Each message's size in bytes.
    public var size: Int
    /// How many messages.
    public var count: Int
    /// The compressed payload cut into frames of this many bytes (nil: one frame a message).
    public var fragmentSize: Int?

    /// A case offering `offers` and sending `count` messages of `size` bytes of `corpus`.
    public init(offers: [String], corpus: DeflateCorpus, size: Int, count: Int, fragmentSize: Int?) {
        self.offers = offers
        self.corpus = corpus
        self.size = size
        self.count = count
        self.fragmentSize = fragmentSize
    }

    /// The messages: `count` slices of `size` bytes of the corpus, one after the other, wrapping round.
    public func messages() -> [(opcode: Opcode, bytes: [UInt8])] {
        let data = corpus.bytes
        guard !data.isEmpty else { return [] }
        var start = 0
        return (0..<count).map { _ in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(size)
            while bytes.count < size {
                let end = min(data.count, start + size - bytes.count)
                bytes += data[start..<end]
                start = end == data.count ? 0 : end
            }
            return (corpus.isBinary ? .binary : .text, bytes)
        }
    }

    /// "1000 text messages of 16 bytes of JSON data (text), auto-fragmented to 256 bytes; offered: ...".
    public var description: String {
        "\(count) \(corpus.isBinary ? "binary" : "text") messages of \(size) bytes of \(corpus.name), compressed"
            + (fragmentSize.map { ", in frames of \($0) compressed bytes" } ?? "") + "; offered: "
            + offers.map { "'\($0)'" }.joined(separator: ", ")
    }
}

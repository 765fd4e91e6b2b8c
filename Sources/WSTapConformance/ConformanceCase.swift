public import WSTapCore

/// One case of the conformance tables: frames a raw peer sends, and what the endpoint under test must do.
///
/// Ids follow the Autobahn test suite where a case corresponds (`1.1.1`, `5.19`, `7.7.3`); a segment that
/// starts with a letter marks a case of wstap's own (`1.1.w1`, `6.3.1.split4`).
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// Where the raw peer stops writing to see whether the endpoint fails at once ("fail fast"): before the
    /// frame at this index, or after its header and this many payload bytes.
    public enum Cut: Hashable, Sendable {
        case beforeFrame(Int)
        case insideFrame(Int, payloadBytes: Int)
    }

    /// The case's id (`1.1.1`).
    public var id: String
    /// What it does, in a few words.
    public var name: String
    /// The frames, unmasked as written here (a raw client masks them on the way out).
    public var frames: [FrameSpec]
    /// What the endpoint must do.
    public var expectation: Expectation
    /// Writes the frames' bytes in pieces of this size (one TCP segment each) instead of all at once.
    public var chop: Int?
    /// Writes only the bytes up to here first and waits for the failure; the rest follows only when the
    /// endpoint did not fail by then (which is non-strict).
    public var cut: Cut?
    /// How the frames are masked.
    public var masking: RawPeer.Masking
    /// Behaviour the RFC leaves open (Autobahn's INFORMATIONAL): the verdict is informational whatever
    /// happens, and the detail says how the endpoint behaved against the expectation.
    public var informational: Bool
    /// Another behaviour that is accepted as NON-STRICT instead of the expected failure: replies (a receiver that
    /// takes a non-minimal length), or a failure with another close code.
    public var tolerated: Expectation?
    /// The opening handshake, when the case tests it (a request written byte for byte, and the answer it is
    /// owed); `nil`: the handshake by the book.
    public var opening: Opening?
    /// The permessage-deflate offers and messages, when the case tests compression (its frames and expectation
    /// are then made when it runs).
    public var compression: Compression?
    /// The hybi-00 exchange, when the case tests the draft (its frames and expectation are not used).
    public var hybi00: Hybi00Exchange?

    /// A case with these frames and this expectation.
    public init(
        _ id: String, _ name: String, _ frames: [FrameSpec], _ expectation: Expectation, chop: Int? = nil,
        cut: Cut? = nil, masking: RawPeer.Masking = .byRole, informational: Bool = false,
        tolerated: Expectation? = nil, opening: Opening? = nil,
        compression: Compression? = nil, hybi00: Hybi00Exchange? = nil
    ) {
        self.id = id
        self.name = name
        self.frames = frames
        self.expectation = expectation
        self.chop = chop
        self.cut = cut
        self.masking = masking
        self.informational = informational
        self.tolerated = tolerated
        self.opening = opening
        self.compression = compression
        self.hybi00 = hybi00
    }

    /// Whether only a server can be tested with it (it tests the server's side of the opening handshake,
    /// compression, which the client offers, or hybi-00).
    public var testsServersOnly: Bool { opening != nil || compression != nil || hybi00 != nil }

    /// The category: the first segment of the id (`1` for `1.1.3`).
    public var category: Int { Int(id.prefix { $0 != "." }) ?? 0 }

    /// Its id and name.
    public var description: String { "\(id) \(name)" }

    /// The same case with another id.
    func numbered(_ id: String) -> ConformanceCase {
        var copy = self
        copy.id = id
        return copy
    }
}

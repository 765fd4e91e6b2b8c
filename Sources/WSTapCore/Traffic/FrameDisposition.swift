/// What happened to a frame a proxy saw: passed on unchanged, held for the user, or a frame the user
/// made (edited or injected). Recorders and screens mark frames by it.
///
/// The bytes a sender put on the wire are the frames whose ``isFromSender`` is true, in order; the
/// bytes the receiver got are the frames whose ``reachedReceiver`` is true.
public enum FrameDisposition: Hashable, Sendable {
    /// Forwarded unchanged as it arrived (the default; every frame when nothing is intercepted).
    case relayed
    /// Intercepted: it waits for the user under this hold id (a later event says what became of it).
    case held(UInt64)
    /// The held frame with this id was forwarded unchanged.
    case released(UInt64)
    /// This frame, made by the user, was sent instead of the held frame with this id.
    case edited(UInt64)
    /// The held frame with this id was dropped: the receiver never got it.
    case dropped(UInt64)
    /// Crafted by the user and sent; the sender never wrote it.
    case injected
    /// The sender wrote it, and a stage (a rule, a script) sent something else in place of its message: the
    /// frames reported ``rewritten`` right after.
    case replaced
    /// The sender wrote it, and a stage dropped its message: the receiver never got it.
    case removed
    /// Made by a stage and sent in place of a message it replaced.
    case rewritten

    /// Whether these are bytes the sending peer wrote (relayed or held on arrival).
    public var isFromSender: Bool {
        switch self {
        case .relayed, .held, .replaced, .removed: return true
        case .released, .edited, .dropped, .injected, .rewritten: return false
        }
    }

    /// Whether these bytes were written to the receiving peer.
    public var reachedReceiver: Bool {
        switch self {
        case .relayed, .released, .edited, .injected, .rewritten: return true
        case .held, .dropped, .replaced, .removed: return false
        }
    }

    /// A short word for lines and JSON: `relayed`, `held`, `released`, `edited`, `dropped`, `injected`,
    /// `replaced`, `removed`, `rewritten`.
    public var name: String {
        switch self {
        case .relayed: return "relayed"
        case .held: return "held"
        case .released: return "released"
        case .edited: return "edited"
        case .dropped: return "dropped"
        case .injected: return "injected"
        case .replaced: return "replaced"
        case .removed: return "removed"
        case .rewritten: return "rewritten"
        }
    }

    /// The hold id this disposition refers to, if any.
    public var holdID: UInt64? {
        switch self {
        case .held(let id), .released(let id), .edited(let id), .dropped(let id): return id
        case .relayed, .injected, .replaced, .removed, .rewritten: return nil
        }
    }
}

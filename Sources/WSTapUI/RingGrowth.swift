/// How the UI's rings of rows grow until they are full: doubling while small, then straight to their
/// limit. Doubling a large array holds the old and the new storage at once (a 1-million-frame session
/// briefly needed 50% more memory than it kept); storage reserved up to the limit costs memory only as
/// it is written.
enum RingGrowth {
    /// Past this many elements a ring reserves its whole limit.
    static let doublingLimit = 1 << 16

    /// The capacity to reserve when an array of `count` elements, at most `limit`, is full.
    static func next(_ count: Int, limit: Int) -> Int {
        count >= doublingLimit ? limit : min(limit, max(64, count * 2))
    }
}

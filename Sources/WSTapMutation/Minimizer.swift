import WSTapCore

/// Shrinks a fuzz case that triggers a finding to the smallest one that still does: fewer frames first, then
/// plain writes, then shorter payloads, then headers that break fewer rules. Greedy, in the manner of delta
/// debugging: each candidate is one reduction of the current case, the first that still triggers the finding
/// becomes the current case, until no candidate does or the attempts run out. Pure: whether a candidate still
/// triggers the finding is the caller's to find out (by running it).
public struct Minimizer: Sendable {
    /// The most candidates tried.
    public var maxAttempts: Int

    /// A minimizer that tries at most `maxAttempts` candidates.
    public init(maxAttempts: Int = 200) {
        self.maxAttempts = maxAttempts
    }

    /// The smallest case found that still triggers the finding, and how many candidates were tried.
    public func minimize(
        _ start: FuzzCase, stillTriggers: (FuzzCase) async -> Bool
    ) async -> (minimized: FuzzCase, attempts: Int) {
        var current = start
        var attempts = 0
        var progress = true
        while progress, attempts < maxAttempts {
            progress = false
            for candidate in Self.candidates(of: current) {
                guard attempts < maxAttempts else { break }
                attempts += 1
                if await stillTriggers(candidate) {
                    current = candidate
                    progress = true
                    break
                }
            }
        }
        return (current, attempts)
    }

    /// The reductions of `current`, biggest first; each is smaller or simpler than `current`. Made lazily: a
    /// long payload has many.
    public static func candidates(of current: FuzzCase) -> AnySequence<FuzzCase> {
        let frameRemovals = chunks(of: current.frames.count).lazy.map { range -> FuzzCase in
            var candidate = current
            candidate.frames.removeSubrange(range)
            return candidate
        }
        let plainWrites = (current.chop == nil ? [] : [current]).lazy.map { candidate -> FuzzCase in
            var candidate = candidate
            candidate.chop = nil
            return candidate
        }
        let payloadCuts = current.frames.indices.lazy.flatMap { index in
            ([0..<current.frames[index].payload.count] + chunks(of: current.frames[index].payload.count))
                .filter { !$0.isEmpty }
                .lazy.map { range -> FuzzCase in
                    var candidate = current
                    candidate.frames[index].payload.removeSubrange(range)
                    return candidate
                }
        }
        let simplerHeaders = current.frames.indices.lazy.flatMap { index in
            simplifications(of: current.frames[index]).lazy.map { frame -> FuzzCase in
                var candidate = current
                candidate.frames[index] = frame
                return candidate
            }
        }
        return AnySequence(
            frameRemovals.filter { !$0.frames.isEmpty }
                .concatenated(with: plainWrites).concatenated(with: payloadCuts).concatenated(with: simplerHeaders))
    }

    /// Ranges of `0..<count` to cut out: halves, then quarters, ... down to single elements (for a count of 16 or
    /// less) or to sixteenths.
    static func chunks(of count: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        var ranges: [Range<Int>] = []
        var size = count == 1 ? 1 : (count + 1) / 2
        let smallest = max(1, count / 16)
        while true {
            for start in stride(from: 0, to: count, by: size) {
                ranges.append(start..<min(count, start + size))
            }
            if size <= smallest { break }
            size = max(smallest, (size + 1) / 2)
        }
        return ranges
    }

    /// The frame with one rule-breaking header field put right (RSV cleared, the real length, a minimal
    /// encoding).
    static func simplifications(of frame: FrameSpec) -> [FrameSpec] {
        var simpler: [FrameSpec] = []
        if !frame.reservedBits.isEmpty {
            var candidate = frame
            candidate.reservedBits = []
            simpler.append(candidate)
        }
        if frame.declaredLength != nil {
            var candidate = frame
            candidate.declaredLength = nil
            candidate.lengthEncoding = nil
            simpler.append(candidate)
        }
        if frame.lengthEncoding != nil {
            var candidate = frame
            candidate.lengthEncoding = nil
            simpler.append(candidate)
        }
        return simpler
    }
}

extension Sequence {
    /// This sequence followed by `other`, lazily.
    fileprivate func concatenated<Other: Sequence>(with other: Other) -> AnySequence<Element>
    where Other.Element == Element {
        AnySequence { () -> AnyIterator<Element> in
            var first = self.makeIterator()
            var second = other.makeIterator()
            var inFirst = true
            return AnyIterator {
                if inFirst {
                    if let next = first.next() { return next }
                    inFirst = false
                }
                return second.next()
            }
        }
    }
}

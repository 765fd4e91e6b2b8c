import Foundation

/// How many payload bytes of each frame and message the events keep (`--capture-limit`): the rest is still
/// checked, passed on and recorded, but not held in memory for display.
public enum CaptureLimit {
    /// Reads a limit as people write it: a number of bytes, optionally followed by `K`, `M` or `G` (1024-based;
    /// `KiB`, `MB` and the like are read the same way), or `unlimited`.
    ///
    /// - Returns: the number of bytes, or why the text is not a limit.
    public static func parse(_ text: String) -> Result<Int, CaptureLimitError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "unlimited" || trimmed == "max" { return .success(Int.max) }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        var unit = String(trimmed.dropFirst(digits.count)).trimmingCharacters(in: .whitespaces)
        if unit.hasSuffix("ib") {
            unit.removeLast(2)
        } else if unit.count == 2, unit.hasSuffix("b") {
            unit.removeLast()
        }
        let shifts: [String: Int] = ["": 0, "b": 0, "k": 10, "m": 20, "g": 30]
        guard !digits.isEmpty, let shift = shifts[unit], let number = Int(digits) else {
            return .failure(CaptureLimitError(text: text))
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return .success(overflow ? Int.max : bytes)
    }
}

/// A capture limit that could not be read.
public struct CaptureLimitError: Error, CustomStringConvertible, Equatable {
    /// What was given.
    public var text: String

    /// Names the text and what a limit looks like.
    public var description: String {
        "'\(text)' is not a size: give a number of bytes, optionally with K, M or G "
            + "(1024-based: 64K, 1M), or unlimited"
    }
}

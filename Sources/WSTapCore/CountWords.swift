/// A count and its noun, the noun plural unless the count is one: `1 byte`, `2 bytes`, `0 connections`.
public enum CountWords {
    /// `count` and `singular`, or `plural` (the singular with an `s` unless given) when the count is not one.
    public static func of(_ count: some BinaryInteger, _ singular: String, plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
    }
}

/// Byte counts and large numbers in a few columns: `512 B`, `1.5 KB`, `12.0 MB`.
enum ByteCountText {
    static func bytes(_ count: UInt64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return oneDecimal(value) + " " + units[unit]
    }

    /// A length that fits in `width` columns: digits when they fit, else `1.5G` style.
    static func compact(_ count: UInt64, width: Int) -> String {
        let digits = String(count)
        if digits.count <= width { return digits }
        let units = ["K", "M", "G", "T", "P", "E"]
        var value = Double(count)
        var unit = -1
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return oneDecimal(value) + units[max(0, unit)]
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

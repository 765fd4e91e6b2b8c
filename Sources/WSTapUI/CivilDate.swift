/// Calendar arithmetic for times shown on screen (proleptic Gregorian, no time zone database).
enum CivilDate {
    /// Year, month and day of a day counted from 1970-01-01.
    static func from(daysSince1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// `HH:MM:SS.mmm` of a wall-clock time shifted by an offset.
    static func timeOfDay(_ wallSeconds: Double, offsetSeconds: Int) -> String {
        let milliseconds = Int64((wallSeconds * 1000).rounded(.down)) + Int64(offsetSeconds) * 1000
        let dayMilliseconds = Int64(86_400_000)
        let inDay = ((milliseconds % dayMilliseconds) + dayMilliseconds) % dayMilliseconds
        let seconds = Int(inDay / 1000)
        let millis = Int(inDay % 1000)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(millis, 3))"
    }
}

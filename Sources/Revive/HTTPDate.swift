import ReviveVocabulary

/// Parses the IMF-fixdate form of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
///
/// `Retry-After` may be an HTTP date; the engine turns it into a wait by subtracting the
/// response's own `Date` header, so no clock is read.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970-01-01T00:00:00Z, or nil when the text is not an IMF-fixdate.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace()
        // Split by bytes when the text is ASCII without `\r` (every byte is then one character, and
        // the parts are the same): splitting by characters cost most of a parse.
        let parts = trimmed.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") })
            ? trimmed.utf8.split(separator: UInt8(ascii: " ")).map { Substring($0) }
            : trimmed.split(separator: " ")
        guard parts.count == 6, parts[5].uppercased() == "GMT",
              let day = Int64(parts[1]), (1...31).contains(day),
              let monthIndex = months.firstIndex(of: parts[2].lowercased()),
              let year = Int64(parts[3]), year >= 1970 else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let h = Int64(clock[0]), let m = Int64(clock[1]), let s = Int64(clock[2]),
              (0..<24).contains(h), (0..<60).contains(m), (0...60).contains(s) else { return nil }
        return daysFromCivil(year: year, month: Int64(monthIndex + 1), day: day) * 86_400 + h * 3600 + m * 60 + s
    }

    /// Days since the Unix epoch for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthPrime = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthPrime + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

import ReviveVocabulary

/// Parses the IMF-fixdate form of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
///
/// `Retry-After` may be an HTTP date; the engine turns it into a wait by subtracting the
/// response's own `Date` header, so no clock is read.
public enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970-01-01T00:00:00Z, or nil when the text is not an IMF-fixdate.
    public static func parse(_ text: String) -> Int64? {
        // By bytes when the text is ASCII without `\r` (then every byte is one character and the
        // reading below is the same): split into substrings and parsed through them, a date cost
        // some sixteen thousand instructions, twice for each `Retry-After` date the classifier read.
        var ascii = text
        if let parsed = ascii.withUTF8({ bytes in
            bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) ? Optional(parseASCII(bytes)) : nil
        }) {
            return parsed
        }
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

    /// `parse`, on the bytes of an ASCII text without `\r`: the same trimming (spaces, tabs and
    /// newlines at the ends), the same split (on spaces, empty parts dropped; the clock on colons,
    /// the same), and numbers read as `Int64(_:)` reads them (an optional sign, then digits).
    /// Parts are read one after another, with no list of them and no substring made.
    private static func parseASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        var cursor = start
        let space = UInt8(ascii: " ")
        guard next(bytes, &cursor, end, space) != nil, let dayPart = next(bytes, &cursor, end, space),
              let monthPart = next(bytes, &cursor, end, space), let yearPart = next(bytes, &cursor, end, space),
              let clockPart = next(bytes, &cursor, end, space), let zone = next(bytes, &cursor, end, space),
              next(bytes, &cursor, end, space) == nil, word(bytes, zone) == word("gmt"),
              let day = integer(bytes, dayPart), (1...31).contains(day),
              let monthIndex = monthWords.firstIndex(of: word(bytes, monthPart)),
              let year = integer(bytes, yearPart), year >= 1970 else { return nil }
        var clock = clockPart.lowerBound
        let colon = UInt8(ascii: ":")
        guard let hPart = next(bytes, &clock, clockPart.upperBound, colon), let mPart = next(bytes, &clock, clockPart.upperBound, colon),
              let sPart = next(bytes, &clock, clockPart.upperBound, colon), next(bytes, &clock, clockPart.upperBound, colon) == nil,
              let h = integer(bytes, hPart), let m = integer(bytes, mPart), let s = integer(bytes, sPart),
              (0..<24).contains(h), (0..<60).contains(m), (0...60).contains(s) else { return nil }
        return daysFromCivil(year: year, month: Int64(monthIndex + 1), day: day) * 86_400 + h * 3600 + m * 60 + s
    }

    /// The next non-empty run before `end` between `separator`s, from `cursor` (which moves past it).
    private static func next(_ bytes: UnsafeBufferPointer<UInt8>, _ cursor: inout Int, _ end: Int, _ separator: UInt8) -> Range<Int>? {
        while cursor < end, bytes[cursor] == separator { cursor += 1 }
        guard cursor < end else { return nil }
        let begin = cursor
        while cursor < end, bytes[cursor] != separator { cursor += 1 }
        return begin..<cursor
    }

    /// The months' names as `word`s, in order: a literal the compiler lays down as constants
    /// (made from `months` at the first date of every process, it cost six thousand
    /// instructions); `ColdStartTableTests` holds it to `months`.
    static let monthWords: [UInt32] = [0x6A616E, 0x666562, 0x6D6172, 0x617072, 0x6D6179, 0x6A756E,
                                       0x6A756C, 0x617567, 0x736570, 0x6F6374, 0x6E6F76, 0x646563]

    /// A three-letter lower-case ASCII word in one number (a letter a byte).
    static func word(_ text: String) -> UInt32 { text.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// `range`'s bytes lower-cased as a `word`, or a value no word has when it is not three bytes long.
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt32 {
        guard range.count == 3 else { return UInt32.max }
        var packed: UInt32 = 0
        for i in range { packed = packed << 8 | UInt32(bytes[i] >= 0x41 && bytes[i] <= 0x5A ? bytes[i] | 0x20 : bytes[i]) }
        return packed
    }

    /// `Int64(_:)` of the ASCII text in `range`: an optional `+` or `-`, then one digit or more, in range.
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var i = range.lowerBound
        let negative = i < range.upperBound && bytes[i] == UInt8(ascii: "-")
        if i < range.upperBound, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        guard i < range.upperBound else { return nil }
        var value: Int64 = 0
        while i < range.upperBound {
            guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
            let digit = Int64(bytes[i] - 0x30)
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflowTimes, !overflowAdd else { return nil }
            value = next
            i += 1
        }
        return value
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

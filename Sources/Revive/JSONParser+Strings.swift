// How `JSONParser` reads strings, in a file of its own so that neither file passes the size limit.

extension JSONParser {
    /// The string starting at the quote at `index`; `ascii` is set when it is known to be ASCII
    /// (a string with escapes is not looked at, and is left false).
    mutating func parseString(ascii: inout Bool) throws(JSONSyntaxError) -> String {
        try parseString(from: index &+ 1, plainTo: index &+ 1, high: 0, ascii: &ascii)
    }

    /// `parseString(ascii:)` for the string whose bytes start at `start`, of which those before
    /// `scanned` are known to be plain (no quote, backslash or control byte), their bytes or'ed
    /// into `high`: what `shortASCII` read of a longer string is not read again.
    mutating func parseString(from start: Int, plainTo scanned: Int, high: UInt64, ascii: inout Bool) throws(JSONSyntaxError) -> String {
        let (end, rest) = plainRun(from: scanned)
        // Most strings have no escape: the whole string is made from its bytes in place.
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return try escapedString(from: start, plainUpTo: end) }
        index = end &+ 1
        ascii = (high | rest) & JSONParser.highBits == 0
        return makeString(from: start, to: end, ascii: ascii)
    }

    /// The high bit of each byte of a word.
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The words (`ShortASCII`) of the string at the quote at `index` when it is 1 to 15 ASCII
    /// bytes without an escape and sixteen bytes of the text follow its quote: `index` is then
    /// left past its closing quote. Nil otherwise, `index` left at the quote; when the first
    /// sixteen bytes are all plain, `scanned` is moved past them and `high` holds their bytes
    /// or'ed, for `parseString(from:plainTo:high:ascii:)` to go on from there.
    ///
    /// Most keys and most values are such strings: read here, inlined where a key or a value is
    /// read, a short string takes two loads and a few tests, where the call to `parseString`
    /// and its general loop took some 110 instructions (a fifth of parsing a scenario).
    @inline(__always)
    mutating func shortASCII(scanned: inout Int, high: inout UInt64) -> (UInt64, UInt64)? {
        let start = index &+ 1
        // Sound: both words loaded below lie inside the text, as sixteen bytes follow the quote;
        // and the words are made a String only where `ShortASCII.layoutHolds` (`shortStrings`).
        guard shortStrings, start &+ 16 <= bytes.count else { return nil }
        let first = word(at: start)
        let firstStops = JSONParser.plainRunStops(first)
        if firstStops != 0 {
            // The lowest mark is a true one (`plainRunStops`): the string's bytes end there, and
            // must end at its closing quote.
            let count = firstStops.trailingZeroBitCount &>> 3
            let kept = first & ((1 &<< UInt64(truncatingIfNeeded: count &<< 3)) &- 1)
            guard count > 0, kept & JSONParser.highBits == 0, bytes[start &+ count] == UInt8(ascii: "\"") else { return nil }
            index = start &+ count &+ 1
            return ShortASCII.words(low: kept, high: 0, count: count)
        }
        let second = word(at: start &+ 8)
        let secondStops = JSONParser.plainRunStops(second)
        guard secondStops != 0 else {
            scanned = start &+ 16
            high = first | second
            return nil
        }
        let extra = secondStops.trailingZeroBitCount &>> 3
        let kept = second & ((1 &<< UInt64(truncatingIfNeeded: extra &<< 3)) &- 1)
        guard (first | kept) & JSONParser.highBits == 0, bytes[start &+ 8 &+ extra] == UInt8(ascii: "\"") else { return nil }
        index = start &+ 9 &+ extra
        return ShortASCII.words(low: first, high: kept, count: 8 &+ extra)
    }

    /// A string (a member's value or an array's item) at the quote at `index`: a short ASCII one
    /// made from its words, any other by `parseString`.
    @inline(__always)
    mutating func parseStringValue() throws(JSONSyntaxError) -> String {
        var scanned = index &+ 1
        var high: UInt64 = 0
        if let words = shortASCII(scanned: &scanned, high: &high) { return ShortASCII.string(words) }
        var ascii = false
        return try parseString(from: index &+ 1, plainTo: scanned, high: high, ascii: &ascii)
    }

    /// Where the run of plain bytes from `start` ends (at a quote, a backslash, a control byte or
    /// the end of the text), and the high bits of its bytes (zero when it is ASCII).
    @inline(__always)
    func plainRun(from start: Int) -> (end: Int, high: UInt64) {
        var end = start
        var high: UInt64 = 0
        // Eight bytes at a time while none of them ends the run: tested byte by byte, this loop
        // was some 15 % of parsing a scenario.
        while end &+ 8 <= bytes.count {
            let chunk = word(at: end)
            let stops = JSONParser.plainRunStops(chunk)
            if stops == 0 {
                high |= chunk
                end &+= 8
                continue
            }
            // The lowest marked byte is the first that ends the run (a false mark can only sit
            // above a true one): the bytes below it are the run's last.
            let before = stops.trailingZeroBitCount / 8
            high |= chunk & ((1 << UInt64(8 * before)) &- 1)
            return (end &+ before, high & 0x8080_8080_8080_8080)
        }
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 {
            high |= UInt64(bytes[end])
            end &+= 1
        }
        return (end, high & 0x8080_8080_8080_8080)
    }

    /// The bytes `start..<end` as a String. They are valid UTF-8: the text was a String, and it is
    /// cut at ASCII bytes only.
    @inline(__always)
    func makeString(from start: Int, to end: Int, ascii: Bool) -> String {
        let count = end - start
        // Up to 15 ASCII bytes are kept inside the String itself, and copied in without the
        // validation `String(decoding:as:)` makes (which was a fifth of parsing a scenario).
        if ascii && count <= 15 {
            if count == 0 { return "" }
            // As the two words the String is: a few instructions where the standard library's
            // initializer took some 85 (most of a scenario's strings are keys and short words).
            if shortStrings && (count >= 8 || start + 8 <= bytes.count) { return ShortASCII.string(shortWords(from: start, count: count)) }
            let source = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + start)
            return String(unsafeUninitializedCapacity: count) { buffer in
                JSONParser.copyShort(count, from: source, to: UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped))
                return count
            }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The words (`ShortASCII`) of the `count` (1 to 15) ASCII bytes from `start`; eight bytes
    /// must remain from `start` when `count` is below 8 (from 8 up, both loads lie inside the bytes).
    @inline(__always)
    func shortWords(from start: Int, count: Int) -> (UInt64, UInt64) {
        let first = word(at: start)
        if count >= 8 {
            // The last eight bytes, shifted down so that byte 8 of the string is the lowest (by 64
            // for a count of 8: nothing is left).
            return ShortASCII.words(low: first, high: word(at: start + count - 8) >> UInt64(8 * (16 - count)), count: count)
        }
        return ShortASCII.words(low: first & ((1 << UInt64(8 * count)) &- 1), high: 0, count: count)
    }

    /// Copies `count` bytes (1 to 15) in two loads and stores that may overlap, not a call to `memcpy`.
    @inline(__always)
    static func copyShort(_ count: Int, from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        if count >= 8 {
            target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4, as: UInt32.self)
        } else {
            // One to three bytes: the first, the middle and the last cover them.
            target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count / 2, as: UInt8.self), toByteOffset: count / 2, as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count - 1, as: UInt8.self), toByteOffset: count - 1, as: UInt8.self)
        }
    }

    /// The bytes of a word of eight text bytes (in memory order, the first lowest) that are a
    /// double quote, a backslash or a control byte (below 0x20), marked by their high bit: the
    /// classic tests for a zero byte (on the word xor the byte repeated) and for a byte below a
    /// bound. Nonzero exactly when the word holds one, and the lowest mark is always a true one.
    @inline(__always)
    static func plainRunStops(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }
}

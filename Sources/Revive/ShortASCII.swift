// Strings of up to 15 ASCII bytes as the two words the standard library keeps them in.

/// A String of at most 15 ASCII bytes is kept inside the String itself on 64-bit platforms (a
/// "small" string, no storage of its own): its first word holds bytes 0 to 7, its second bytes
/// 8 to 14 and, in its top byte, the form (0xE0: immortal, ASCII, small) with the byte count.
///
/// Loading a scenario makes some 70 such strings (keys and short values) and asks the key of
/// every member which of a dozen names it is. Through the standard library a short string cost
/// about 85 instructions to make (`String(unsafeUninitializedCapacity:)`, a closure call and an
/// ASCII check) and some 80 to place among names (its bytes lent to a closure, then `==`); as two
/// words it is a few instructions either way.
///
/// Sound because the layout is the standard library's own (`StringObject.swift`, frozen in the
/// ABI where Swift has one), and checked besides: `layoutHolds` compares what the standard library
/// builds with what these words say, once per process, and every user falls back to the plain
/// String API when it does not hold. `ShortASCIITests` holds both directions to the standard
/// library for every length.
public enum ShortASCII {
    /// Whether this platform's Strings keep short ASCII text as described above (checked on two
    /// strings the standard library builds itself, of 2 and 15 bytes).
    public static let layoutHolds: Bool = {
        #if arch(x86_64) || arch(arm64)
        guard MemoryLayout<String>.size == 16 else { return false }
        let two = unsafeBitCast(String(decoding: [0x61, 0x62] as [UInt8], as: UTF8.self), to: (UInt64, UInt64).self)
        let fifteen = unsafeBitCast(String(decoding: Array(0x61...0x6F) as [UInt8], as: UTF8.self), to: (UInt64, UInt64).self)
        return two == (0x6261, 0xE2 << 56) && fifteen == (0x6867_6665_6463_6261, 0xEF6F_6E6D_6C6B_6A69)
        #else
        return false
        #endif
    }()

    /// The two words of `text` if it is kept as a small ASCII string (15 bytes at most), else nil.
    /// Only valid where `layoutHolds`. Two small ASCII strings are equal exactly when their words
    /// are (equal bytes); nil says nothing about the text (a short string may be kept in storage).
    @inlinable @inline(__always)
    public static func words(of text: String) -> (UInt64, UInt64)? {
        let raw = unsafeBitCast(text, to: (UInt64, UInt64).self)
        return raw.1 >> 60 == 0xE ? raw : nil
    }

    /// The words a small ASCII string of `count` (0 to 15) bytes would have, given its bytes
    /// (`low`: bytes 0 to 7, `high`: bytes 8 to 14, each the first lowest, zero past the count).
    @inlinable @inline(__always)
    public static func words(low: UInt64, high: UInt64, count: Int) -> (UInt64, UInt64) {
        // The top byte: the form (immortal, ASCII, small) and the count.
        (low, high | (0xE0 | UInt64(truncatingIfNeeded: count)) << 56)
    }

    /// The string whose words are `words` (from `words(low:high:count:)`, of ASCII bytes). Only
    /// valid where `layoutHolds`. Moved out of the words' memory, not cast: a cast String is a
    /// copy, which the compiler retains (a call, if one that does nothing for a small string).
    @inlinable @inline(__always)
    public static func string(_ words: (UInt64, UInt64)) -> String {
        var words = words
        // Rebound for the move only, not bound for good: the words stay words once it returns.
        return withUnsafeMutablePointer(to: &words) { $0.withMemoryRebound(to: String.self, capacity: 1) { $0.move() } }
    }

    /// The words of `text`'s UTF-8 if it is ASCII of 15 bytes at most, however it is kept, else
    /// nil: for tables built once, from names that may not be kept small.
    public static func spelling(of text: String) -> (UInt64, UInt64)? {
        // A text kept small and ASCII (every literal of 15 ASCII bytes at most) is its own words:
        // the walk below cost some 250 instructions a name, 19,000 of building the key lists.
        if layoutHolds, let words = words(of: text) { return words }
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count <= 15 else { return nil }
            var low: UInt64 = 0
            var high: UInt64 = 0
            for (offset, byte) in bytes.enumerated() {
                guard byte < 0x80 else { return nil }
                if offset < 8 { low |= UInt64(byte) << UInt64(8 * offset) } else { high |= UInt64(byte) << UInt64(8 * (offset - 8)) }
            }
            return words(low: low, high: high, count: bytes.count)
        }
    }
}

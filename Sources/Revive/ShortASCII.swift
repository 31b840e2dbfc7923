// Strings of up to 15 bytes as the two words the standard library keeps them in: the one place
// that knows the layout (the JSON parser, the scenario loader and the timeline text build on it).

/// A String of at most 15 UTF-8 bytes is kept inside the String itself on 64-bit platforms (a
/// "small" string, no storage of its own): its first word holds bytes 0 to 7, its second bytes
/// 8 to 14 and, in its top byte, the form with the byte count (low nibble). The form's bits, from
/// the top: immortal, ASCII, small (bit 61 of the second word), foreign; a small ASCII string's
/// top byte is 0xE0 plus its count, a small string of other bytes 0xA0 plus its count. The bytes
/// past the count are zero.
///
/// Loading a scenario makes some 70 such strings (keys and short values) and asks the key of
/// every member which of a dozen names it is. Through the standard library a short string cost
/// about 85 instructions to make (`String(unsafeUninitializedCapacity:)`, a closure call and an
/// ASCII check) and some 80 to place among names (its bytes lent to a closure, then `==`); as two
/// words it is a few instructions either way. The timeline text writes every small value from its
/// words (`smallWords(of:)`, `SmallBytes`): lent through `withContiguousStorageIfAvailable`, such
/// a string was spilled to the stack, handed to a closure and copied back a byte at a time, some
/// 90 instructions a value.
///
/// Sound because the layout is the standard library's own (`StringObject.swift`, frozen in the
/// ABI where Swift has one), and checked besides: `layoutHolds` compares what the standard library
/// builds with what these words say, once per process, on a probe of every kind its users read,
/// and every user falls back to the plain String API when it does not hold. `ShortASCIITests`
/// holds both directions to the standard library for every length and kind of byte.
public enum ShortASCII {
    /// Whether this platform's Strings keep short text as described above: checked on strings the
    /// standard library builds itself (empty; 2, 3 and 15 ASCII bytes; 2 bytes not ASCII) and one
    /// of 16 bytes, which must not read as small, through the functions below.
    public static let layoutHolds: Bool = {
        #if arch(x86_64) || arch(arm64)
        guard MemoryLayout<String>.size == 16 else { return false }
        let two = String(decoding: [0x61, 0x62] as [UInt8], as: UTF8.self)
        let three = String(decoding: [0x61, 0x62, 0x63] as [UInt8], as: UTF8.self)
        let fifteen = String(decoding: Array(0x61...0x6F) as [UInt8], as: UTF8.self)
        let sixteen = String(decoding: Array(0x61...0x70) as [UInt8], as: UTF8.self)
        let accented = String(decoding: [0xC3, 0xA9] as [UInt8], as: UTF8.self)
        guard let empty = smallWords(of: ""), SmallBytes(words: empty).count == 0, SmallBytes(words: empty).low == 0,
              words(of: two).map({ $0 == (0x6261, 0xE2 << 56) }) == true,
              words(of: fifteen).map({ $0 == (0x6867_6665_6463_6261, 0xEF6F_6E6D_6C6B_6A69) }) == true,
              let short = smallWords(of: three).map(SmallBytes.init(words:)),
              short.count == 3 && short.low == 0x63_62_61 && short.high == 0,
              let longest = smallWords(of: fifteen).map(SmallBytes.init(words:)),
              longest.count == 15 && longest.low == 0x6867_6665_6463_6261 && longest.high == 0x6F_6E6D_6C6B_6A69,
              let other = smallWords(of: accented).map(SmallBytes.init(words:)),
              other.count == 2 && other.low == 0xA9_C3 && other.high == 0, words(of: accented) == nil,
              smallWords(of: sixteen) == nil, words(of: sixteen) == nil else { return false }
        return true
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

    /// The two words of `text` if it is kept small, whatever its bytes (15 at most), else nil: a
    /// bit test (bit 61 of the second word). Only valid where `layoutHolds`; its bytes and count
    /// are `SmallBytes(words:)`, its count alone `count(ofSmall:)`.
    @inlinable @inline(__always)
    public static func smallWords(of text: String) -> (UInt64, UInt64)? {
        let raw = unsafeBitCast(text, to: (UInt64, UInt64).self)
        return raw.1 & (1 << 61) != 0 ? raw : nil
    }

    /// Whether a small string's words (`smallWords(of:)`) hold ASCII bytes: whether `words(of:)`
    /// of the same string would give them.
    @inlinable @inline(__always)
    public static func isASCII(small words: (UInt64, UInt64)) -> Bool {
        words.1 >> 60 == 0xE
    }

    /// How many bytes (0 to 15) a small string holds, from its words (`smallWords(of:)`).
    @inlinable @inline(__always)
    public static func count(ofSmall words: (UInt64, UInt64)) -> Int {
        Int(truncatingIfNeeded: (words.1 &>> 56) & 0xF)
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

    /// A small string's bytes and count, read from its words (`smallWords(of:)`): bytes 0 to 7
    /// in `low`, 8 to 14 in `high`, the first lowest, the form and count masked off.
    public struct SmallBytes {
        /// Bytes 0 to 7, then 8 to 14 (the bytes past `count` are zero).
        public let low: UInt64, high: UInt64
        /// How many bytes (0 to 15).
        public let count: Int

        /// The bytes of a small string's words. The bytes past the count are masked off although
        /// the standard library keeps them zero: the top byte (form and count) must go anyway.
        @inlinable @inline(__always)
        public init(words: (UInt64, UInt64)) {
            let count = ShortASCII.count(ofSmall: words)
            self.count = count
            low = count >= 8 ? words.0 : words.0 & ((1 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1)
            high = count <= 8 ? 0 : words.1 & ((1 &<< UInt64(truncatingIfNeeded: (count &- 8) &* 8)) &- 1)
        }

        /// The bytes of `text` when it is kept small, or nil. Only valid where `layoutHolds`.
        @inlinable @inline(__always)
        public init?(_ text: String) {
            guard let words = ShortASCII.smallWords(of: text) else { return nil }
            self.init(words: words)
        }

        /// Calls `body` with the bytes in a buffer (for the rare paths that need them one by one).
        @inlinable
        public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            var words = (low, high)
            let count = self.count
            return withUnsafeBytes(of: &words) { raw in
                body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
            }
        }
    }
}

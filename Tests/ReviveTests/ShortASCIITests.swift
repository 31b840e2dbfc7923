import ReferenceCatalog
import Testing
@testable import Revive

/// `ShortASCII`, the one reader of the standard library's small-string layout, against the
/// standard library: the strings it makes from words are the strings the standard library makes
/// from the same bytes (the same words, bytes, hash and behaviour), the words and bytes it reads
/// from any small string are theirs (every length from 0 to 17 and every kind of byte its users
/// treat apart: spaces, quotes, bytes that are not ASCII), and the parser's short strings are made
/// this way at every length and every distance from the end of the text. The timeline's use of
/// them (facts, padding) is held to the general path in `TextLineSmallStringTests`.
struct ShortASCIITests {
    /// The two words a String is kept in.
    private func bits(_ text: String) -> (UInt64, UInt64) { unsafeBitCast(text, to: (UInt64, UInt64).self) }

    /// `count` ASCII bytes starting at `first`, cycling through all 128.
    private func bytes(_ count: Int, from first: Int) -> [UInt8] { (0..<count).map { UInt8((first + $0 * 37) % 128) } }

    @Test func theLayoutHoldsOnThisPlatform() {
        #if arch(x86_64) || arch(arm64)
        #expect(ShortASCII.layoutHolds)
        #expect(ShortASCII.SmallBytes("abc")?.count == 3)
        #expect(ShortASCII.SmallBytes(String(repeating: "x", count: 16)) == nil)
        #endif
    }

    // Reads a String as two words: only where the layout holds (not on 32-bit or big-endian).
    @Test(.enabled(if: ShortASCII.layoutHolds)) func anySmallStringsBytesAreReadFromItsWords() throws {
        for text in SmallStringSamples.texts {
            let utf8 = Array(text.utf8)
            let ascii = utf8.allSatisfy { $0 < 0x80 }
            guard utf8.count <= 15 else {
                #expect(ShortASCII.smallWords(of: text) == nil && ShortASCII.SmallBytes(text) == nil, "\(text)")
                #expect(ShortASCII.words(of: text) == nil && ShortASCII.spelling(of: text) == nil, "\(text)")
                continue
            }
            let words = try #require(ShortASCII.smallWords(of: text), "\(text) is kept small")
            #expect(words == bits(text))
            #expect(ShortASCII.count(ofSmall: words) == utf8.count, "\(text)")
            let bytes = try #require(ShortASCII.SmallBytes(text))
            #expect(bytes.count == utf8.count && bytes.withBytes({ Array($0) }) == utf8, "\(text)")
            // The bytes past the count are zero, and so is the form's top byte.
            var low: UInt64 = 0, high: UInt64 = 0
            for (offset, byte) in utf8.enumerated() {
                if offset < 8 { low |= UInt64(byte) << UInt64(8 * offset) } else { high |= UInt64(byte) << UInt64(8 * (offset - 8)) }
            }
            #expect(bytes.low == low && bytes.high == high, "\(text)")
            #expect(ShortASCII.SmallBytes(words: words).low == low && ShortASCII.SmallBytes(words: words).high == high)
            // Only ASCII has words as a short ASCII string, and they are the same words.
            #expect(ShortASCII.words(of: text).map { $0 == words } ?? !ascii, "\(text)")
            #expect(ShortASCII.spelling(of: text).map { $0 == words } ?? !ascii, "\(text)")
            // The same bytes kept in storage of their own are not small.
            #expect(ShortASCII.smallWords(of: SmallStringSamples.stored(text)) == nil || utf8.isEmpty, "\(text)")
            #expect(ShortASCII.SmallBytes(SmallStringSamples.stored(text)) == nil || utf8.isEmpty, "\(text)")
        }
    }

    // Reads a String as two words: only where the layout holds (not on 32-bit or big-endian).
    @Test(.enabled(if: ShortASCII.layoutHolds)) func madeStringsAreTheStandardLibrarysStrings() throws {
        try #require(ShortASCII.layoutHolds)
        for count in 0...15 {
            for first in stride(from: 0, to: 128, by: 5) {
                let spelt = bytes(count, from: first)
                let reference = String(decoding: spelt, as: UTF8.self)
                let words = try #require(ShortASCII.spelling(of: reference))
                let made = ShortASCII.string(words)
                #expect(bits(made) == bits(reference), "\(spelt)")
                #expect(made == reference && Array(made.utf8) == spelt && made.utf8.count == count)
                #expect(made.hashValue == reference.hashValue)
                #expect(made + "!" == reference + "!" && String(made.reversed()) == String(reference.reversed()))
                #expect(ShortASCII.words(of: reference).map { $0 == words } == true, "a short ASCII string is kept small")
                // The same bytes kept in storage of their own are spelt by the walk, not read as words.
                var stored = reference
                stored.reserveCapacity(64)
                #expect(ShortASCII.words(of: stored) == nil || count == 0)
                #expect(ShortASCII.spelling(of: stored).map { $0 == words } == true, "\(spelt)")
            }
        }
    }

    // Reads a String as two words: only where the layout holds (not on 32-bit or big-endian).
    @Test(.enabled(if: ShortASCII.layoutHolds)) func wordsAreReadOnlyFromSmallASCIIStrings() {
        // Not ASCII, or too long: no words; a short string kept in storage of its own: no words
        // from where it is kept, but its spelling's words.
        #expect(ShortASCII.words(of: "caf\u{e9}") == nil && ShortASCII.spelling(of: "caf\u{e9}") == nil)
        #expect(ShortASCII.words(of: "sixteen-letters!") == nil && ShortASCII.spelling(of: "sixteen-letters!") == nil)
        var stored = "effect"
        stored.reserveCapacity(64)
        #expect(ShortASCII.words(of: stored) == nil)
        #expect(ShortASCII.spelling(of: stored).map { $0 == bits("effect") } == true)
        #expect(stored == "effect")
    }

    // Reads a String as two words: only where the layout holds (not on 32-bit or big-endian).
    @Test(.enabled(if: ShortASCII.layoutHolds)) func theParsersShortStringsAreTheStandardLibrarysAtEveryDistanceFromTheEnd() throws {
        for count in 0...15 {
            let spelt = String(decoding: bytes(count, from: 33).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C ? 0x41 : $0 }, as: UTF8.self)
            // The string last in the text, then followed by up to ten bytes: the words are read in
            // place or, too near the end, copied.
            for tail in 0...10 {
                let text = "[\"" + spelt + "\"" + String(repeating: " ", count: tail) + "]"
                guard case .array(let items) = try JSONValue.parse(text), case .string(let parsed) = items[0] else {
                    Issue.record("\(text.debugDescription) is not a list of one string")
                    continue
                }
                #expect(parsed == spelt && bits(parsed) == bits(String(decoding: Array(spelt.utf8), as: UTF8.self)), "\(text.debugDescription)")
                let object = try JSONValue.parse("{\"" + spelt + "\":1" + String(repeating: " ", count: tail) + "}")
                #expect(object == .object([(spelt, .integer(1))]), "\(spelt.debugDescription) as a key")
            }
        }
    }
}

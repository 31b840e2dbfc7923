import Testing
import Revive
@testable import ReviveWorld

/// Ids and secrets are spelt eight digits at a time (and an id as a small string's two words);
/// held here to the digit-pair spelling they replaced, which fixed every scenario's ids: the same
/// text, and the stream left where it left it, for every prefix and count a caller may ask.
@Suite("SeededRandom.hex against the digit-pair spelling")
struct SeededRandomReferenceTests {
    /// The spelling `hex(_:after:)` had before: a digit pair a byte, low nibble first, a new draw
    /// every 16 digits, the prefix copied in front.
    static func referenceHex(_ count: Int, after prefix: String, random: inout SeededRandom) -> String {
        let digit = { (nibble: UInt64) -> UInt8 in UInt8(truncatingIfNeeded: nibble < 10 ? 48 + nibble : 87 + nibble) }
        var bytes = Array(prefix.utf8)
        var bits = random.next()
        var left = 16
        var remaining = count
        while remaining > 0 {
            if left == 0 { bits = random.next(); left = 16 }
            bytes.append(digit(bits & 0xF))
            if remaining == 1 { break }
            bytes.append(digit(bits >> 4 & 0xF))
            remaining -= 2
            bits >>= 8
            left -= 2
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("Every count from 0 to 70 after prefixes of every length, and the stream after it, as before",
          arguments: [1, 0x9E37, 0xDEAD_BEEF])
    func matchesTheReference(seed: UInt64) {
        let prefixes = ["", "a", "id_", "cap_", "case_", "lease_", "grant_", "rvcap_", "seven__", "eight___",
                        "fourteen______", "fifteen________", "sixteen_________", "non-ascii-é_", "é", "😀"]
        var random = SeededRandom(seed: seed)
        var reference = random
        for prefix in prefixes {
            for count in 0...70 {
                let spelt = random.hex(count, after: prefix)
                let expected = Self.referenceHex(count, after: prefix, random: &reference)
                #expect(spelt == expected, "\(prefix.debugDescription) + \(count)")
                #expect(Array(spelt.utf8) == Array(expected.utf8))
                #expect(random.next() == reference.next(), "the stream after \(prefix.debugDescription) + \(count)")
            }
        }
    }

    @Test("A short id is a small string, equal to and hashed as the spelt one")
    func shortIDsAreSmall() {
        var random = SeededRandom(seed: 42)
        var reference = random
        let id = random.hex(8, after: "lease_")
        let expected = Self.referenceHex(8, after: "lease_", random: &reference)
        #expect(id == expected)
        #expect(id.hashValue == expected.hashValue)
        #expect(id.utf8.count == 14)
        if ShortASCII.layoutHolds { #expect(ShortASCII.words(of: id) != nil) }
    }

    @Test("Eight digits in a word are the nibbles' spellings, lowest first, cut at the count")
    func digitWords() {
        for bits: UInt32 in [0, 0xFFFF_FFFF, 0x0123_4567, 0x89AB_CDEF, 0x9A9A_9A9A, 0xA9A9_A9A9] {
            for count in 0...8 {
                let word = SeededRandom.digits(bits, count: count)
                let expected = (0..<count).map { index -> UInt8 in
                    let nibble = UInt8(truncatingIfNeeded: bits >> UInt32(4 * index)) & 0xF
                    return nibble < 10 ? 48 + nibble : 87 + nibble
                }
                let spelt = (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64(8 * $0)) }
                #expect(Array(spelt.prefix(count)) == expected)
                #expect(spelt.dropFirst(count).allSatisfy { $0 == 0 })
            }
        }
    }
}

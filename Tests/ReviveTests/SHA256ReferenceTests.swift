import Testing
@testable import Revive

/// The engine's SHA-256 (each round's constant added to its word beforehand, the digest spelt
/// eight digits at a time in a register) against the plain one it replaced, `ReferenceSHA256`,
/// on every length across three blocks and many kinds of bytes; the FIPS vectors are in
/// `SHA256Tests`.
@Suite("SHA256 against the reference")
struct SHA256ReferenceTests {
    /// A small deterministic generator (the tests draw no unseeded randomness).
    private struct Draws {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
    }

    @Test("The reference itself gives the FIPS 180-4 digests")
    func referenceHoldsTheVectors() {
        #expect(ReferenceSHA256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ReferenceSHA256.hexDigest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ReferenceSHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("Every length from 0 to 200 bytes, random bytes, digests as the reference does", arguments: [1, 2, 3])
    func everyLength(seed: UInt64) {
        var draws = Draws(state: seed)
        for length in 0...200 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: draws.next()) }
            #expect(SHA256.digest(bytes) == ReferenceSHA256.digest(bytes), "\(length) bytes")
        }
    }

    @Test("Texts of every length and kind (capability-shaped, ASCII, accented, emoji) spell as the reference's")
    func texts() {
        var draws = Draws(state: 0x5EED)
        let alphabet = Array("0123456789abcdef_rvcap-XYZ éü😀\n\"".unicodeScalars)
        var texts = ["", "a", "rvcap_", "rvcap_00000000000000000000000000000000", "été 😀"]
        for length in 0..<140 {
            texts.append(String(String.UnicodeScalarView((0..<length).map { _ in alphabet[Int(draws.next() % UInt64(alphabet.count))] })))
            texts.append("rvcap_" + String(repeating: "f", count: length))
        }
        for text in texts {
            #expect(SHA256.hexDigest(text) == ReferenceSHA256.hexDigest(text), "\(text.debugDescription)")
        }
    }

    @Test("A word's eight digits, spelt in a register, are its hex spelling, most significant first")
    func hexWords() {
        var draws = Draws(state: 7)
        var words: [UInt32] = [0, 1, 9, 10, 15, 16, 0xFFFF_FFFF, 0x0123_4567, 0x89AB_CDEF, 0xA0A0_A0A0, 0x9999_9999]
        for _ in 0..<2_000 { words.append(UInt32(truncatingIfNeeded: draws.next())) }
        for word in words {
            let spelt = withUnsafeBytes(of: SHA256.hexWord(word)) { String(decoding: $0, as: UTF8.self) }
            let plain = String(word, radix: 16)
            #expect(spelt == String(repeating: "0", count: 8 - plain.count) + plain, "\(word)")
        }
    }
}

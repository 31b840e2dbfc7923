import ReviveVocabulary

/// SHA-256 (FIPS 180-4), used to store capability digests instead of capability values.
///
/// Written here because the package takes no dependencies and Foundation on Linux has no
/// hash API. Checked against the FIPS test vectors in ReviveTests.
public enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The digest of `text`'s UTF-8 bytes as 64 lower-case hex digits.
    public static func hexDigest(_ text: String) -> String {
        // Read in place and written straight into the string: the byte arrays in between (the
        // text's, the padded message's and the digest's) cost more than the compression itself.
        var text = text
        let h = text.withUTF8 { hash($0) }
        // Two digits a byte from a table of the 256 bytes' spellings: a digit at a time, with a
        // shift, a mask and a choice each, the spelling cost a quarter of the hash itself.
        return withUnsafeBytes(of: h) { words in
            hexPairs.withUnsafeBufferPointer { pairs in
                String(unsafeUninitializedCapacity: 64) { buffer in
                    for word in 0..<8 {
                        let value = words.load(fromByteOffset: word * 4, as: UInt32.self)
                        for byte in 0..<4 {
                            let pair = pairs[Int(truncatingIfNeeded: value >> UInt32(24 - 8 * byte) & 0xFF)]
                            buffer[word * 8 + byte * 2] = UInt8(truncatingIfNeeded: pair >> 8)
                            buffer[word * 8 + byte * 2 + 1] = UInt8(truncatingIfNeeded: pair)
                        }
                    }
                    return 64
                }
            }
        }
    }

    /// Each byte's two lower-case hex digits, the first in the high byte.
    private static let hexPairs: [UInt16] = (0..<256).map { byte in
        let digit = { (nibble: Int) -> UInt16 in UInt16(nibble < 10 ? 48 + nibble : 87 + nibble) }
        return digit(byte >> 4) << 8 | digit(byte & 0xF)
    }

    /// The 32-byte digest of `message`.
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        let h = message.withUnsafeBufferPointer { hash($0) }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7] {
            for shift: UInt32 in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return out
    }

    /// The eight words of `message`'s digest.
    ///
    /// On unsafe buffers: the engine digests every capability it issues and presents, and bounds
    /// checks, the round constants' global accessor and the output's nested arrays made a digest
    /// several times the cost of its arithmetic (seen in the player's profile). The whole blocks
    /// are read where they lie; only the last one or two, with the padding, are copied.
    private static func hash(_ message: UnsafeBufferPointer<UInt8>) -> (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) {
        var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        let whole = message.count / 64 * 64
        k.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for chunk in stride(from: 0, to: whole, by: 64) {
                    compress(&h, block: UnsafeBufferPointer(rebasing: message[chunk..<(chunk + 64)]), w: w, k: k)
                }
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
                    let rest = message.count - whole
                    let length = rest < 56 ? 64 : 128
                    // Copied and cleared as blocks of bytes: byte by byte, the copy alone cost a
                    // tenth of a one-block digest (every capability the engine issues or checks).
                    if rest > 0, let source = message.baseAddress, let target = tail.baseAddress {
                        target.update(from: source + whole, count: rest)
                    }
                    tail[rest] = 0x80
                    for i in (rest + 1)..<(length - 8) { tail[i] = 0 }
                    let bitLength = UInt64(message.count) &* 8
                    for i in 0..<8 { tail[length - 8 + i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * i)) }
                    for chunk in stride(from: 0, to: length, by: 64) {
                        compress(&h, block: UnsafeBufferPointer(rebasing: tail[chunk..<(chunk + 64)]), w: w, k: k)
                    }
                }
            }
        }
        return h
    }

    /// One 64-byte block into the running hash `h`; `w` is the message schedule's scratch space.
    private static func compress(_ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
                                 block: UnsafeBufferPointer<UInt8>, w: UnsafeMutableBufferPointer<UInt32>,
                                 k: UnsafeBufferPointer<UInt32>) {
        for i in 0..<16 {
            let b = i * 4
            w[i] = UInt32(block[b]) << 24 | UInt32(block[b + 1]) << 16 | UInt32(block[b + 2]) << 8 | UInt32(block[b + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = h
        // Eight rounds a pass, each naming the working variables in their rotated roles: a round
        // then writes only two of them, where shifting all eight every round was most of the
        // loop's instructions (the engine digests every capability it issues and presents).
        var i = 0
        while i < 64 {
            round(a, b, c, &d, e, f, g, &hh, k[i] &+ w[i])
            round(hh, a, b, &c, d, e, f, &g, k[i + 1] &+ w[i + 1])
            round(g, hh, a, &b, c, d, e, &f, k[i + 2] &+ w[i + 2])
            round(f, g, hh, &a, b, c, d, &e, k[i + 3] &+ w[i + 3])
            round(e, f, g, &hh, a, b, c, &d, k[i + 4] &+ w[i + 4])
            round(d, e, f, &g, hh, a, b, &c, k[i + 5] &+ w[i + 5])
            round(c, d, e, &f, g, hh, a, &b, k[i + 6] &+ w[i + 6])
            round(b, c, d, &e, f, g, hh, &a, k[i + 7] &+ w[i + 7])
            i += 8
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }

    /// One round, with the working variables in their roles for it: `d` takes `t1`, and `h` becomes the new `a`.
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
        let choose = g ^ (e & (f ^ g))
        let t1 = h &+ s1 &+ choose &+ kw
        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
        let majority = (a & b) | (c & (a | b))
        d = d &+ t1
        h = t1 &+ s0 &+ majority
    }

    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}

import ReviveVocabulary

/// SHA-256 (FIPS 180-4), used to store capability digests instead of capability values.
///
/// Written here because the package takes no dependencies and Foundation on Linux has no
/// hash API. Checked against the FIPS test vectors in ReviveTests.
public enum SHA256 {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The eight words of a digest, `h0` to `h7`.
    typealias Words = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The digest of `text`'s UTF-8 bytes as 64 lower-case hex digits.
    public static func hexDigest(_ text: String) -> String {
        // Read in place and written straight into the string: the byte arrays in between (the
        // text's, the padded message's and the digest's) cost more than the compression itself.
        var text = text
        let h = text.withUTF8 { hash($0) }
        // Eight digits a word, spelt in a register (`hexWord`) and stored whole: a table of the
        // 256 bytes' spellings, read two digits at a time, cost about 190 instructions a digest.
        return withUnsafeBytes(of: h) { words in
            String(unsafeUninitializedCapacity: 64) { buffer in
                // Eight unaligned 8-byte stores into the 64 bytes asked for: each in bounds.
                guard let out = buffer.baseAddress.map(UnsafeMutableRawPointer.init) else { return 0 }
                for word in 0..<8 {
                    out.storeBytes(of: hexWord(words.load(fromByteOffset: word * 4, as: UInt32.self)),
                                   toByteOffset: word * 8, as: UInt64.self)
                }
                return 64
            }
        }
    }

    /// The eight lower-case hex digits of `word`, most significant first, as the bytes of a word
    /// in memory order (stored little-endian, the first digit lowest).
    @inline(__always)
    static func hexWord(_ word: UInt32) -> UInt64 {
        // The word's bytes swapped so its first byte is lowest, each moved to its own 16 bits,
        // then each nibble to its own byte, the high nibble first: eight digit values 0 to 15.
        var x = UInt64(word.byteSwapped)
        x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
        x = ((x & 0x0F0F_0F0F_0F0F_0F0F) << 8 | x >> 4) & 0x0F0F_0F0F_0F0F_0F0F
        // A digit of 10 or more gains a carry into its byte's bit 4 from adding 6 (never past
        // its byte: 15 + 6 < 256): those take 'a' - 10 instead of '0', 39 more.
        let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        return (x &+ 0x3030_3030_3030_3030 &+ letters &* 39).littleEndian
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
    /// are read where they lie; only the last one or two, with the padding, are copied, as words.
    private static func hash(_ message: UnsafeBufferPointer<UInt8>) -> Words {
        var h: Words = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        let whole = message.count / 64 * 64
        k.withUnsafeBufferPointer { k in
            // The schedule's 64 words, then the same 64 plus their round constants.
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 128) { w in
                guard let k = k.baseAddress, let w = w.baseAddress else { return }
                if let bytes = message.baseAddress {
                    for chunk in stride(from: 0, to: whole, by: 64) { compress(&h, block: UnsafeRawPointer(bytes + chunk), w: w, k: k) }
                }
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { tail in
                    guard let tail = tail.baseAddress else { return }
                    let rest = message.count - whole
                    let length = rest < 56 ? 64 : 128
                    // In bounds: the tail is 128 bytes, `length` is 64 or 128 and `rest` below 64,
                    // so the copy, the 0x80 and the length all land inside it.
                    // Cleared a word at a time, the rest copied whole and the length stored as one
                    // big-endian word: byte by byte, the padding cost a tenth of a one-block digest.
                    for i in 0..<(length / 8) { tail[i] = 0 }
                    let raw = UnsafeMutableRawPointer(tail)
                    if rest > 0, let source = message.baseAddress { raw.copyMemory(from: source + whole, byteCount: rest) }
                    raw.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
                    raw.storeBytes(of: (UInt64(message.count) &* 8).bigEndian, toByteOffset: length - 8, as: UInt64.self)
                    for chunk in stride(from: 0, to: length, by: 64) { compress(&h, block: UnsafeRawPointer(raw + chunk), w: w, k: k) }
                }
            }
        }
        return h
    }

    /// One 64-byte block into the running hash `h`; `w` is room for 128 words of scratch.
    private static func compress(_ h: inout Words, block: UnsafeRawPointer, w: UnsafeMutablePointer<UInt32>,
                                 k: UnsafePointer<UInt32>) {
        // Each word read whole and byte-swapped: assembled from four byte loads, shifts and ors,
        // the sixteen words cost some 100 instructions more a block.
        for i in 0..<16 { w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        // Each round's constant added to its word beforehand, in a pass the compiler does four
        // words at a time: the rounds then read one buffer, whose address stays in a register,
        // where reading two spilled both addresses and reloaded them every round (3,550
        // instructions a block before, 3,120 after).
        let kw = w + 64
        for i in 0..<64 { kw[i] = w[i] &+ k[i] }
        var (a, b, c, d, e, f, g, hh) = h
        // Eight rounds a pass, each naming the working variables in their rotated roles: a round
        // then writes only two of them, where shifting all eight every round was most of the
        // loop's instructions (the engine digests every capability it issues and presents).
        var i = 0
        while i < 64 {
            round(a, b, c, &d, e, f, g, &hh, kw[i])
            round(hh, a, b, &c, d, e, f, &g, kw[i + 1])
            round(g, hh, a, &b, c, d, e, &f, kw[i + 2])
            round(f, g, hh, &a, b, c, d, &e, kw[i + 3])
            round(e, f, g, &hh, a, b, c, &d, kw[i + 4])
            round(d, e, f, &g, hh, a, b, &c, kw[i + 5])
            round(c, d, e, &f, g, hh, a, &b, kw[i + 6])
            round(b, c, d, &e, f, g, hh, &a, kw[i + 7])
            i += 8
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }

    /// One round, with the working variables in their roles for it: `d` takes `t1`, and `h`
    /// becomes the new `a`. Each sum of three rotations is two nested ones and a third, a move
    /// fewer each than three rotations of the same word.
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let s1 = rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6)
        let choose = g ^ (e & (f ^ g))
        let t1 = h &+ s1 &+ choose &+ kw
        let s0 = rotr(rotr(rotr(a, 9) ^ a, 11) ^ a, 2)
        let majority = (a & b) | (c & (a | b))
        d = d &+ t1
        h = t1 &+ s0 &+ majority
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}

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

    /// Each byte's two lower-case hex digits, the first in the high byte: a literal the compiler
    /// lays down as constants (spelt at the first digest of every process, the table cost thirteen
    /// thousand instructions); `ColdStartTableTests` holds it to `spellHexPair`.
    static let hexPairs: [UInt16] = [
        0x3030, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x3036, 0x3037, 0x3038, 0x3039, 0x3061, 0x3062, 0x3063, 0x3064, 0x3065, 0x3066,
        0x3130, 0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3138, 0x3139, 0x3161, 0x3162, 0x3163, 0x3164, 0x3165, 0x3166,
        0x3230, 0x3231, 0x3232, 0x3233, 0x3234, 0x3235, 0x3236, 0x3237, 0x3238, 0x3239, 0x3261, 0x3262, 0x3263, 0x3264, 0x3265, 0x3266,
        0x3330, 0x3331, 0x3332, 0x3333, 0x3334, 0x3335, 0x3336, 0x3337, 0x3338, 0x3339, 0x3361, 0x3362, 0x3363, 0x3364, 0x3365, 0x3366,
        0x3430, 0x3431, 0x3432, 0x3433, 0x3434, 0x3435, 0x3436, 0x3437, 0x3438, 0x3439, 0x3461, 0x3462, 0x3463, 0x3464, 0x3465, 0x3466,
        0x3530, 0x3531, 0x3532, 0x3533, 0x3534, 0x3535, 0x3536, 0x3537, 0x3538, 0x3539, 0x3561, 0x3562, 0x3563, 0x3564, 0x3565, 0x3566,
        0x3630, 0x3631, 0x3632, 0x3633, 0x3634, 0x3635, 0x3636, 0x3637, 0x3638, 0x3639, 0x3661, 0x3662, 0x3663, 0x3664, 0x3665, 0x3666,
        0x3730, 0x3731, 0x3732, 0x3733, 0x3734, 0x3735, 0x3736, 0x3737, 0x3738, 0x3739, 0x3761, 0x3762, 0x3763, 0x3764, 0x3765, 0x3766,
        0x3830, 0x3831, 0x3832, 0x3833, 0x3834, 0x3835, 0x3836, 0x3837, 0x3838, 0x3839, 0x3861, 0x3862, 0x3863, 0x3864, 0x3865, 0x3866,
        0x3930, 0x3931, 0x3932, 0x3933, 0x3934, 0x3935, 0x3936, 0x3937, 0x3938, 0x3939, 0x3961, 0x3962, 0x3963, 0x3964, 0x3965, 0x3966,
        0x6130, 0x6131, 0x6132, 0x6133, 0x6134, 0x6135, 0x6136, 0x6137, 0x6138, 0x6139, 0x6161, 0x6162, 0x6163, 0x6164, 0x6165, 0x6166,
        0x6230, 0x6231, 0x6232, 0x6233, 0x6234, 0x6235, 0x6236, 0x6237, 0x6238, 0x6239, 0x6261, 0x6262, 0x6263, 0x6264, 0x6265, 0x6266,
        0x6330, 0x6331, 0x6332, 0x6333, 0x6334, 0x6335, 0x6336, 0x6337, 0x6338, 0x6339, 0x6361, 0x6362, 0x6363, 0x6364, 0x6365, 0x6366,
        0x6430, 0x6431, 0x6432, 0x6433, 0x6434, 0x6435, 0x6436, 0x6437, 0x6438, 0x6439, 0x6461, 0x6462, 0x6463, 0x6464, 0x6465, 0x6466,
        0x6530, 0x6531, 0x6532, 0x6533, 0x6534, 0x6535, 0x6536, 0x6537, 0x6538, 0x6539, 0x6561, 0x6562, 0x6563, 0x6564, 0x6565, 0x6566,
        0x6630, 0x6631, 0x6632, 0x6633, 0x6634, 0x6635, 0x6636, 0x6637, 0x6638, 0x6639, 0x6661, 0x6662, 0x6663, 0x6664, 0x6665, 0x6666,
    ]

    /// A byte's two lower-case hex digits, the first in the high byte.
    static func spellHexPair(_ byte: Int) -> UInt16 {
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
        // Each word read whole and byte-swapped: assembled from four byte loads, shifts and ors,
        // the sixteen words cost some 100 instructions more a block (of about 3,000).
        let bytes = UnsafeRawPointer(block.baseAddress!)
        for i in 0..<16 { w[i] = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
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

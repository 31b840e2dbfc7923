// Lower-casing the codes, texts and header names of a provider's signal.

extension String {
    /// `lowercased()`, without its new storage where none is needed.
    ///
    /// Every code, text and header name of every failure is lower-cased (some 150 a cold `run`).
    /// The standard library's `lowercased()` builds a new string in allocated storage each time,
    /// about 600 instructions, even for a code already in lower case (about half are) or one
    /// short enough to sit inside the String itself. Here an ASCII string without upper-case
    /// letters is returned as it is, and another ASCII one is mapped eight bytes at a time (`A`–`Z`
    /// to `a`–`z`, as `lowercased()` maps ASCII); any other string goes to `lowercased()`, which
    /// alone knows the rest of Unicode. `FastPathTests` holds the answers to `lowercased()`'s.
    func lowercasedFast() -> String {
        var text = self
        // nil: past ASCII; false: nothing to lower; true: an upper-case ASCII letter.
        let hasUpper: Bool? = text.withUTF8 { bytes in
            var upper: UInt64 = 0
            var i = 0
            while i + 8 <= bytes.count {
                let word = String.word(bytes, at: i)
                if word & 0x8080_8080_8080_8080 != 0 { return nil }
                upper |= String.upperCaseBits(word)
                i += 8
            }
            while i < bytes.count {
                if bytes[i] >= 0x80 { return nil }
                if bytes[i] &- 0x41 < 26 { upper = 1 }
                i += 1
            }
            return upper != 0
        }
        guard let hasUpper else { return lowercased() }
        guard hasUpper else { return self }
        return text.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { buffer in
                var i = 0
                while i + 8 <= bytes.count {
                    let word = String.word(bytes, at: i)
                    // `| 0x20` lower-cases an upper-case letter (its bit 0x80 shifted to 0x20).
                    let lowered = word | String.upperCaseBits(word) >> 2
                    UnsafeMutableRawPointer(buffer.baseAddress! + i).storeBytes(of: lowered.littleEndian, as: UInt64.self)
                    i += 8
                }
                while i < bytes.count {
                    let byte = bytes[i]
                    buffer[i] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    i += 1
                }
                return bytes.count
            }
        }
    }

    /// Eight bytes from `at`, the first in the low byte.
    @inline(__always)
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>, at: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + at).loadUnaligned(as: UInt64.self))
    }

    /// The bit 0x80 of each byte of `word` (all ASCII) that is `A` to `Z`. A byte plus 0x3F
    /// reaches 0x80 from `A` (0x41) up, plus 0x25 from `[` (0x5B) up; no byte carries into the
    /// next, as none exceeds 0x7F.
    @inline(__always)
    private static func upperCaseBits(_ word: UInt64) -> UInt64 {
        let fromA = word &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = word &+ 0x2525_2525_2525_2525
        return fromA & ~pastZ & 0x8080_8080_8080_8080
    }
}

import ReviveVocabulary

/// Finds token-shaped values: provider token formats and the lab's own secret prefixes.
///
/// A byte scan rather than `String.contains`, because the custody check reads every value of
/// every transition and Foundation's substring search dominated the player's profile.
public enum SecretScanner {
    /// Value shapes that mean a token or secret leaked.
    public static let markers = ["rvlab_", "rvcap_", "eyJ0eX", "ya29.", "xoxe.", "xoxp-", "xoxb-", "ghu_", "ghr_", "gho_", "ghp_", "1//0"]
    private static let markerBytes: [[UInt8]] = markers.map { Array($0.utf8) }
    /// For each byte, the second byte of the markers that start with it, `flag` for `!` and `0`
    /// (the Salesforce shape), 0 for any other byte. Markers sharing a first byte share their second
    /// too, so one lookup skips nearly every byte: the profile showed the pattern loop running on
    /// every `r`, `e`, `g`, `x` and `y` of every value the custody check reads.
    private static let secondByte: [UInt8] = (0..<256).map { byte in
        if byte == Int(UInt8(ascii: "!")) || byte == Int(UInt8(ascii: "0")) { return flag }
        return markerBytes.first { $0[0] == UInt8(byte) }?[1] ?? 0
    }
    /// No marker's second byte: marks the bytes the Salesforce shape reads.
    private static let flag: UInt8 = 1

    /// The first marker found in `value` (or `00D…!` for a Salesforce token), or nil. The value's
    /// bytes are borrowed where they lie (a copy of the string and `withUTF8` only if they are not
    /// contiguous).
    public static func firstMarker(in value: String) -> String? {
        let found: (marker: Int?, salesforce: Bool)
        if let direct = value.utf8.withContiguousStorageIfAvailable({ scan($0) }) {
            found = direct
        } else {
            var text = value
            found = text.withUTF8 { scan($0) }
        }
        if let index = found.marker { return markers[index] }
        if found.salesforce { return "00D…!" }
        return nil
    }

    /// The index in `markers` of the first marker in `bytes`, and whether they hold the Salesforce
    /// shape: a `00D`, then a `!` with more than twenty bytes after it (wherever other `!`s fall:
    /// judged from the value's first `!`, a value like `wow! then 00D…!…` hid its token). The anchor filter (`mayHoldAnchoredMarker`) proves nearly every
    /// value clean sixteen bytes at a time; only a value it cannot clear pays the exact scan, and
    /// the tables that scan reads (a `swift_once` each, 43,000 instructions the first time) are
    /// then fetched, so a process that never meets a token shape never builds them.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (marker: Int?, salesforce: Bool) {
        guard mayHoldAnchoredMarker(bytes) else { return (nil, false) }
        return exactScan(bytes)
    }

    /// The exact scan: one table lookup a byte, the pattern loop only where a marker's first two
    /// bytes meet. (Byte by byte it cost nine instructions a byte: the loader ran it over every
    /// scenario file's whole text, 1.4 M instructions of a cold `run`.)
    static func exactScan(_ bytes: UnsafeBufferPointer<UInt8>) -> (marker: Int?, salesforce: Bool) {
        // Most values (ids, hex digests, step names, durations) hold none of the bytes a marker
        // needs: eight bytes a test rules them out before the byte loop reads them one by one.
        guard mayHoldMarker(bytes) else { return (nil, false) }
        // The tables fetched once, past the filters (their first fetch builds them).
        let seconds = secondByte, patterns = markerBytes
        let count = bytes.count
        // The Salesforce shape: a `00D`, then a `!` with more than twenty bytes after it.
        var salesforceAt = -1
        var bangAfter = -1
        var i = 0
        while i < count {
            let byte = bytes[i]
            let second = seconds[Int(byte)]
            if second == 0 {
                i += 1
                continue
            }
            if second == flag {
                if byte == UInt8(ascii: "!") {
                    if salesforceAt >= 0 && bangAfter < 0 { bangAfter = i }
                } else if salesforceAt < 0, i + 2 < count, bytes[i + 1] == UInt8(ascii: "0"), bytes[i + 2] == UInt8(ascii: "D") {
                    salesforceAt = i
                }
            } else if i + 1 < count, bytes[i + 1] == second {
                for (index, marker) in patterns.enumerated() where marker[0] == byte && i + marker.count <= count {
                    var matches = true
                    for j in 2..<marker.count where bytes[i + j] != marker[j] {
                        matches = false
                        break
                    }
                    if matches { return (index, false) }
                }
            }
            i += 1
        }
        return (nil, bangAfter >= 0 && count - bangAfter > 20)
    }
}

extension SecretScanner {
    /// Whether `bytes` hold one of `v`, `y`, `x`, `g`, `/` or `!`. Every marker holds one (`rv…`,
    /// `ey…` and `ya…`, `xo…`, `gh…`, `1//0`) and the Salesforce shape needs its `!`, so a value
    /// without any is clean. None of the six is a hex digit, a decimal digit or a letter of most
    /// ids, so this rules out nearly every value the custody check reads.
    ///
    /// Eight bytes at a time (SWAR): a word XOR a byte repeated has a zero byte exactly where the
    /// word holds that byte, and `(x - 0x01…) & ~x & 0x80…` is nonzero exactly when `x` has a zero
    /// byte. The tail is padded with zero bytes, which are none of the six.
    static func mayHoldMarker(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var i = 0
        while i &+ 8 <= count {
            if holdsMarkerByte(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i &+= 8
        }
        guard i < count else { return false }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(bytes[i]) &<< shift
            shift &+= 8
            i &+= 1
        }
        return holdsMarkerByte(tail)
    }

    /// Whether one of the word's eight bytes is `v`, `y`, `x`, `g`, `/` or `!`.
    @inline(__always)
    private static func holdsMarkerByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & 0x8080_8080_8080_8080 }
        let letters = zeroByte(word ^ (ones &* 0x76)) | zeroByte(word ^ (ones &* 0x79)) | zeroByte(word ^ (ones &* 0x78))
        let others = zeroByte(word ^ (ones &* 0x67)) | zeroByte(word ^ (ones &* 0x2F)) | zeroByte(word ^ (ones &* 0x21))
        return letters | others != 0
    }
}

/// The anchor filter in front of the exact scan.
///
/// Every marker holds one rarer byte, its anchor, at a fixed place: `_` ends `rvlab_`, `rvcap_` and
/// `gh?_`, `J` is third in `eyJ0eX`, `9` fourth in `ya29.`, `x` starts `xox?`, `/` is second in
/// `1//0`; and the Salesforce shape needs a `!`. A scenario file holds one of these bytes in a
/// hundred and thirty or so (`r`, `e`, `y` and `g`, first bytes the exact scan stops at, are
/// among the commonest letters), so the filter compares sixteen bytes at once against the six
/// anchors (SSE2 byte compares) and, at each anchor found, only the two bytes its marker starts
/// with. A value it clears holds no marker and no `!`: the exact scan would find nothing there.
/// Byte `k` of a word is its bits `8k` to `8k + 7` (little-endian, as on every platform the lab
/// builds for), which is how an anchor's place is read back from a word of hits.
extension SecretScanner {
    /// Whether `bytes` may hold a marker or the Salesforce shape: false only when they surely do not.
    static func mayHoldAnchoredMarker(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        guard count >= 16 else { return mayHoldAnchoredMarker(short: bytes) }
        // Whole blocks up to the last one, which ends at the last byte (it may overlap the one
        // before: a byte seen twice is confirmed twice, which changes no answer).
        let last = count &- 16
        var at = 0
        while at < last {
            let hits = anchors(raw.loadUnaligned(fromByteOffset: at, as: SIMD16<UInt8>.self))
            if hits[0] | hits[1] != 0, confirms(hits, first: at, second: at &+ 8, in: bytes) { return true }
            at &+= 16
        }
        let hits = anchors(raw.loadUnaligned(fromByteOffset: last, as: SIMD16<UInt8>.self))
        return hits[0] | hits[1] != 0 && confirms(hits, first: last, second: last &+ 8, in: bytes)
    }

    /// `mayHoldAnchoredMarker` for fewer than sixteen bytes (most values the custody check reads):
    /// two words that overlap, or one word padded with zero bytes (no anchor is zero), read in at
    /// most three loads (a byte loop cost more than the compares).
    @inline(__always)
    private static func mayHoldAnchoredMarker(short bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let count = bytes.count
        var words = SIMD2<UInt64>(0, 0)
        if count >= 8 {
            words[0] = raw.loadUnaligned(as: UInt64.self)
            words[1] = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        } else {
            words[0] = raw.loadShortWord(count: count)
        }
        let hits = anchors(unsafeBitCast(words, to: SIMD16<UInt8>.self))
        return hits[0] | hits[1] != 0 && confirms(hits, first: 0, second: count &- 8, in: bytes)
    }

    /// The anchors among sixteen bytes: the high bit of each byte that is one, in two words
    /// (the first eight bytes' and the last eight's).
    @inline(__always)
    private static func anchors(_ block: SIMD16<UInt8>) -> SIMD2<UInt64> {
        // Each constant typed in full: with an inferred type the compare was a loop over lanes.
        let underscore = SIMD16<UInt8>(repeating: UInt8(ascii: "_")), letterJ = SIMD16<UInt8>(repeating: UInt8(ascii: "J"))
        let nine = SIMD16<UInt8>(repeating: UInt8(ascii: "9")), letterX = SIMD16<UInt8>(repeating: UInt8(ascii: "x"))
        let slash = SIMD16<UInt8>(repeating: UInt8(ascii: "/")), bang = SIMD16<UInt8>(repeating: UInt8(ascii: "!"))
        let found: SIMDMask<SIMD16<Int8>> = (block .== underscore) .| (block .== letterJ) .| (block .== nine)
            .| (block .== letterX) .| (block .== slash) .| (block .== bang)
        return unsafeBitCast(found, to: SIMD2<UInt64>.self) & SIMD2<UInt64>(repeating: 0x8080_8080_8080_8080)
    }

    /// Whether one of the anchors in `hits` (the first word's bytes start at `first` in `bytes`,
    /// the second's at `second`) stands where its marker would.
    private static func confirms(_ hits: SIMD2<UInt64>, first: Int, second: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var low = hits[0]
        while low != 0 {
            if anchored(at: first &+ low.trailingZeroBitCount &>> 3, in: bytes) { return true }
            low &= low &- 1
        }
        var high = hits[1]
        while high != 0 {
            if anchored(at: second &+ high.trailingZeroBitCount &>> 3, in: bytes) { return true }
            high &= high &- 1
        }
        return false
    }

    /// Whether the anchor byte at `a` has its marker's first two bytes where they belong.
    private static func anchored(at a: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func starts(_ distance: Int, _ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Bool {
            a >= distance && bytes[a &- distance] == UInt8(ascii: first) && bytes[a &- distance &+ 1] == UInt8(ascii: second)
        }
        switch bytes[a] {
        case UInt8(ascii: "_"): return starts(5, "r", "v") || starts(3, "g", "h")
        case UInt8(ascii: "J"): return starts(2, "e", "y")
        case UInt8(ascii: "9"): return starts(3, "y", "a")
        case UInt8(ascii: "x"): return a &+ 2 < bytes.count && bytes[a &+ 1] == UInt8(ascii: "o") && bytes[a &+ 2] == UInt8(ascii: "x")
        case UInt8(ascii: "/"): return a &+ 1 < bytes.count && bytes[a &+ 1] == UInt8(ascii: "/") && starts(1, "1", "/")
        default: return true
        }
    }
}

/// The custody check's memory of the values it found clean (see `tokenCustody`), by identity: a
/// string's two words. Equal words mean equal bytes (a small string's words are its bytes, a large
/// one's name its storage, which the timeline under check keeps alive and unchanged until the check
/// ends), and the scan is a pure function of the bytes, so skipping a remembered value changes
/// nothing. The memory is shared by all fields: the last helper's per-field memory compared contents,
/// and each value that differed from its field's last one paid the library's string compare and
/// then the scan anyway.
/// Precondition: every value scanned outlives the memory (freed storage could be reused for other
/// bytes under the same words). `tokenCustody` scans only values its `[Transition]` holds.
struct CleanValues {
    /// Direct-mapped: slot `h` holds the two words at `2h` and `2h + 1`. No string's words are both
    /// zero (the second word always carries a discriminator or a storage address), so zeros mean
    /// empty. Inline, on the stack: a heap array of them was an allocation a play. 128 slots, as a
    /// play holds some forty distinct values and a collision costs a scan.
    private var words = InlineArray<256, UInt64>(repeating: 0)

    /// The first marker in `value`, or nil. A value remembered clean costs a hash and two compares.
    mutating func scan(_ value: String?) -> String? {
        guard let value, !remembered(value) else { return nil }
        let marker = SecretScanner.firstMarker(in: value)
        if marker == nil { remember(value) }
        return marker
    }

    /// Whether `value` (nil counts as clean) holds no marker: `scan(value) == nil`, without an
    /// optional String made and released for each answer.
    @inline(__always)
    mutating func isClean(_ value: String?) -> Bool {
        guard let value, !remembered(value) else { return true }
        return scanAndRemember(value)
    }

    /// Whether every value of `t` that `tokenCustody` reads (`custodyValues(of:_:)`) is clean:
    /// what `scan` on each would answer, so a line cleared here is one `tokenCustody` would have
    /// cleared value by value. Read through the pointer: a
    /// `Transition` passed by value was copied whole (a retain and a release per string field).
    mutating func holdsOnlyClean(_ t: UnsafePointer<Transition>) -> Bool {
        InvariantChecker.custodyValues(of: t) { isClean($0) }
    }

    /// The scan of a value not remembered, out of line (rare after a play's first lines);
    /// a clean value is remembered.
    @inline(never)
    private mutating func scanAndRemember(_ value: String) -> Bool {
        // The anchor filter straight on the value's bytes: `firstMarker` only when it cannot
        // clear them (it filters again, then scans).
        let cleared = value.utf8.withContiguousStorageIfAvailable { !SecretScanner.mayHoldAnchoredMarker($0) } ?? false
        guard cleared || SecretScanner.firstMarker(in: value) == nil else { return false }
        remember(value)
        return true
    }

    /// The slot of the two words `bits` (see `words`).
    @inline(__always)
    private static func slot(_ bits: (UInt64, UInt64)) -> Int {
        2 &* Int(truncatingIfNeeded: ((bits.0 &+ bits.1) &* 0x9E37_79B9_7F4A_7C15) >> 57)
    }

    /// Whether `value`'s words are remembered clean. Mutating only so that `self` is read in
    /// place: as a plain method, the whole memory (two kilobytes) was copied for every value.
    @inline(__always)
    private mutating func remembered(_ value: String) -> Bool {
        let bits = unsafeBitCast(value, to: (UInt64, UInt64).self)
        let slot = Self.slot(bits)
        return words[slot] == bits.0 && words[slot &+ 1] == bits.1
    }

    /// Remembers `value` clean, in its slot (a collision forgets the value there before).
    private mutating func remember(_ value: String) {
        let bits = unsafeBitCast(value, to: (UInt64, UInt64).self)
        let slot = Self.slot(bits)
        words[slot] = bits.0
        words[slot &+ 1] = bits.1
    }
}

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

    /// The first marker found in `value` (or `00D…!` for a Salesforce token), or nil.
    public static func firstMarker(in value: String) -> String? { firstMarker(in: value, Tables.shared) }

    /// The scan's tables, fetched once by a caller that scans many values (`CleanValues`): the
    /// custody check scans some forty values a play, and fetching the two statics (a `swift_once`
    /// each, a retain and a release each) was a good part of a short value's scan.
    struct Tables {
        let seconds: [UInt8]
        let patterns: [[UInt8]]
        static let shared = Tables(seconds: secondByte, patterns: markerBytes)
    }

    /// `firstMarker(in:)` with the tables at hand. The value's bytes are borrowed where they lie
    /// (a copy of the string and `withUTF8` only if they are not contiguous).
    static func firstMarker(in value: String, _ tables: Tables) -> String? {
        let found: (marker: Int?, salesforce: Bool)
        if let direct = value.utf8.withContiguousStorageIfAvailable({ scan($0, tables) }) {
            found = direct
        } else {
            var text = value
            found = text.withUTF8 { scan($0, tables) }
        }
        if let index = found.marker { return markers[index] }
        if found.salesforce, let bang = value.utf8.firstIndex(of: UInt8(ascii: "!")),
           value.utf8.distance(from: bang, to: value.utf8.endIndex) > 20 {
            return "00D…!"
        }
        return nil
    }

    /// The index in `markers` of the first marker in `bytes`, and whether `00D` comes before a `!`
    /// that the bytes also hold (a Salesforce token's shape, measured by the caller).
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ tables: Tables) -> (marker: Int?, salesforce: Bool) {
        // Most values (ids, hex digests, step names, durations) hold none of the bytes a marker
        // needs: eight bytes a test rules them out before the byte loop reads them one by one.
        guard mayHoldMarker(bytes) else { return (nil, false) }
        let seconds = tables.seconds
        let patterns = tables.patterns
        let count = bytes.count
        var sawBang = false
        var salesforcePrefix = false
        var i = 0
        while i < count {
            let byte = bytes[i]
            let second = seconds[Int(byte)]
            if second == 0 {
                i += 1
                continue
            }
            if second == flag {
                if byte == UInt8(ascii: "!") { sawBang = true }
                if byte == UInt8(ascii: "0"), i + 2 < count, bytes[i + 1] == UInt8(ascii: "0"), bytes[i + 2] == UInt8(ascii: "D"), !sawBang {
                    salesforcePrefix = true
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
        return (nil, salesforcePrefix && sawBang)
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
    private let tables = SecretScanner.Tables.shared

    /// The first marker in `value`, or nil. A value remembered clean costs a hash and two compares.
    mutating func scan(_ value: String?) -> String? {
        guard let value else { return nil }
        let bits = unsafeBitCast(value, to: (UInt64, UInt64).self)
        let slot = 2 &* Int(truncatingIfNeeded: ((bits.0 &+ bits.1) &* 0x9E37_79B9_7F4A_7C15) >> 57)
        if words[slot] == bits.0, words[slot &+ 1] == bits.1 { return nil }
        let marker = SecretScanner.firstMarker(in: value, tables)
        if marker == nil {
            words[slot] = bits.0
            words[slot &+ 1] = bits.1
        }
        return marker
    }
}

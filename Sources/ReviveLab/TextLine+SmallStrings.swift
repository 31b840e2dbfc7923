/// A small string's bytes, read from the String's own two words.
///
/// Most values a timeline line writes (steps, workers, leases, cases, capabilities, the runtime's
/// words, notes) are at most fifteen bytes, which Swift keeps inside the String itself: the first
/// eight bytes in its first word, the next seven in its second, whose top byte holds the count
/// (low nibble) and flags (bit 61 of the word: small). Lent through
/// `withContiguousStorageIfAvailable`, such a string was spilled to the stack, handed to a closure
/// and copied back a byte at a time (`loadShortWord`): some 90 instructions a value, 150 a fact
/// with a run-time name, most of a line. Read from its words, a value is two stores and a scan.
///
/// Sound only while the standard library keeps that layout (it is part of Swift's stable ABI
/// on 64-bit platforms). `layoutHolds` checks it once a process on probe strings; if it did not
/// hold, every string would take the general path, which reads bytes through the public API.
/// A fact's value is written from its words as they are (`putFactValue(raw:)` says why that is
/// sound); this type masks off the bytes past the count, for padding and the rare paths.
struct SmallStringWords {
    /// Bytes 0 to 7, then 8 to 14 (the bytes past `count` are zero).
    let low: UInt64, high: UInt64
    /// How many bytes (0 to 15).
    let count: Int

    /// The words of `text` when it is small, or nil (a larger or a bridged string).
    @inline(__always)
    init?(_ text: String) {
        guard let bits = SmallStringWords.bits(text) else { return nil }
        self.init(bits: bits)
    }

    /// The two words of `text` when it is small (bit 61 of the second), or nil: a bit test,
    /// cheap enough to make at every fact, where the words are then handed out of line.
    @inline(__always)
    static func bits(_ text: String) -> (UInt64, UInt64)? {
        #if arch(x86_64) || arch(arm64)
        let bits = unsafeBitCast(text, to: (UInt64, UInt64).self)
        return bits.1 & (1 << 61) != 0 ? bits : nil
        #else
        return nil
        #endif
    }

    /// The bytes and count in a small string's words (`bits`), those past the count masked off.
    @inline(__always)
    init(bits: (UInt64, UInt64)) {
        let count = Int(truncatingIfNeeded: (bits.1 &>> 56) & 0xF)
        self.count = count
        low = count >= 8 ? bits.0 : bits.0 & ((1 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1)
        high = count <= 8 ? 0 : bits.1 & ((1 &<< UInt64(truncatingIfNeeded: (count &- 8) &* 8)) &- 1)
    }

    /// Whether the standard library lays small strings out as `init` reads them, checked on
    /// probes of every kind it reads (empty, short, the longest, not ASCII) and one that is not
    /// small. Once a process (a `static let`).
    static let layoutHolds: Bool = {
        #if arch(x86_64) || arch(arm64)
        guard MemoryLayout<String>.size == 16 else { return false }
        let longest = String(decoding: Array(UInt8(ascii: "0")...UInt8(ascii: ">")), as: UTF8.self)
        let tooLong = String(decoding: Array(UInt8(ascii: "0")...UInt8(ascii: "?")), as: UTF8.self)
        guard let empty = SmallStringWords(""), empty.count == 0, empty.low == 0,
              let short = SmallStringWords(String(decoding: [0x61, 0x62, 0x63], as: UTF8.self)),
              short.count == 3, short.low == 0x63_62_61, short.high == 0,
              let full = SmallStringWords(longest), full.count == 15,
              full.low == 0x37_36_35_34_33_32_31_30, full.high == 0x3E_3D_3C_3B_3A_39_38,
              let accented = SmallStringWords("é"), accented.count == 2, accented.low == 0xA9_C3,
              SmallStringWords(tooLong) == nil else { return false }
        return true
        #else
        return false
        #endif
    }()

    /// The bytes of a word that are not ASCII, marked by their high bit, over both words.
    @inline(__always)
    var highBits: UInt64 { TextLine.highBits(low | high) }

    /// Calls `body` with the bytes in a buffer (the rare paths: quoting, Characters counted).
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var words = (low, high)
        return withUnsafeBytes(of: &words) { raw in
            body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }
}

extension TextLine {
    /// The words of `text` when it is small and the layout holds (see `SmallStringWords`).
    @inline(__always)
    func small(_ text: String) -> SmallStringWords? {
        smallStringsReadable ? SmallStringWords(text) : nil
    }

    /// `SmallStringWords.bits(text)` when the layout holds.
    @inline(__always)
    func smallBits(_ text: String) -> (UInt64, UInt64)? {
        smallStringsReadable ? SmallStringWords.bits(text) : nil
    }

    /// The word that holds a fact's name of at most eight bytes (folded to a constant where the
    /// name is a literal), for `putSmallFact`.
    @inline(__always)
    static func nameWord(_ name: StaticString) -> UInt64 {
        name.withUTF8Buffer { UnsafeRawPointer($0.baseAddress!).loadShortWord(count: $0.count) }
    }

    /// A fact's small value into room already made (`factRoom(name:value: 15)` past the name),
    /// from its raw words: stored whole (the byte past the fifteenth is the flags, never
    /// counted) and scanned for a space or a quote. The words are not masked: what lies past
    /// the count is zero by the standard library's rule, and whatever it held could only send
    /// the value to `putExactly`, which reads the counted bytes alone.
    @inline(__always)
    mutating func putFactValue(raw value: (UInt64, UInt64)) {
        let length = Int(truncatingIfNeeded: (value.1 &>> 56) & 0xF)
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: value.0, as: UInt64.self)
        to.storeBytes(of: value.1, toByteOffset: 8, as: UInt64.self)
        if TextLine.spacesAndQuotes(value.0) | TextLine.spacesAndQuotes(value.1) == 0 && length != 0 {
            advance(by: length)
        } else {
            putExactly(SmallStringWords(bits: value))
        }
    }

    /// A small fact value the word scan could not clear: its counted bytes, quoted only if they
    /// need it (see `putFactValue(_: UnsafeBufferPointer<UInt8>)`), into room already made.
    @inline(never)
    private mutating func putExactly(_ value: SmallStringWords) {
        value.withBytes { putFactValue($0) }
    }

    /// ` name=value` of a name of `nameCount` (at most eight) bytes in `name` and a small value's
    /// words, room made here. Out of line: inlined at each of a line's facts, it made the
    /// renderer so large that the optimizer stopped inlining the transition's getters (each then
    /// copied the whole transition).
    @inline(never)
    mutating func putSmallFact(name: UInt64, nameCount: Int, _ value: (UInt64, UInt64)) {
        reserve(TextLine.factRoom(name: 8, value: 15))
        putFactSeparator()
        UnsafeMutableRawPointer(base + count).storeBytes(of: name, as: UInt64.self)
        advance(by: nameCount)
        put(byte: UInt8(ascii: "="))
        putFactValue(raw: value)
    }

    /// ` name=value` of a small name and a small value, from their raw words (a name's bytes
    /// past its count are stored but not counted: the `=` goes over them), room made here.
    @inline(never)
    mutating func putSmallFact(named name: (UInt64, UInt64), _ value: (UInt64, UInt64)) {
        reserve(TextLine.factRoom(name: 16, value: 15))
        putFactSeparator()
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: name.0, as: UInt64.self)
        to.storeBytes(of: name.1, toByteOffset: 8, as: UInt64.self)
        advance(by: Int(truncatingIfNeeded: (name.1 &>> 56) & 0xF))
        put(byte: UInt8(ascii: "="))
        putFactValue(raw: value)
    }

    /// `append(_:paddedTo:)` of a small text: spaces over `width`, then its words, whose bytes
    /// past the text are made spaces, over them. False (writing nothing) when it is not ASCII.
    @inline(__always)
    mutating func appendPadded(_ text: SmallStringWords, _ width: Int) -> Bool {
        guard text.highBits == 0 else { return false }
        reserve(Swift.max(16, width) &+ 8)
        let spaces: UInt64 = 0x2020_2020_2020_2020
        let to = UnsafeMutableRawPointer(base + count)
        var offset = 16
        while offset < width {
            to.storeBytes(of: spaces, toByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        let lowBytes = Swift.min(text.count, 8), highBytes = Swift.max(text.count &- 8, 0)
        let lowSpaces = lowBytes == 8 ? 0 : spaces &<< UInt64(truncatingIfNeeded: lowBytes &* 8)
        let highSpaces = highBytes == 8 ? 0 : spaces &<< UInt64(truncatingIfNeeded: highBytes &* 8)
        to.storeBytes(of: text.low | lowSpaces, as: UInt64.self)
        to.storeBytes(of: text.high | highSpaces, toByteOffset: 8, as: UInt64.self)
        advance(by: Swift.max(text.count, width))
        return true
    }
}

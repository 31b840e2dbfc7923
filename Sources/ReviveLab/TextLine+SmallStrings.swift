import Revive

// A timeline line's small strings, written from their own words.
//
// Most values a timeline line writes (steps, workers, leases, cases, capabilities, the runtime's
// words, notes) are at most fifteen bytes, which Swift keeps inside the String itself (see
// `ShortASCII`, which alone knows that layout and checks it once a process). Lent through
// `withContiguousStorageIfAvailable`, such a string was spilled to the stack, handed to a closure
// and copied back a byte at a time (`loadShortWord`): some 90 instructions a value, 150 a fact
// with a run-time name, most of a line. Read from its words, a value is two stores and a scan.
// If the layout did not hold, every string would take the general path, which reads bytes
// through the public API. A fact's value is written from its words as they are
// (`putFactValue(raw:)` says why that is sound); `ShortASCII.SmallBytes` masks off the bytes past
// the count, for padding and the rare paths.

extension TextLine {
    /// The bytes of `text` when it is small and the layout holds (`ShortASCII.SmallBytes`).
    @inline(__always)
    func small(_ text: String) -> ShortASCII.SmallBytes? {
        smallStringsReadable ? ShortASCII.SmallBytes(text) : nil
    }

    /// The words of `text` when it is small and the layout holds (`ShortASCII.smallWords(of:)`):
    /// a bit test, cheap enough to make at every fact, where the words are then handed out of line.
    @inline(__always)
    func smallBits(_ text: String) -> (UInt64, UInt64)? {
        smallStringsReadable ? ShortASCII.smallWords(of: text) : nil
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
        let length = ShortASCII.count(ofSmall: value)
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: value.0, as: UInt64.self)
        to.storeBytes(of: value.1, toByteOffset: 8, as: UInt64.self)
        if TextLine.spacesAndQuotes(value.0) | TextLine.spacesAndQuotes(value.1) == 0 && length != 0 {
            advance(by: length)
        } else {
            putExactly(ShortASCII.SmallBytes(words: value))
        }
    }

    /// A small fact value the word scan could not clear: its counted bytes, quoted only if they
    /// need it (see `putFactValue(_: UnsafeBufferPointer<UInt8>)`), into room already made.
    @inline(never)
    private mutating func putExactly(_ value: ShortASCII.SmallBytes) {
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
        putFactName(smallWords: name)
        putFactValue(raw: value)
    }

    /// The separator, then ` name=` from a small name's raw words, into room already made: both
    /// words are stored and only the name's count kept, the `=` going over the rest.
    @inline(__always)
    mutating func putFactName(smallWords name: (UInt64, UInt64)) {
        putFactSeparator()
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: name.0, as: UInt64.self)
        to.storeBytes(of: name.1, toByteOffset: 8, as: UInt64.self)
        advance(by: ShortASCII.count(ofSmall: name))
        put(byte: UInt8(ascii: "="))
    }

    /// A small string's bytes, from its words (`smallBits`): both stored whole (the flags byte
    /// and any zeros past the count land in room made and are not counted).
    @inline(__always)
    mutating func append(smallWords words: (UInt64, UInt64)) {
        reserve(16)
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: words.0, as: UInt64.self)
        to.storeBytes(of: words.1, toByteOffset: 8, as: UInt64.self)
        advance(by: ShortASCII.count(ofSmall: words))
    }

    /// `append(_:paddedTo:)` of a small text: spaces over `width`, then its words, whose bytes
    /// past the text are made spaces, over them. False (writing nothing) when it is not ASCII.
    @inline(__always)
    mutating func appendPadded(_ text: ShortASCII.SmallBytes, _ width: Int) -> Bool {
        guard TextLine.highBits(text.low | text.high) == 0 else { return false }
        reserve(Swift.max(16, width) &+ 8)
        let spaces = TextLine.eightSpaces
        let to = UnsafeMutableRawPointer(base + count)
        TextLine.storeSpaces(to, from: 16, upTo: width)
        let lowBytes = Swift.min(text.count, 8), highBytes = Swift.max(text.count &- 8, 0)
        let lowSpaces = lowBytes == 8 ? 0 : spaces &<< UInt64(truncatingIfNeeded: lowBytes &* 8)
        let highSpaces = highBytes == 8 ? 0 : spaces &<< UInt64(truncatingIfNeeded: highBytes &* 8)
        to.storeBytes(of: text.low | lowSpaces, as: UInt64.self)
        to.storeBytes(of: text.high | highSpaces, toByteOffset: 8, as: UInt64.self)
        advance(by: Swift.max(text.count, width))
        return true
    }
}

import ReviveVocabulary

/// Text built as UTF-8 bytes in one buffer and turned into a String once.
///
/// Appending piece by piece to a String re-checks its storage and capacity on every append; a
/// timeline line is some thirty appends, and the lines were most of a cold `run` (callgrind).
/// An `[UInt8]` was better but still paid Array's generic append path (uniqueness, growth) per
/// piece; this buffer is a bare allocation written with `memcpy`, freed by `deinit`, and not
/// copyable, so it can never be shared or freed twice.
struct TextLine: ~Copyable {
    /// The bytes written so far, then uninitialised capacity.
    private var base: UnsafeMutablePointer<UInt8>
    /// How many bytes are written.
    private(set) var count = 0
    /// How many bytes `base` holds.
    private var capacity: Int
    /// Where the current line's facts begin: a fact after the first is preceded by a space.
    private var factsStart = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text as a String.
    var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// Forgets the text, keeping the capacity (a renderer reuses one buffer for every chunk).
    mutating func removeAll() { count = 0 }

    /// Room for `more` bytes after the written ones.
    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if count + more > capacity { grow(more) }
    }

    /// Moves the text to an allocation with room for `more` bytes after it.
    private mutating func grow(_ more: Int) {
        let grown = Swift.max(capacity * 2, count + more)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        fresh.initialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = grown
    }

    /// Appends `bytes` as they are.
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: String) {
        // A native string lends its bytes in place (a small one from the stack); only a bridged
        // one is copied first, out of line: with that path in the same function, the compiler
        // retained and released every string around the fast one (a fifth of rendering).
        if text.utf8.withContiguousStorageIfAvailable({ append(bytes: $0) }) != nil { return }
        appendBridged(text)
    }

    /// `append(_:)` for a string that cannot lend its bytes (a bridged one): copied first.
    @inline(never)
    private mutating func appendBridged(_ text: String) {
        Array(text.utf8).withUnsafeBufferPointer { append(bytes: $0) }
    }

    /// Appends a literal: its bytes are read where the compiler put them, without the small or
    /// native String dispatch that `append(_: String)` pays (a fact's name is most of a line's appends).
    @inline(__always)
    mutating func append(literal: StaticString) {
        literal.withUTF8Buffer { append(bytes: $0) }
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// `count` spaces.
    mutating func appendSpaces(_ spaces: Int) {
        guard spaces > 0 else { return }
        // Eight spaces at a time, the last word reaching up to seven bytes into the capacity
        // past them (bytes not counted as written): a padding is a few spaces, and a call to
        // `memset` for each cost more than the rest of it.
        reserve(spaces + 7)
        let to = UnsafeMutableRawPointer(base + count)
        var offset = 0
        repeat {
            to.storeBytes(of: 0x2020_2020_2020_2020 as UInt64, toByteOffset: offset, as: UInt64.self)
            offset += 8
        } while offset < spaces
        count += spaces
    }

    /// `text`, then spaces up to `width` characters (ASCII, as names and actors are, is counted by byte).
    mutating func append(_ text: String, paddedTo width: Int) {
        // Copied and tested for a non-ASCII byte in one pass, eight bytes at a time (the ASCII
        // test was a second walk over the copied bytes); Characters are counted only for the rare
        // non-ASCII text.
        let ascii = text.utf8.withContiguousStorageIfAvailable { copyScanning($0, TextLine.highBits) == 0 } ?? appendBridgedScanning(text)
        appendSpaces(width - (ascii ? text.utf8.count : text.count))
    }

    /// `value` in decimal, as `String(value)` spells it.
    mutating func append(integer value: Int) {
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        append(unsigned: UInt64(value.magnitude))
    }

    /// `value` in decimal, as `String(value)` spells it.
    mutating func append(unsigned value: UInt64) {
        var magnitude = value
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        reserve(digits)
        // Written backwards from the last digit, straight into the buffer.
        var index = count + digits
        repeat {
            index -= 1
            base[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count += digits
    }

    /// A timeline clock, `+HH:MM:SS.mmm`, as `DurationText.clock` spells it.
    mutating func append(clock instant: Instant) {
        reserve(DurationText.clockWidth)
        if let written = DurationText.writeClock(instant, to: base + count) {
            count += written
        } else {
            append(DurationText.clock(instant))
        }
    }

    /// Marks the start of a line's facts: the first fact written after this gets no leading space.
    mutating func startFacts() { factsStart = count }

    /// ` name=value` (no space before the first fact), skipped when `value` is nil.
    mutating func fact(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        factName(name)
        append(factValue: value)
    }

    /// `fact(_:_:)` for a name known only at run time (a runtime's word for a step, a note's name).
    mutating func fact(named name: String, _ value: String?) {
        guard let value else { return }
        factSeparator()
        append(name)
        append(byte: UInt8(ascii: "="))
        append(factValue: value)
    }

    /// ` name=` before a fact's value, with the space only between facts.
    mutating func factName(_ name: StaticString) {
        factSeparator()
        append(literal: name)
        append(byte: UInt8(ascii: "="))
    }

    /// The space between two facts (none before the first).
    @inline(__always)
    private mutating func factSeparator() {
        if count != factsStart { append(byte: UInt8(ascii: " ")) }
    }

    /// The bytes of a word that are a space or a double quote, marked by their high bit
    /// (nonzero exactly when the word holds one: the classic "has a zero byte" test, on the word
    /// xor each wanted byte repeated).
    @inline(__always)
    static func spacesAndQuotes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let spaces = word ^ (ones &* UInt64(UInt8(ascii: " ")))
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        return ((spaces &- ones) & ~spaces | (quotes &- ones) & ~quotes) & (ones &* 0x80)
    }

    /// `append(_:paddedTo:)`'s copy of a bridged string, out of line (as `appendBridged`); whether it is ASCII.
    @inline(never)
    private mutating func appendBridgedScanning(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { copyScanning($0, TextLine.highBits) == 0 }
    }

    /// The bytes of a word that are not ASCII, marked by their high bit.
    @inline(__always)
    static func highBits(_ word: UInt64) -> UInt64 { word & 0x8080_8080_8080_8080 }

    /// Appends `bytes` and returns the OR of `marks` over them (read as whole words; a short
    /// text's bytes are put in one word).
    @inline(__always)
    private mutating func copyScanning(_ bytes: UnsafeBufferPointer<UInt8>, _ marks: (UInt64) -> UInt64) -> UInt64 {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let length = bytes.count
        reserve(length)
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(base + count)
        count += length
        guard length >= 8 else {
            var word: UInt64 = 0
            for index in 0..<length {
                to.storeBytes(of: source[index], toByteOffset: index, as: UInt8.self)
                word |= UInt64(source[index]) << (8 * UInt64(index))
            }
            // The unused bytes of the word are zero: neither a space, a quote nor a high byte.
            return marks(word) & (UInt64.max >> (8 * UInt64(8 - length)))
        }
        // Whole words, the last one ending at the last byte (it may overlap the one before).
        var found: UInt64 = 0
        var offset = 0
        while true {
            let at = Swift.min(offset, length - 8)
            let word = from.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            to.storeBytes(of: word, toByteOffset: at, as: UInt64.self)
            found |= marks(word)
            offset += 8
            if offset >= length { return found }
        }
    }

    /// How many characters `text` is wide; ASCII (as names and actors are) is counted by byte.
    static func width(of text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? text.utf8.allSatisfy { $0 < 0x80 }
        return ascii ? text.utf8.count : text.count
    }

    /// `value` as a timeline fact's value: as it is, or in double quotes (inner quotes escaped)
    /// when it is empty or holds a space or a quote, so a line splits back into its facts.
    mutating func append(factValue value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ appendFactValue($0) }) != nil { return }
        appendBridgedFactValue(value)
    }

    /// `append(factValue:)` for a bridged string, out of line (as `appendBridged`).
    @inline(never)
    private mutating func appendBridgedFactValue(_ value: String) {
        Array(value.utf8).withUnsafeBufferPointer { appendFactValue($0) }
    }

    private mutating func appendFactValue(_ value: UnsafeBufferPointer<UInt8>) {
        // Copied and scanned in one pass, a word at a time (byte by byte it was a fifth of
        // rendering); the rare value that needs quotes is then rewritten.
        let start = count
        guard copyScanning(value, TextLine.spacesAndQuotes) != 0 || value.isEmpty else { return }
        count = start
        var hasQuote = false
        for byte in value where byte == UInt8(ascii: "\"") { hasQuote = true }
        append(byte: UInt8(ascii: "\""))
        if hasQuote {
            for byte in value {
                if byte == UInt8(ascii: "\"") { append(byte: UInt8(ascii: "\\")) }
                append(byte: byte)
            }
        } else {
            append(bytes: value)
        }
        append(byte: UInt8(ascii: "\""))
    }
}

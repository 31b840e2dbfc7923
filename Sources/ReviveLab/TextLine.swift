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
        // A native string lends its bytes in place (a small one from the stack); only a bridged one is copied first.
        if text.utf8.withContiguousStorageIfAvailable({ append(bytes: $0) }) == nil {
            Array(text.utf8).withUnsafeBufferPointer { append(bytes: $0) }
        }
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
        reserve(spaces)
        (base + count).initialize(repeating: UInt8(ascii: " "), count: spaces)
        count += spaces
    }

    /// `text`, then spaces up to `width` characters (ASCII, as names and actors are, is counted by byte).
    mutating func append(_ text: String, paddedTo width: Int) {
        let start = count
        append(text)
        // The bytes just copied tell whether the text is ASCII, without walking a String view.
        var high: UInt8 = 0
        for index in start..<count { high |= base[index] }
        let length = high < 0x80 ? count - start : text.count
        appendSpaces(width - length)
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
    mutating func fact(_ name: String, _ value: String?) {
        guard let value else { return }
        factName(name)
        append(factValue: value)
    }

    /// ` name=` before a fact's value, with the space only between facts.
    mutating func factName(_ name: String) {
        if count != factsStart { append(byte: UInt8(ascii: " ")) }
        append(name)
        append(byte: UInt8(ascii: "="))
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
        if value.utf8.withContiguousStorageIfAvailable({ appendFactValue($0) }) == nil {
            Array(value.utf8).withUnsafeBufferPointer { appendFactValue($0) }
        }
    }

    private mutating func appendFactValue(_ value: UnsafeBufferPointer<UInt8>) {
        // Copied and scanned in one pass; the rare value that needs quotes is then rewritten.
        let start = count
        reserve(value.count)
        var special: UInt8 = 0
        for index in 0..<value.count {
            let byte = value[index]
            base[start + index] = byte
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\"") { special = 1 }
        }
        guard special != 0 || value.isEmpty else {
            count += value.count
            return
        }
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

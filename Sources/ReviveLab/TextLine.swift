import Revive
import ReviveVocabulary

/// Text built as UTF-8 bytes in one buffer and turned into a String once.
///
/// Appending piece by piece to a String re-checks its storage and capacity on every append; a
/// timeline line is some thirty appends, and the lines were most of a cold `run` (callgrind).
/// An `[UInt8]` was better but still paid Array's generic append path (uniqueness, growth) per
/// piece; this buffer is a bare allocation written a word at a time, freed by `deinit`, and not
/// copyable, so it can never be shared or freed twice.
///
/// Each append first makes room (`reserve`), then writes with the unchecked `put…` methods. The
/// facts (`TextLine+Facts.swift`) make room for a whole fact before they read its value's bytes:
/// a growth (an allocation and a free) while a string's bytes were lent made the optimizer
/// retain and release that string around every fact.
struct TextLine: ~Copyable {
    /// The bytes written so far, then uninitialised capacity.
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// How many bytes are written.
    private(set) var count = 0
    /// How many bytes `base` holds.
    private(set) var capacity: Int
    /// Where the current line's facts begin: a fact after the first is preceded by a space.
    var factsStart = 0
    /// The last clock written (its instant, and its thirteen bytes as two overlapping words):
    /// consecutive lines often share their instant, and the clock's divisions were a tenth of a line.
    private var lastClock: (instant: Int64, head: UInt64, tail: UInt64)?
    /// Whether small strings are written from their own words (`ShortASCII.layoutHolds`), fetched once a buffer.
    let smallStringsReadable = ShortASCII.layoutHolds
    /// Whether longer strings are read in place (`LargeUTF8.layoutHolds`), fetched once a buffer.
    let largeStringsReadable = LargeUTF8.layoutHolds
    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text as a String.
    var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// Calls `body` with the text's bytes, lent for the length of the call.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets the text, keeping the capacity (a renderer reuses one buffer for every chunk).
    mutating func removeAll() { count = 0 }

    /// Counts `bytes` more as written: bytes stored past the end in room already made.
    @inline(__always)
    mutating func advance(by bytes: Int) { count &+= bytes }

    /// Forgets what was written after the first `start` bytes (a fact value rewritten quoted).
    mutating func rewind(to start: Int) { count = Swift.min(start, count) }

    /// Room for `more` bytes after the written ones.
    @inline(__always)
    mutating func reserve(_ more: Int) {
        if count &+ more > capacity { grow(more) }
    }

    /// Moves the text to an allocation with room for `more` bytes after it. Copied a word at a
    /// time, not by `initialize(from:count:)` (see `putScanning`).
    @inline(never)
    private mutating func grow(_ more: Int) {
        let grown = Swift.max(capacity * 2, count + more)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        let from = UnsafeRawPointer(base)
        let to = UnsafeMutableRawPointer(fresh)
        var offset = 0
        while offset < count {
            if count - offset >= 8 {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                offset += 8
            } else {
                to.storeBytes(of: from.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
                offset += 1
            }
        }
        base.deallocate()
        base = fresh
        capacity = grown
    }

    /// Appends `bytes` as they are.
    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count &+ 7)
        _ = putScanning(bytes) { _ in 0 }
    }

    mutating func append(_ text: String) {
        // A small string is stored as its words, a longer one copied from its bytes in place
        // (`LargeUTF8`): lent through a closure, each cost some 20 instructions more. Any other
        // lends its bytes; only a bridged one is copied first, out of line: with that path in the
        // same function, the compiler retained and released every string around the fast one.
        if let words = smallBits(text) { append(smallWords: words); return }
        if let bytes = large(text) { append(bytes: bytes); return }
        if text.utf8.withContiguousStorageIfAvailable({ append(bytes: $0) }) != nil { return }
        appendBridged(text)
    }

    /// `append(_:)` for a string that cannot lend its bytes (a bridged one): copied first.
    @inline(never)
    mutating func appendBridged(_ text: String) {
        Array(text.utf8).withUnsafeBufferPointer { append(bytes: $0) }
    }

    /// Appends a literal: its bytes are read where the compiler put them, without the small or
    /// native String dispatch that `append(_: String)` pays.
    @inline(__always)
    mutating func append(literal: StaticString) {
        literal.withUTF8Buffer { append(bytes: $0) }
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        reserve(1)
        put(byte: byte)
    }

    /// Writes `byte` into room already made.
    @inline(__always)
    mutating func put(byte: UInt8) {
        base[count] = byte
        count &+= 1
    }

    /// `count` spaces.
    @inline(__always)
    mutating func appendSpaces(_ spaces: Int) {
        guard spaces > 0 else { return }
        reserve(spaces &+ 7)
        TextLine.storeSpaces(UnsafeMutableRawPointer(base + count), from: 0, upTo: spaces)
        count &+= spaces
    }

    /// `text`, then spaces up to `width` characters (ASCII, as names and actors are, is counted by byte).
    mutating func append(_ text: String, paddedTo width: Int) {
        if let words = small(text), appendPadded(words, width) { return }
        // Copied and tested for a non-ASCII byte in one pass, eight bytes at a time, over the
        // spaces already written (see `putPadded`); Characters are counted only for the rare
        // non-ASCII text.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in
            reserve(Swift.max(bytes.count, width) &+ 8)
            return putPadded(bytes, width)
        } ?? appendBridgedScanning(text, paddedTo: width)
        if !ascii { appendSpaces(width - text.count) }
    }

    /// Writes spaces over `width` bytes, then `bytes` over them, into room already made for the
    /// larger and eight bytes more; an ASCII text counts as its bytes and the spaces after them
    /// (padding, in one pass: the spaces as a second append cost as much as the copy), another
    /// only as its bytes (its padding counts Characters). Whether the text is ASCII.
    @inline(__always)
    private mutating func putPadded(_ bytes: UnsafeBufferPointer<UInt8>, _ width: Int) -> Bool {
        let spaces = TextLine.eightSpaces
        let to = UnsafeMutableRawPointer(base + count)
        TextLine.storeSpaces(to, from: 0, upTo: width)
        let length = bytes.count
        var high: UInt64 = 0
        if length < 8 {
            // The word's unused bytes are spaces, not zeros: stored whole, it pads as it copies.
            let word = length == 0 ? 0 : UnsafeRawPointer(bytes.baseAddress!).loadShortWord(count: length)
            high = TextLine.highBits(word)
            to.storeBytes(of: word | spaces &<< UInt64(length &* 8), as: UInt64.self)
        } else {
            let from = UnsafeRawPointer(bytes.baseAddress!)
            var offset = 0
            while true {
                let at = Swift.min(offset, length &- 8)
                let word = from.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                to.storeBytes(of: word, toByteOffset: at, as: UInt64.self)
                high |= TextLine.highBits(word)
                offset &+= 8
                if offset >= length { break }
            }
        }
        count &+= high == 0 ? Swift.max(length, width) : length
        return high == 0
    }

    /// Two spaces, `text` padded to `width` characters (as `append(_:paddedTo:)` pads it), two
    /// spaces: a timeline line's actor column. A small ASCII actor (every party, most workers) in
    /// a column of at most 24 bytes is written as three words made from its own (the text shifted
    /// past the two spaces, spaces after it), in line: padded by `append(_:paddedTo:)` between two
    /// `appendSpaces`, the column cost some 28 instructions a line more (55,000 of a cold `run`).
    @inline(__always)
    mutating func append(actorColumn text: String, width: Int) {
        append(actorColumn: smallBits(text), width: width, text)
    }

    /// `append(actorColumn:width:)` of a text given as its small words (`smallBits`, nil if it is
    /// not small), read again (`text`) only for the general path: a line reads its actor's words
    /// in one statement, and a String kept across the writes here was retained and released.
    @inline(__always)
    mutating func append(actorColumn words: (UInt64, UInt64)?, width: Int, _ text: @autoclosure () -> String) {
        if width <= 20, let words {
            let bytes = ShortASCII.SmallBytes(words: words)
            if TextLine.highBits(bytes.low | bytes.high) == 0 {
                let spaces = TextLine.eightSpaces
                // The text's sixteen bytes with spaces past it (a count of at most 15: the high
                // word always keeps a space).
                let low = bytes.count >= 8 ? bytes.low : bytes.low | spaces &<< UInt64(truncatingIfNeeded: bytes.count &* 8)
                let high = bytes.count <= 8 ? spaces : bytes.high | spaces &<< UInt64(truncatingIfNeeded: (bytes.count &- 8) &* 8)
                reserve(24)
                let to = UnsafeMutableRawPointer(base + count)
                to.storeBytes(of: low &<< 16 | 0x2020, as: UInt64.self)
                to.storeBytes(of: high &<< 16 | low &>> 48, toByteOffset: 8, as: UInt64.self)
                to.storeBytes(of: high &>> 48 | spaces &<< 16, toByteOffset: 16, as: UInt64.self)
                count &+= Swift.max(bytes.count, width) &+ 4
                return
            }
        }
        appendActorColumn(text(), width: width)
    }

    /// `append(actorColumn:width:)` of a text that is not small or not ASCII, or a wide column.
    @inline(never)
    private mutating func appendActorColumn(_ text: String, width: Int) {
        appendSpaces(2)
        append(text, paddedTo: width)
        appendSpaces(2)
    }

    /// Writes a known name's column (see `NameColumn`): its three words stored whole, of which
    /// the column's bytes count as written.
    @inline(__always)
    mutating func append(_ column: NameColumn) {
        reserve(24)
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: column.words.0, as: UInt64.self)
        to.storeBytes(of: column.words.1, toByteOffset: 8, as: UInt64.self)
        to.storeBytes(of: column.words.2, toByteOffset: 16, as: UInt64.self)
        count &+= column.count
    }

    /// `value` in decimal, as `String(value)` spells it. A single digit (most attempts and
    /// generations) in line: a call for it cost some 35 instructions, 2,000 times a cold `run`.
    @inline(__always)
    mutating func append(integer value: Int) {
        if UInt(bitPattern: value) < 10 {
            append(byte: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
        } else {
            appendInteger(value)
        }
    }

    /// `append(integer:)` of any value, out of line.
    @inline(never)
    private mutating func appendInteger(_ value: Int) {
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        append(unsigned: UInt64(value.magnitude))
    }

    /// `value` in decimal, as `String(value)` spells it.
    mutating func append(unsigned value: UInt64) {
        // One digit (attempts, generations) written straight away.
        if value < 10 {
            append(byte: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
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

    /// A timeline clock, `+HH:MM:SS.mmm`, as `DurationText.clock` spells it. The last clock again
    /// (most lines share their instant with the line before) is written in line, two words: a
    /// call for it cost some 15 instructions more a line.
    @inline(__always)
    mutating func append(clock instant: Instant) {
        if let last = lastClock, last.instant == instant.milliseconds {
            reserve(DurationText.clockWidth)
            let to = UnsafeMutableRawPointer(base + count)
            to.storeBytes(of: last.head, as: UInt64.self)
            to.storeBytes(of: last.tail, toByteOffset: DurationText.clockWidth - 8, as: UInt64.self)
            count &+= DurationText.clockWidth
        } else {
            appendNewClock(instant)
        }
    }

    /// `append(clock:)` of an instant other than the last one's, out of line: spelt, and kept.
    @inline(never)
    private mutating func appendNewClock(_ instant: Instant) {
        reserve(DurationText.clockWidth)
        let to = UnsafeMutableRawPointer(base + count)
        if let written = DurationText.writeClock(instant, to: base + count) {
            // Kept only when it is the usual width (the words hold thirteen bytes).
            if written == DurationText.clockWidth {
                lastClock = (instant.milliseconds, to.loadUnaligned(as: UInt64.self),
                             to.loadUnaligned(fromByteOffset: written - 8, as: UInt64.self))
            }
            count += written
        } else {
            append(DurationText.clock(instant))
        }
    }

    /// `append(_:paddedTo:)` for a bridged string, out of line (as `appendBridged`): copied
    /// first, then written and padded as a native one is, with its own room made. Whether it is ASCII.
    @inline(never)
    private mutating func appendBridgedScanning(_ text: String, paddedTo width: Int) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            reserve(Swift.max(bytes.count, width) &+ 8)
            return putPadded(bytes, width)
        }
    }

    /// Eight spaces in one word.
    @inline(__always)
    static var eightSpaces: UInt64 { 0x2020_2020_2020_2020 }

    /// Spaces from byte `start` of `to` up to byte `end`, eight at a time: the last word may reach
    /// up to seven bytes past `end`, into room the caller made and does not count. A padding is a
    /// few spaces, and a call to `memset` for each cost more than the rest of it.
    @inline(__always)
    static func storeSpaces(_ to: UnsafeMutableRawPointer, from start: Int, upTo end: Int) {
        var offset = start
        while offset < end {
            to.storeBytes(of: eightSpaces, toByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
    }

    /// The bytes of a word that are not ASCII, marked by their high bit.
    @inline(__always)
    static func highBits(_ word: UInt64) -> UInt64 { word & 0x8080_8080_8080_8080 }

    /// Writes `bytes` into room already made for them and seven bytes more, and returns the OR of
    /// `marks` over them (read as whole words; a short text's bytes are put in one word, padded
    /// with zero bytes: neither a space, a quote nor a high byte, so they mark nothing, and that
    /// word is stored whole, up to seven bytes past the text, in the capacity and not counted).
    /// Words are stored one by one, never by `memcpy`: a call to `memcpy` (in
    /// `initialize(from:count:)`) let the optimizer assume any memory could change, so every
    /// caller retained and released each string it lent.
    @inline(__always)
    mutating func putScanning(_ bytes: UnsafeBufferPointer<UInt8>, _ marks: (UInt64) -> UInt64) -> UInt64 {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let length = bytes.count
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(base + count)
        count &+= length
        guard length >= 8 else {
            let word = from.loadShortWord(count: length)
            to.storeBytes(of: word, as: UInt64.self)
            return marks(word)
        }
        // Whole words, the last one ending at the last byte (it may overlap the one before).
        var found: UInt64 = 0
        var offset = 0
        while true {
            let at = Swift.min(offset, length &- 8)
            let word = from.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            to.storeBytes(of: word, toByteOffset: at, as: UInt64.self)
            found |= marks(word)
            offset &+= 8
            if offset >= length { return found }
        }
    }

    /// How many characters `text` is wide; ASCII (as names and actors are) is counted by byte.
    static func width(of text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? text.utf8.allSatisfy { $0 < 0x80 }
        return ascii ? text.utf8.count : text.count
    }
}

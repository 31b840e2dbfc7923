/// A timeline line's facts: ` name=value`, the value quoted when it must be.
///
/// A fact reads its value twice, through an autoclosure: first its length, to make room for the
/// whole fact (`reserve`, which may grow the buffer: an allocation and a free), then again as the
/// argument of `putFact`, which writes into that room and calls nothing that could free memory.
/// Lent across a possible growth, each value (read through a pointer into the timeline) was
/// retained and released by the caller, some twenty-five instructions a fact. A value is a stored
/// field, so the two reads agree; `putFact` checks the room against the bytes it is lent anyway.
/// A long value is lent by address (`large(_:)`, then `putLargeFact`), so the rule is stronger
/// than agreement: `value` must read a String that something else keeps alive for the call (a
/// stored field, a literal such as an enumeration's raw value, a local). A String made inside the
/// autoclosure (an interpolation, a concatenation) would be read after its release.
extension TextLine {
    /// The room a fact needs, with a name of `name` bytes and a value of `value` bytes: a space,
    /// the name and `=`, then the value's room.
    @inline(__always)
    static func factRoom(name: Int, value: Int) -> Int { name &+ 2 &+ valueRoom(value) }

    /// The room a fact's value of `value` bytes needs: quoted with every byte escaped (`2v + 2`),
    /// or copied with the seven bytes a short copy stores past its text and the quotes (`v + 9`).
    @inline(__always)
    static func valueRoom(_ value: Int) -> Int { 2 &* value &+ 9 }

    /// Marks the start of a line's facts: the first fact written after this gets no leading space.
    mutating func startFacts() { factsStart = count }

    /// ` name=value` (no space before the first fact), skipped when `value` is nil. `value` is
    /// evaluated two or three times (see the extension). A small value (and a name of at most
    /// eight bytes) is handed to `putSmallFact` as words, a longer one to `putLargeFact` as its
    /// bytes in place. Transparent, not `@inline(__always)`:
    /// with the small path, the optimizer specialized it for each closure and called it, once a
    /// fact, its name no longer a constant (+0.1 M instructions of a cold `run`).
    @_transparent
    mutating func fact(_ name: StaticString, _ value: @autoclosure () -> String?) {
        guard value() != nil else { return }
        if name.utf8CodeUnitCount <= 8 {
            if let words = smallBits(value()!) {
                putSmallFact(name: TextLine.nameWord(name), nameCount: name.utf8CodeUnitCount, words)
                return
            }
            if let bytes = large(value()!) {
                putLargeFact(name: TextLine.nameWord(name), nameCount: name.utf8CodeUnitCount, bytes)
                return
            }
        }
        let length = value()!.utf8.count
        reserve(TextLine.factRoom(name: name.utf8CodeUnitCount, value: length))
        // The name written here, where it is a constant (a load and a store, no copy loop).
        putFactName(name)
        if !putFactValue(value()!) { putBridgedFactValue(value()!) }
    }

    /// `fact(_:_:)` for a name known only at run time (a runtime's word for a step, a note's
    /// name). Both are evaluated two or three times (see the extension).
    @_transparent
    mutating func fact(named name: @autoclosure () -> String, _ value: @autoclosure () -> String?) {
        guard value() != nil else { return }
        if let nameWords = smallBits(name()) {
            if let valueWords = smallBits(value()!) {
                putSmallFact(named: nameWords, valueWords)
                return
            }
            if let bytes = large(value()!) {
                putLargeFact(named: nameWords, bytes)
                return
            }
        }
        let length = value()!.utf8.count
        reserve(TextLine.factRoom(name: name().utf8.count, value: length))
        if !putFact(named: name(), value()!) { appendBridgedFact(name(), value()!) }
    }

    /// Writes a fact's value into room already made, or returns false (writing nothing) when
    /// it cannot lend its bytes (a bridged string).
    @inline(never)
    private mutating func putFactValue(_ value: String) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { bytes in
            precondition(count &+ TextLine.valueRoom(bytes.count) <= capacity)
            putFactValue(bytes)
            return true
        } ?? false
    }

    /// `putFact(_:_:)` for a name known only at run time.
    @inline(never)
    private mutating func putFact(named name: String, _ value: String) -> Bool {
        name.utf8.withContiguousStorageIfAvailable { nameBytes in
            value.utf8.withContiguousStorageIfAvailable { bytes in
                precondition(count &+ TextLine.factRoom(name: nameBytes.count, value: bytes.count) <= capacity)
                putFactSeparator()
                _ = putScanning(nameBytes) { _ in 0 }
                put(byte: UInt8(ascii: "="))
                putFactValue(bytes)
                return true
            } ?? false
        } ?? false
    }

    /// A fact's value that cannot lend its bytes (a bridged string), copied first, out of line,
    /// into room already made.
    @inline(never)
    private mutating func putBridgedFactValue(_ value: String) {
        Array(value.utf8).withUnsafeBufferPointer { bytes in
            precondition(count &+ TextLine.valueRoom(bytes.count) <= capacity)
            putFactValue(bytes)
        }
    }

    /// A fact whose name or value cannot lend its bytes: both copied first, out of line.
    @inline(never)
    private mutating func appendBridgedFact(_ name: String, _ value: String) {
        let nameBytes = Array(name.utf8), valueBytes = Array(value.utf8)
        reserve(TextLine.factRoom(name: nameBytes.count, value: valueBytes.count))
        putFactSeparator()
        nameBytes.withUnsafeBufferPointer { _ = putScanning($0) { _ in 0 } }
        put(byte: UInt8(ascii: "="))
        valueBytes.withUnsafeBufferPointer { putFactValue($0) }
    }

    /// ` name=` before a fact's value, with the space only between facts.
    @inline(__always)
    mutating func factName(_ name: StaticString) {
        reserve(name.utf8CodeUnitCount &+ 8)
        putFactName(name)
    }

    /// `factName` into room already made: a space, the name and the seven bytes a short copy
    /// stores past it (the `=` goes over them).
    @inline(__always)
    private mutating func putFactName(_ name: StaticString) {
        precondition(count &+ name.utf8CodeUnitCount &+ 8 <= capacity)
        putFactSeparator()
        name.withUTF8Buffer { _ = putScanning($0) { _ in 0 } }
        put(byte: UInt8(ascii: "="))
    }

    /// The space between two facts (none before the first), into room already made.
    @inline(__always)
    mutating func putFactSeparator() {
        if count != factsStart { put(byte: UInt8(ascii: " ")) }
    }

    /// Nonzero exactly when a word holds a space or a double quote (the high bit of at least one
    /// such byte set). The two differ only in bit 1: with it cleared in every byte, both are a
    /// space and no other byte is, so one "has a zero byte" test (on the word xor spaces) finds
    /// either. Two tests, one per byte, cost some four instructions more a word, and every fact's
    /// value is scanned (the old test is kept in `TextLineLargeStringTests`, held equal to this).
    @inline(__always)
    static func spacesAndQuotes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let folded = (word & ~(ones &* 0x02)) ^ (ones &* UInt64(UInt8(ascii: " ")))
        return (folded &- ones) & ~folded & (ones &* 0x80)
    }

    /// `value` as a timeline fact's value: as it is, or in double quotes (inner quotes escaped)
    /// when it is empty or holds a space or a quote, so a line splits back into its facts.
    mutating func append(factValue value: String) {
        reserve(TextLine.valueRoom(value.utf8.count))
        if value.utf8.withContiguousStorageIfAvailable({ putFactValue($0) }) != nil { return }
        putBridgedFactValue(value)
    }

    /// `append(factValue:)` of bytes into room already made (`factRoom`).
    @inline(__always)
    mutating func putFactValue(_ value: UnsafeBufferPointer<UInt8>) {
        // Copied and scanned in one pass, a word at a time (byte by byte it was a fifth of
        // rendering); the rare value that needs quotes is then rewritten.
        let start = count
        guard putScanning(value, TextLine.spacesAndQuotes) != 0 || value.isEmpty else { return }
        rewind(to: start)
        putQuoted(value)
    }

    /// A value in double quotes, inner quotes escaped, into room already made.
    @inline(never)
    mutating func putQuoted(_ value: UnsafeBufferPointer<UInt8>) {
        var hasQuote = false
        for byte in value where byte == UInt8(ascii: "\"") { hasQuote = true }
        put(byte: UInt8(ascii: "\""))
        if hasQuote {
            for byte in value {
                if byte == UInt8(ascii: "\"") { put(byte: UInt8(ascii: "\\")) }
                put(byte: byte)
            }
        } else {
            _ = putScanning(value) { _ in 0 }
        }
        put(byte: UInt8(ascii: "\""))
    }
}

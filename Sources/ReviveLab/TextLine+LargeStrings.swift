import Revive

// A timeline line's fact values longer than fifteen bytes, written from their bytes in place.
//
// A connection, a key or a rule is too long to be a small string (`TextLine+SmallStrings.swift`);
// lent through `withContiguousStorageIfAvailable`, each cost a call and a closure, and a name known
// only at run time was lent the same way. Read by `LargeUTF8`, a value is a pointer and a count,
// handed out of line with the name's words, as a small value is (the separator and name written
// there, not at each fact's site). The bytes are borrowed while the room is made: `reserve` may move this buffer, never the
// value's (a transition's field, alive and unchanged for the whole rendering), so they stay valid.

extension TextLine {
    /// The bytes of `text` in place when it is kept out of line and the layout holds (`LargeUTF8`).
    @inline(__always)
    func large(_ text: String) -> UnsafeBufferPointer<UInt8>? {
        largeStringsReadable ? LargeUTF8.bytes(of: text) : nil
    }

    /// ` name=value` of a name of `nameCount` (at most eight) bytes in `name` and a value's bytes
    /// (`large`), quoted when it must be, room made here. Out of line, as `putSmallFact` is.
    @inline(never)
    mutating func putLargeFact(name: UInt64, nameCount: Int, _ value: UnsafeBufferPointer<UInt8>) {
        reserve(TextLine.factRoom(name: 8, value: value.count))
        putFactSeparator()
        UnsafeMutableRawPointer(base + count).storeBytes(of: name, as: UInt64.self)
        advance(by: nameCount)
        put(byte: UInt8(ascii: "="))
        putFactValue(value)
    }

    /// ` name=value` of a small name's words (see `putSmallFact(named:_:)`) and a value's bytes
    /// (`large`), quoted when it must be, room made here.
    @inline(never)
    mutating func putLargeFact(named name: (UInt64, UInt64), _ value: UnsafeBufferPointer<UInt8>) {
        reserve(TextLine.factRoom(name: 16, value: value.count))
        putFactName(smallWords: name)
        putFactValue(value)
    }
}

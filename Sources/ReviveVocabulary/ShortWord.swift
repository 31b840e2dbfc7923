extension UnsafeRawPointer {
    /// The `count` (0 to 7) bytes here as one word, byte `k` in bits `8k` on (little-endian), the
    /// rest zero: three loads at most, as the count's bits say (a byte loop cost more). The
    /// checker's token scan and the text renderer read a value's short tail this way.
    @inlinable @inline(__always)
    public func loadShortWord(count: Int) -> UInt64 {
        var word: UInt64 = 0
        var at = 0
        if count & 4 != 0 {
            word = UInt64(loadUnaligned(as: UInt32.self))
            at = 4
        }
        if count & 2 != 0 {
            word |= UInt64(loadUnaligned(fromByteOffset: at, as: UInt16.self)) &<< UInt64(at &* 8)
            at &+= 2
        }
        if count & 1 != 0 { word |= UInt64(load(fromByteOffset: at, as: UInt8.self)) &<< UInt64(at &* 8) }
        return word
    }
}

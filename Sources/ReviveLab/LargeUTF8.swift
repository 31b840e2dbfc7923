/// The UTF-8 bytes of a String kept out of line, read in place from the String's two words.
///
/// A String too long to be small (`ShortASCII`) keeps its bytes either in storage of its own
/// (native) or in the binary (a literal). Either way they lie contiguously 32 bytes past the
/// address in the low 60 bits of the String's second word, and its first word holds the count
/// (low 48 bits) and flags, among them "tail-allocated" (bit 60: the bytes follow that header);
/// the second word's top nibble says small (bit 61), foreign (bit 60) or bridged (bit 62). This is
/// the standard library's own layout (`StringObject.swift`, `nativeBias`).
///
/// A timeline line's long values (connections, keys, rules) were lent through
/// `withContiguousStorageIfAvailable`: a call and a closure a value, and a note's name lent the
/// same way (some 250 instructions a note with a long value, 190 now). Read here, a value is a
/// bit test and a pointer, handed out of line with its name's words. Sound because `layoutHolds` compares what these words say with what the standard
/// library lends, once per process, on every kind of String the renderer meets (native and
/// literal, ASCII or not, of many lengths), and a String of any other form (small, foreign,
/// bridged, shared) reads as nil and takes the general path. The bytes are borrowed: a caller
/// reads them only while something else keeps the String alive and unchanged (a transition's
/// field, lent in place for the whole rendering).
enum LargeUTF8 {
    /// Whether this platform's Strings keep their out-of-line bytes as described above: on
    /// literals and native strings (ASCII or not, short and long), the bytes read here must be
    /// the very ones the standard library lends (same address, same count), and a small string
    /// must not be read. A few strings, once a process (building a hundred cost 0.13 M).
    static let layoutHolds: Bool = {
        #if arch(x86_64) || arch(arm64)
        guard MemoryLayout<String>.size == 16 else { return false }
        var stored = "abc"
        stored.reserveCapacity(32)
        let samples = ["a literal String longer than fifteen bytes", "é, a literal not ASCII and longer than fifteen", stored,
                       String(decoding: [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70] as [UInt8], as: UTF8.self),
                       "a native String made at run time, not ASCII: é" + String(describing: stored.utf8.count)]
        for sample in samples {
            guard let bytes = bytes(of: sample),
                  sample.utf8.withContiguousStorageIfAvailable({ $0.baseAddress == bytes.baseAddress && $0.count == bytes.count }) == true
            else { return false }
        }
        return bytes(of: "small") == nil && bytes(of: "é") == nil
        #else
        return false
        #endif
    }()

    /// `text`'s UTF-8, in place, if it is kept out of line in storage of its own or in the binary,
    /// else nil (a small, foreign, bridged or shared String). Only valid where `layoutHolds`; the
    /// bytes only while `text`'s owner keeps it alive and unchanged.
    @inline(__always)
    static func bytes(of text: String) -> UnsafeBufferPointer<UInt8>? {
        let raw = unsafeBitCast(text, to: (UInt64, UInt64).self)
        // Not small, foreign or bridged, and the bytes after the header.
        guard raw.1 & (0x7 << 60) == 0, raw.0 & (1 << 60) != 0 else { return nil }
        let start = UnsafePointer<UInt8>(bitPattern: UInt(truncatingIfNeeded: raw.1 & 0x0FFF_FFFF_FFFF_FFFF) &+ 32)
        return UnsafeBufferPointer(start: start, count: Int(truncatingIfNeeded: raw.0 & 0xFFFF_FFFF_FFFF))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fast path of `FileSystem.text(atPath:)`, for the files a command reads whole (scenarios,
/// timelines): one `read` into the String's own storage.
extension FileSystem {
    /// The text of the regular file at `path`, read straight into a String's own storage; nil
    /// when the general path (`contents(atPath:)`, `UTF8Text.decode`) must read it: a file it
    /// cannot open or size, one that changed size while read, and one whose text starts with a
    /// byte-order mark or holds U+FFFD (the String's initializer replaces bytes that are not
    /// UTF-8 with U+FFFD, so text without one is the file's bytes exactly). One copy of the bytes,
    /// where the general path zeroes a list, reads into it, copies it into a String and compares
    /// the two: some 90,000 instructions of a cold `run` of the shipped scenarios.
    static func directText(atPath path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0, status.st_size < 1 << 26 else { return nil }
        let size = Int(status.st_size)
        var whole = true
        let text = String(unsafeUninitializedCapacity: size) { buffer in
            var filled = 0
            while filled < size {
                let got = read(descriptor, buffer.baseAddress.unsafelyUnwrapped + filled, size - filled)
                if got > 0 { filled += got } else if got == 0 || errno != EINTR { break }
            }
            // Short, or longer than it was: the general path reads it to its end.
            var more: UInt8 = 0
            if filled != size || read(descriptor, &more, 1) != 0 { whole = false }
            return filled
        }
        guard whole, text.utf8.count == size, !startsWithMarkOrHoldsReplacement(text) else { return nil }
        return text
    }

    /// Whether `text` starts with a byte-order mark (EF BB BF) or holds U+FFFD (EF BF BD): the
    /// bytes 0xEF are found by `memchr` (ASCII text has none).
    static func startsWithMarkOrHoldsReplacement(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var places = BytePlaces(of: 0xEF, in: bytes)
            while let at = places.next(), at + 2 < bytes.count {
                if at == 0 && bytes[1] == 0xBB && bytes[2] == 0xBF { return true }
                if bytes[at + 1] == 0xBF && bytes[at + 2] == 0xBD { return true }
            }
            return false
        }
    }
}

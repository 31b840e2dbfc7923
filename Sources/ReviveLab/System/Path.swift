#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Joining and splitting slash-separated paths, as the lab builds them.
public enum Path {
    /// `folder` and `name` joined by one slash (`name` alone when `folder` is empty).
    public static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The folder part of `path`: `a/b` of `a/b/c`, `/` of `/c`, empty for a bare name.
    public static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var parent = trimmed[..<slash]
        while parent.count > 1 && parent.hasSuffix("/") { parent = parent.dropLast() }
        return parent.isEmpty ? "/" : String(parent)
    }
}

/// UTF-8 text from bytes, checked.
public enum UTF8Text {
    /// The text that `bytes` spell, or nil when they are not valid UTF-8. A byte-order mark
    /// at the start is dropped, as Foundation's decoding drops it (editors on Windows write one).
    public static func decode(_ bytes: [UInt8]) -> String? {
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        return text.withUnsafeBufferPointer(checked)
    }

    /// Decoding repairs invalid sequences with U+FFFD; the bytes were valid exactly when nothing
    /// was repaired, that is when the text's UTF-8 is the bytes themselves. Compared with
    /// `memcmp`: the generic `elementsEqual` cost a tenth of a cold `run`.
    private static func checked(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count else { return nil }
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return text }
        return text.withUTF8 { memcmp($0.baseAddress!, start, bytes.count) == 0 } ? text : nil
    }
}

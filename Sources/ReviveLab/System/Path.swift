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
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The last part of `path`: `c` of `a/b/c`.
    public static func lastComponent(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// UTF-8 text from bytes, checked.
public enum UTF8Text {
    /// The text that `bytes` spell, or nil when they are not valid UTF-8.
    public static func decode(_ bytes: [UInt8]) -> String? {
        // Decoding repairs invalid sequences with U+FFFD; the bytes were valid exactly when
        // nothing was repaired, that is when the text's UTF-8 is the bytes themselves. Compared
        // with `memcmp`: the generic `elementsEqual` cost a tenth of a cold `run`.
        var text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count else { return nil }
        guard !bytes.isEmpty else { return text }
        let same = text.withUTF8 { decoded in
            bytes.withUnsafeBufferPointer { memcmp(decoded.baseAddress!, $0.baseAddress!, bytes.count) == 0 }
        }
        return same ? text : nil
    }
}

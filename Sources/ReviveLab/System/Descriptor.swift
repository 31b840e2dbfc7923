#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to an open file descriptor, whole.
public enum Descriptor {
    /// Writes all of `text` to `descriptor`, as `write(2)` takes it, and returns the error that
    /// stopped it (nil when all was written). A non-blocking descriptor (a parent's pipe can be
    /// one) is waited on until it takes more, so no byte is dropped.
    public static func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    /// Writes all of `bytes` to `descriptor`, as `writeAll(_:to:)` writes a text's.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var next = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written >= 0 {
                next += written
                left -= written
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, -1)
            } else if errno != EINTR {
                return errno
            }
        }
        return nil
    }

    /// All that `descriptor` yields until its end (standard input, a pipe); nil when reading fails.
    public static func readAll(from descriptor: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got > 0 {
                bytes += chunk[..<got]
            } else if got == 0 {
                return bytes
            } else if errno != EINTR {
                return nil
            }
        }
    }
}

/// A file written line by line as a play goes (a worker's JSONL timeline): created empty, or
/// emptied, when opened; every write goes straight to the file, so a killed process leaves
/// every line it finished. A symbolic link at its path is refused, never written through.
public final class OutputFile {
    private let descriptor: Int32
    /// The file's path.
    public let path: String
    /// The first write error, if one happened.
    public private(set) var failure: Int32?

    /// Opens `path` for writing, creating (mode 0666 less the umask) or emptying it; nil when it
    /// cannot be opened.
    public init?(creatingAt path: String) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return nil }
        self.path = path
    }

    /// Appends `text`; a failure is kept in `failure` (the first one).
    public func write(_ text: String) {
        if let error = Descriptor.writeAll(text, to: descriptor), failure == nil { failure = error }
    }

    /// Waits until what was written is on the disk (`fsync`).
    public func synchronize() { fsync(descriptor) }

    deinit { close(descriptor) }
}

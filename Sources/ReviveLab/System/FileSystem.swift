#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file system as the frontend uses it, straight on the C library.
///
/// The lab links no Foundation: loading it (and its ICU data) took 2 ms and 9 M instructions of
/// every process's start, more than the hello-world the cold-run figure is measured against, and
/// each of its 3,500 protocol conformances was scanned again at every first use of a generic type
/// with a requirement. What the lab needs of it is this small set of calls.
public enum FileSystem {
    /// The bytes of the file at `path`, or nil when it cannot be read (missing, a folder, no permission).
    public static func contents(atPath path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        // One spare byte, so a file read whole meets its end in the same loop; files whose size
        // says nothing (under /proc) grow the buffer as they go.
        let expected = fstat(descriptor, &status) == 0 ? max(Int(status.st_size), 0) : 0
        var bytes = [UInt8](repeating: 0, count: expected + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes += repeatElement(0, count: max(bytes.count, 4_096)) }
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if got > 0 {
                filled += got
            } else if got == 0 {
                break
            } else if errno != EINTR {
                return nil
            }
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// The UTF-8 text of the file at `path`: `.unreadable` when it cannot be read, `.notUTF8`
    /// when its bytes are not UTF-8.
    public static func text(atPath path: String) -> Result<String, TextReadFailure> {
        if let direct = directText(atPath: path) { return .success(direct) }
        guard let bytes = contents(atPath: path) else { return .failure(.unreadable) }
        guard let text = UTF8Text.decode(bytes) else { return .failure(.notUTF8) }
        return .success(text)
    }

    /// Why `text(atPath:)` gave no text.
    public enum TextReadFailure: Error {
        /// The file is missing, a folder, or not readable.
        case unreadable
        /// The file's bytes are not UTF-8.
        case notUTF8
    }

    /// Writes `text` to the file at `path`, replacing it whole: the bytes go to a fresh file
    /// beside it, made on the disk, which is then renamed over it, so a reader never sees half a
    /// file and a failed write leaves the old one as it was. A symbolic link at `path` is
    /// replaced, never followed. Returns the error number that stopped it, nil on success.
    @discardableResult
    public static func write(_ text: String, toPath path: String) -> Int32? {
        guard let (scratch, descriptor) = freshFile(beside: path) else { return errno }
        var failure = Descriptor.writeAll(text, to: descriptor)
        if failure == nil && fsync(descriptor) != 0 { failure = errno }
        let closed = close(descriptor) == 0 ? nil : errno
        if let error = failure ?? closed {
            unlink(scratch)
            return error
        }
        if rename(scratch, path) != 0 {
            let error = errno
            unlink(scratch)
            return error
        }
        return nil
    }

    /// A new file in the folder of `path`, named for this process and a count, made with
    /// O_EXCL and O_NOFOLLOW: nothing that stood there first (a link planted in a shared folder,
    /// say) is ever written through. Its mode is 0666 less the umask, as any new file's.
    private static func freshFile(beside path: String) -> (path: String, descriptor: Int32)? {
        let folder = Path.parent(of: path)
        for attempt in 0..<100 {
            let scratch = Path.join(folder, ".revive-\(getpid())-\(attempt).partial")
            let descriptor = open(scratch, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (scratch, descriptor) }
            if errno != EEXIST { return nil }
        }
        return nil
    }

    /// What is at `path` (following symbolic links): nil when nothing is.
    public static func kind(atPath path: String) -> Kind? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT == S_IFDIR ? .folder : .file
    }

    /// A file system entry's kind, as the lab tells them apart.
    public enum Kind {
        /// A folder.
        case folder
        /// Anything else: a regular file, a device, a pipe.
        case file
    }

    /// Whether anything is at `path` (following symbolic links).
    public static func exists(_ path: String) -> Bool { kind(atPath: path) != nil }

    /// The names in the folder at `path` (without `.` and `..`), in no particular order; nil when
    /// it cannot be listed.
    public static func names(inFolder path: String) -> [String]? {
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Calls `body` with the name of every entry in the folder at `path` (not `.` and `..`), in no
    /// particular order, and its kind where the listing itself says it (nil for a symbolic link,
    /// or where the file system does not say: ask `kind(atPath:)`, which follows links). False
    /// when the folder cannot be listed. Listing the shipped catalogue by name, then a `stat` of
    /// each entry's joined path, cost a tenth of a cold `run`'s start.
    @discardableResult
    public static func forEachEntry(inFolder path: String, _ body: (_ name: String, _ listed: Kind?) -> Void) -> Bool {
        guard let folder = opendir(path) else { return false }
        defer { closedir(folder) }
        while let entry = readdir(folder) {
            // `.` and `..` told by their bytes, before a String is made: comparing the made name
            // with "." and ".." was a call into the library's string comparison each.
            let (name, dots): (String, Bool) = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let dot = UInt8(ascii: ".")
                if raw[0] == dot && (raw[1] == 0 || raw[1] == dot && raw[2] == 0) { return ("", true) }
                return (String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self)), false)
            }
            if dots { continue }
            let type = Int(entry.pointee.d_type)
            body(name, type == Int(DT_DIR) ? .folder : type == Int(DT_REG) ? .file : nil)
        }
        return true
    }

    /// Makes the folder at `path` and any missing parents (mode 0777 less the umask); a folder
    /// already there is fine.
    /// Returns the error number that stopped it, nil on success.
    @discardableResult
    public static func makeFolder(_ path: String) -> Int32? {
        if kind(atPath: path) == .folder { return nil }
        let parent = Path.parent(of: path)
        if !parent.isEmpty && parent != path, let error = makeFolder(parent) { return error }
        if mkdir(path, 0o777) == 0 || (errno == EEXIST && kind(atPath: path) == .folder) { return nil }
        return errno
    }

    /// Removes `path` and, for a folder, everything under it (symbolic links are removed, never followed).
    public static func removeTree(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        if status.st_mode & S_IFMT == S_IFDIR {
            for name in names(inFolder: path) ?? [] { removeTree(Path.join(path, name)) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The folder for scratch files: `TMPDIR` when it is set, else `/tmp`.
    public static var temporaryFolder: String {
        guard let value = getenv("TMPDIR").map({ String(cString: $0) }), !value.isEmpty else { return "/tmp" }
        return value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    /// A fresh folder under the temporary folder, named `prefix` and six random characters
    /// (`mkdtemp`); nil when none could be made.
    public static func makeTemporaryFolder(prefix: String) -> String? {
        var template = Array((Path.join(temporaryFolder, prefix) + "XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
    }

    /// The running executable's path, absolute: `/proc/self/exe` resolved on Linux, the loader's
    /// own answer on macOS (argv[0] may be a bare name found on PATH, which `posix_spawn` does
    /// not search); argv[0] only when neither answers.
    public static var executablePath: String {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        #elseif canImport(Darwin)
        var size: UInt32 = 4_096
        var buffer = [CChar](repeating: 0, count: Int(size))
        if _NSGetExecutablePath(&buffer, &size) == 0 { return String(cString: buffer) }
        #endif
        return CommandLine.arguments[0]
    }

    /// The system's words for an error number (`strerror`).
    public static func describe(_ error: Int32) -> String { String(cString: strerror(error)) }
}

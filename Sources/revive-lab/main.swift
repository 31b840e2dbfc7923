import Foundation
import ReviveLab

// The thin shell: read the process's arguments and environment, hand off to the library, exit.

#if os(Linux)
// glibc raises its mmap threshold each time a large block is freed (up to 32 MB) and from then on
// keeps freed blocks below it in the heap instead of returning them: a long run's timeline, grown
// by doubling, left some 20 MB of resident memory behind that way (measured with `bench`). Setting
// the threshold (to glibc's own default, M_MMAP_THRESHOLD = -3) turns that adjustment off.
if let mallopt = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
    _ = unsafeBitCast(mallopt, to: (@convention(c) (Int32, Int32) -> Int32).self)(-3, 128 * 1024)
}
#endif
/// Writes all of `text` to `descriptor`, as `write(2)` takes it, and returns the error that
/// stopped it (nil when all was written). Not through `FileHandle`: making the `Data` it takes cast
/// the string's bytes dynamically, and the first such cast scanned every protocol conformance of
/// the process (a quarter of a million instructions of a cold `run`).
func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
    var text = text
    return text.withUTF8 { bytes -> Int32? in
        guard var next = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written >= 0 {
                next += written
                left -= written
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                // A non-blocking output (a parent's pipe can be one): wait until it takes more.
                var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, -1)
            } else if errno != EINTR {
                return errno
            }
        }
        return nil
    }
}

/// The first write that failed, if one did: output cut short must never end in a success code.
final class WriteFailure {
    var error: Int32?
    func note(_ failure: Int32?) { if error == nil { error = failure } }
}
let writeFailure = WriteFailure()

let console = LabCommand.Console(
    out: { writeFailure.note(writeAll($0, to: STDOUT_FILENO)) },
    err: { writeFailure.note(writeAll($0, to: STDERR_FILENO)) },
    isTerminal: isatty(STDOUT_FILENO) == 1,
    environment: LabCommand.environmentVariables.reduce(into: [:]) { found, name in
        if let value = getenv(name) { found[name] = String(cString: value) }
    },
    readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() },
    errorIsTerminal: isatty(STDERR_FILENO) == 1,
    monotonicSeconds: {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    })
let code = LabCommand.main(arguments: Array(CommandLine.arguments.dropFirst()), console: console)
if let error = writeFailure.error {
    // Said on standard error if that still works; the exit code says it either way (2, as for
    // any other problem with what the command was given to work with).
    _ = writeAll("revive-lab: could not write the output: \(String(cString: strerror(error)))\n", to: STDERR_FILENO)
    exit(2)
}
exit(code)

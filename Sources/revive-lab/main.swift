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
/// Writes all of `text` to `descriptor`, as `write(2)` takes it. Not through `FileHandle`: making
/// the `Data` it takes cast the string's bytes dynamically, and the first such cast scanned every
/// protocol conformance of the process (a quarter of a million instructions of a cold `run`).
func writeAll(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { bytes in
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return  // A closed or full output: nothing more can be said there.
            }
            next += written
            left -= written
        }
    }
}

let console = LabCommand.Console(
    out: { writeAll($0, to: STDOUT_FILENO) },
    err: { writeAll($0, to: STDERR_FILENO) },
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
exit(LabCommand.main(arguments: Array(CommandLine.arguments.dropFirst()), console: console))

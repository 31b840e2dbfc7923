#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReviveLab

// The thin shell: read the process's arguments and environment, hand off to the library, exit.

// A parent that ignores SIGCHLD passes that on, and then no child of this process could ever be
// waited for (stress, the kill proof and bench start children and read how they ended).
signal(SIGCHLD, SIG_DFL)

#if os(Linux)
// glibc raises its mmap threshold each time a large block is freed (up to 32 MB) and from then on
// keeps freed blocks below it in the heap instead of returning them: a long run's timeline, grown
// by doubling, left some 20 MB of resident memory behind that way (measured with `bench`). Setting
// the threshold (to glibc's own default, M_MMAP_THRESHOLD = -3) turns that adjustment off.
if let mallopt = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
    _ = unsafeBitCast(mallopt, to: (@convention(c) (Int32, Int32) -> Int32).self)(-3, 128 * 1024)
}
#endif
/// The first write that failed, if one did: output cut short must never end in a success code.
final class WriteFailure {
    var error: Int32?
    func note(_ failure: Int32?) { if error == nil { error = failure } }
}
let writeFailure = WriteFailure()

let console = LabCommand.Console(
    out: { writeFailure.note(Descriptor.writeAll($0, to: STDOUT_FILENO)) },
    err: { writeFailure.note(Descriptor.writeAll($0, to: STDERR_FILENO)) },
    isTerminal: isatty(STDOUT_FILENO) == 1,
    environment: LabCommand.environmentVariables.reduce(into: [:]) { found, name in
        if let value = getenv(name) { found[name] = String(cString: value) }
    },
    readStandardInput: { Descriptor.readAll(from: STDIN_FILENO) },
    errorIsTerminal: isatty(STDERR_FILENO) == 1,
    monotonicSeconds: {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    },
    outBytes: { writeFailure.note(Descriptor.writeAll($0, to: STDOUT_FILENO)) })
let code = LabCommand.main(arguments: Array(CommandLine.arguments.dropFirst()), console: console)
if let error = writeFailure.error {
    // Said on standard error if that still works; the exit code says it either way (2, as for
    // any other problem with what the command was given to work with).
    _ = Descriptor.writeAll("revive-lab: could not write the output: \(FileSystem.describe(error))\n", to: STDERR_FILENO)
    exit(2)
}
exit(code)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, and how it ended.
///
/// Foundation's `Process` waited for its child in 50 ms slices of a run loop on Linux, and
/// loading Foundation at all cost more than the hello-world the cold run is measured against.
public final class Subprocess {
    /// Where the child's standard output and standard error go. Its standard input is always
    /// `/dev/null`.
    public enum Output {
        /// To this process's own standard output and error.
        case inherited
        /// Nowhere (`/dev/null`).
        case discarded
        /// Both into one pipe this process reads (`readOutput`): reading one stream while the
        /// other fills up would block the child.
        case captured
    }

    /// How a child ended.
    public enum Ending: Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// This signal ended it.
        case signalled(Int32)
        /// It is gone, but how it ended cannot be known: something else reaped it (`waitpid`
        /// said ECHILD, as when SIGCHLD is ignored). Never taken for a success.
        case unknown
    }

    /// The child's process id.
    public let pid: pid_t
    /// The read end of the captured output's pipe (`.captured` only).
    private var outputPipe: Int32?
    /// How it ended, once reaped.
    public private(set) var ending: Ending?

    /// Starts `executable` with `arguments` (not including argv[0]) and this process's
    /// environment. Throws the error number when it cannot be started.
    public init(executable: String, arguments: [String], output: Output) throws(SpawnError) {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pipeEnds: [Int32] = [-1, -1]
        switch output {
        case .inherited:
            break
        case .discarded:
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .captured:
            // Close-on-exec ends, so a sibling started meanwhile on another thread never holds
            // this pipe open (its reader would wait for that sibling's end too); `dup2` gives the
            // child copies without the flag.
            guard Subprocess.makePipe(&pipeEnds) else { throw SpawnError(executable: executable, error: errno) }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child = pid_t()
        #if canImport(Darwin)
        let environment = _NSGetEnviron().pointee
        #else
        let environment = environ
        #endif
        let failure = posix_spawn(&child, executable, &actions, nil, argv, environment)
        if pipeEnds[1] >= 0 { close(pipeEnds[1]) }
        guard failure == 0 else {
            if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
            throw SpawnError(executable: executable, error: failure)
        }
        pid = child
        outputPipe = pipeEnds[0] >= 0 ? pipeEnds[0] : nil
    }

    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        #if os(Linux)
        if let pipe2 = GNUCalls.pipe2 { return pipe2(&ends, O_CLOEXEC) == 0 }
        #endif
        // Without pipe2 a child started on another thread between these calls could inherit the
        // ends; the lab starts its children from one thread.
        guard pipe(&ends) == 0 else { return false }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// Reads the captured output to its end (when every copy of the pipe's write end is closed,
    /// normally at the child's exit). Empty unless started with `.captured`.
    public func readOutput() -> [UInt8] {
        guard let descriptor = outputPipe else { return [] }
        defer {
            close(descriptor)
            outputPipe = nil
        }
        return Descriptor.readAll(from: descriptor) ?? []
    }

    /// Waits for the child to end and reaps it.
    @discardableResult
    public func wait() -> Ending {
        if let ending { return ending }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return lost() }
        }
        return record(status)
    }

    /// How the child ended, reaping it, or nil while it still runs.
    public func poll() -> Ending? {
        if let ending { return ending }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped < 0 && errno != EINTR { return lost() }
        guard reaped == pid else { return nil }
        return record(status)
    }

    /// Sends `signal` to the child, unless it has been reaped already.
    public func send(_ signal: Int32) {
        if ending == nil { kill(pid, signal) }
    }

    private func lost() -> Ending {
        ending = .unknown
        return .unknown
    }

    private func record(_ status: Int32) -> Ending {
        // The <sys/wait.h> macros, which are not imported: the low seven bits hold the signal
        // that ended the child (zero when it exited), the next eight its exit status.
        let signal = status & 0x7f
        let ended: Ending = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        ending = ended
        return ended
    }

    deinit { if let outputPipe { close(outputPipe) } }
}

/// A child process that could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    /// The executable's path.
    public let executable: String
    /// The error number.
    public let error: Int32
    /// `cannot start PATH: REASON`.
    public var description: String { "cannot start \(executable): \(FileSystem.describe(error))" }
}

extension Subprocess.Ending {
    /// `exited with 3`, `was ended by signal 9`.
    public var described: String {
        switch self {
        case .exited(let status): return "exited with \(status)"
        case .signalled(let signal): return "was ended by signal \(signal)"
        case .unknown: return "ended, and how cannot be known (something else reaped it)"
        }
    }
}

import Foundation

/// A run of this same executable as a child process, waited for: how it ended and what it printed.
struct ChildProcess {
    /// The exit status (when it exited).
    var status: Int32?
    /// The signal that ended it (when one did).
    var signal: Int32?
    /// Standard output and standard error, interleaved as written.
    var output: String

    /// Starts the lab's own executable with `arguments` and waits for it.
    static func run(_ arguments: [String]) -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executablePath)
        process.arguments = arguments
        // One pipe for both streams: reading one while the other fills up would block the child.
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return ChildProcess(status: nil, signal: nil, output: "cannot start \(executablePath): \(error)")
        }
        // Read while it runs: a full pipe would block the child.
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExitPromptly()
        let text = String(decoding: printed, as: UTF8.self)
        switch process.terminationReason {
        case .uncaughtSignal: return ChildProcess(status: nil, signal: process.terminationStatus, output: text)
        default: return ChildProcess(status: process.terminationStatus, signal: nil, output: text)
        }
    }

    /// The running executable's path (`/proc/self/exe` on Linux, where argv[0] may be a bare name).
    static var executablePath: String {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// `exit 3: not reached ...`, `signal 6`.
    func describe() -> String {
        let how = signal.map { "signal \($0)" } ?? "exit \(status ?? -1)"
        let first = output.split(separator: "\n").first.map { ": \($0)" } ?? ""
        return how + first
    }
}

extension Process {
    /// Waits for the child to end, and returns within a millisecond or so of its exit.
    ///
    /// Foundation's `waitUntilExit` on Linux spins the run loop in 50 ms slices, so every child
    /// cost up to 50 ms after its exit: a cold `run` measured 51 ms through it and 17 ms through
    /// `posix_spawn`, and the kill proof and the end-to-end tests start thousands of children.
    /// `isRunning` turns false as soon as Foundation reaps the child (on its SIGCHLD source), so
    /// a short sleep that backs off to 1 ms finds the exit within a millisecond, at a cost of a
    /// thousand wake-ups a second while a long child runs (a longer cap added up to half of a
    /// cold run's 12 ms to the bench's figure).
    public func waitUntilExitPromptly() {
        var pause: UInt32 = 50
        while isRunning {
            usleep(pause)
            pause = Swift.min(pause * 2, 1_000)
        }
        waitUntilExit()
    }
}

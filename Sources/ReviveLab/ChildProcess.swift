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
        let child: Subprocess
        do { child = try Subprocess(executable: FileSystem.executablePath, arguments: arguments, output: .captured) } catch {
            return ChildProcess(status: nil, signal: nil, output: error.description)
        }
        // Read while it runs: a full pipe would block the child.
        let text = String(decoding: child.readOutput(), as: UTF8.self)
        switch child.wait() {
        case .signalled(let signal): return ChildProcess(status: nil, signal: signal, output: text)
        case .exited(let status): return ChildProcess(status: status, signal: nil, output: text)
        case .unknown: return ChildProcess(status: nil, signal: nil, output: text)
        }
    }

    /// `exit 3: not reached ...`, `signal 6`.
    func describe() -> String {
        let how = signal.map { "signal \($0)" } ?? "exit \(status ?? -1)"
        let first = output.split(separator: "\n").first.map { ": \($0)" } ?? ""
        return how + first
    }
}

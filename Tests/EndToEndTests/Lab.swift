import Foundation
import ReviveLab
import Testing

/// What one run of the built `revive-lab` binary did.
struct LabOutput: Sendable {
    /// The exit status (or the signal number when `signalled`).
    var status: Int32
    /// Whether the process died of a signal (a crash) instead of exiting.
    var signalled: Bool
    var stdout: String
    var stderr: String

    /// Stdout's lines, without the empty string after the final newline.
    var stdoutLines: [String] { LabOutput.lines(stdout) }
    /// Stderr's lines, without the empty string after the final newline.
    var stderrLines: [String] { LabOutput.lines(stderr) }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// True if either stream shows a crash or a Swift runtime trap.
    var showsCrash: Bool {
        signalled || [stdout, stderr].contains { text in
            text.contains("Fatal error") || text.contains("Stack dump") || text.contains("Backtrace")
                || text.contains("Illegal instruction") || text.contains("Segmentation fault")
        }
    }

    /// A short description for failure messages.
    var summary: String {
        "exit \(signalled ? "signal " : "")\(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

/// Finds and runs the built `revive-lab` executable, the way a person or CI would.
enum Lab {
    /// The package root, derived from this file's place (`Tests/EndToEndTests/Lab.swift`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let scenarioDirectory = packageRoot.appendingPathComponent("scenarios")

    /// The shipped scenario names (file names without `.json`), in the order `run scenarios`
    /// plays them: sorted by file name, so `revoked-grant-temporal.json` comes before
    /// `revoked-grant.json` ("-" sorts before ".").
    static func shippedScenarioNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scenarioDirectory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
            .map { String($0.dropLast(".json".count)) }
    }

    /// The golden timeline of a shipped scenario.
    static func golden(_ name: String) throws -> String {
        try String(contentsOf: scenarioDirectory.appendingPathComponent("golden/\(name).txt"), encoding: .utf8)
    }

    /// The built executable: next to the test bundle (same build directory), else `.build/debug`.
    static func executableURL() throws -> URL {
        let manager = FileManager.default
        var bases: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { bases.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" { bases.append(bundle.bundleURL) }
        if let argument = CommandLine.arguments.first, argument.contains("/") {
            bases.append(URL(fileURLWithPath: argument).deletingLastPathComponent())
        }
        var candidates: [URL] = []
        for base in bases {
            // On Linux the bundle URL is the build directory itself; on macOS it is the
            // `.xctest` bundle inside it (or a directory inside that bundle).
            var directory = base.standardizedFileURL
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("revive-lab"))
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/revive-lab"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               manager.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        struct Missing: Error, CustomStringConvertible {
            var description: String
        }
        throw Missing(description: """
            the revive-lab executable was not found next to the test bundle or at \
            \(packageRoot.path)/.build/debug/revive-lab; run `swift build` first
            """)
    }

    /// Runs `revive-lab ARGUMENTS` in the package root (or `directory`), without a terminal and without NO_COLOR.
    /// Standard input is empty, or `stdin` when given (read from a temporary file, so a child that
    /// exits without reading it never breaks a pipe). `environment` adds or overrides variables
    /// (like `["NO_COLOR": "1"]`) on top of that environment.
    static func run(_ arguments: [String], stdin: String? = nil, environment overrides: [String: String] = [:],
                    timeout: TimeInterval = 120, in directory: URL? = nil) throws -> LabOutput {
        let process = Process()
        process.executableURL = try executableURL()
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment.merge(overrides) { _, override in override }
        process.environment = environment
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        var inputFile: (url: URL, handle: FileHandle)?
        defer {
            if let inputFile {
                try? inputFile.handle.close()
                try? FileManager.default.removeItem(at: inputFile.url)
            }
        }
        if let stdin {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("revive-lab-stdin-\(UUID().uuidString).json")
            try Data(stdin.utf8).write(to: url)
            let handle = try FileHandle(forReadingFrom: url)
            inputFile = (url, handle)
            process.standardInput = handle
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let ended = try process.runNotingExit()

        // Read both pipes to their ends before waiting, stderr on another thread, so a full
        // pipe never blocks the child.
        let errorData = DataBox()
        let group = DispatchGroup()
        let errHandle = errPipe.fileHandleForReading
        group.enter()
        DispatchQueue.global().async {
            errorData.set(errHandle.readDataToEndOfFile())
            group.leave()
        }
        let watchdog = Watchdog(process: process)
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { watchdog.fire() }

        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        ended.wait()
        watchdog.disarm()
        if watchdog.fired {
            struct Hung: Error, CustomStringConvertible { var description: String }
            throw Hung(description: "revive-lab \(arguments.joined(separator: " ")) did not finish within \(Int(timeout))s")
        }
        return LabOutput(status: process.terminationStatus,
                         signalled: process.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errorData.get(), as: UTF8.self))
    }
}

/// A lock-protected data buffer shared with the stderr reader.
final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Terminates a child that runs past its time limit.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private let process: Process
    private var armed = true
    private(set) var fired = false

    init(process: Process) { self.process = process }

    func fire() {
        lock.lock(); defer { lock.unlock() }
        guard armed, process.isRunning else { return }
        fired = true
        process.terminate()
    }

    func disarm() { lock.lock(); armed = false; lock.unlock() }
}

/// A fresh temporary directory for one test's fixtures, removed when the test is done.
final class Fixtures {
    let directory: URL

    init(_ testName: String = #function) throws {
        let safe = String(testName.map { $0.isLetter || $0.isNumber ? $0 : "-" })
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("revive-lab-e2e-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `text` to `name` inside the fixture directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Makes an (empty) subdirectory and returns its path.
    func makeDirectory(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

extension String {
    /// This text with `old` (which must occur exactly once) replaced by `new`.
    func replacingOnce(_ old: String, with new: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let parts = components(separatedBy: old)
        try #require(parts.count == 2, "the fixture text must contain \(old.debugDescription) exactly once", sourceLocation: sourceLocation)
        return parts[0] + new + parts[1]
    }
}

extension Process {
    /// Starts the child, and returns what wakes a wait for its end (`ChildExit.wait()`).
    ///
    /// Foundation's `waitUntilExit` on Linux spins the run loop in 50 ms slices, so every child
    /// cost up to 50 ms after its exit, and the end-to-end tests start hundreds of children.
    /// Foundation calls `terminationHandler` once it has reaped the child, so a wait on the
    /// signal it sends returns at the exit itself, with no polling.
    func runNotingExit() throws -> ChildExit {
        let exit = ChildExit(process: self)
        terminationHandler = { _ in exit.exited.signal() }
        try run()
        return exit
    }
}

/// The end of a child started by `Process.runNotingExit()`.
final class ChildExit: @unchecked Sendable {
    fileprivate let exited = DispatchSemaphore(value: 0)
    private let process: Process

    fileprivate init(process: Process) { self.process = process }

    /// Waits for the child's exit. `waitUntilExit` then returns at once: Foundation marks the
    /// child ended before it calls the handler.
    func wait() {
        exited.wait()
        process.waitUntilExit()
    }
}

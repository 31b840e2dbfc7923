#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary
import ReviveWorld

/// One `stress` play: starts the worker processes, kills and restarts them on schedule, then checks.
struct StressRunner {
    let options: StressCommand.Options
    let console: LabCommand.Console
    let output: String
    let world: StressWorld
    /// The scenario workload's files, in order (empty: the contention workload).
    let scenarioFiles: [String]

    init(_ options: StressCommand.Options, scenarioFiles: [String], console: LabCommand.Console) throws {
        self.options = options
        self.scenarioFiles = scenarioFiles
        self.console = console
        if let given = options.output {
            guard FileSystem.makeFolder(given) == nil else {
                throw StressCommand.syntax.error("cannot create the output directory \(given); check the path and permissions")
            }
            output = given
        } else {
            // A fresh folder named by the system (mkdtemp), never one someone else could have
            // made first under a name they could guess.
            guard let fresh = FileSystem.makeTemporaryFolder(prefix: "revive-stress-") else {
                throw StressCommand.syntax.error("cannot create a folder under \(FileSystem.temporaryFolder) for the timelines; "
                    + "check TMPDIR or give --output DIR")
            }
            output = fresh
        }
        let libpq = console.environment["REVIVE_LIBPQ"]
        let store = try PlayStores.open(options.store, libpqPath: libpq)
        let play = try store.startPlay(scenario: "stress", seed: options.seed, mode: "stress").play
        world = try StressWorld(location: options.store, play: play, libpqPath: libpq)
        try world.prepare()
        if !scenarioFiles.isEmpty {
            // The workers read the list from a file: paths may hold any character but a newline.
            if let error = FileSystem.write(scenarioFiles.joined(separator: "\n") + "\n", toPath: scenarioList) {
                throw UsageError(command: "stress", text: "cannot write \(scenarioList): \(FileSystem.describe(error))")
            }
        }
    }

    /// Where the scenario workload's file list is kept for the workers.
    var scenarioList: String { Path.join(output, "scenarios.txt") }

    /// A worker process and what is left of its kill schedule.
    final class Worker {
        let index: Int
        var kills: [Int]
        var incarnation = 0
        var process: Subprocess?
        init(index: Int, kills: [Int]) { (self.index, self.kills) = (index, kills) }
    }

    func run() throws -> LabCommand.ExitCode {
        let schedule = StressCommand.killSchedule(options)
        let workers = (0..<options.processes).map { Worker(index: $0, kills: schedule[$0]) }
        let started = console.monotonicSeconds()
        for worker in workers { try start(worker) }
        var kills = 0
        while workers.contains(where: { $0.process != nil }) {
            for worker in workers {
                guard let process = worker.process, let ending = process.poll() else { continue }
                worker.process = nil
                if ending == .signalled(SIGKILL) {
                    kills += 1
                    worker.incarnation += 1
                    try start(worker)
                } else if ending != .exited(0) {
                    for other in workers { other.process?.send(SIGTERM) }
                    throw UsageError(command: "stress", text: "worker process \(worker.index) \(ending.described); "
                        + "its messages are above, its timeline in \(output)")
                }
            }
            usleep(5_000)
        }
        let seconds = console.monotonicSeconds() - started
        let report = scenarioFiles.isEmpty ? try StressCheck(world: world, output: output, runs: options.runs, kills: kills).run()
            : try StressScenarioCheck(world: world, runs: options.runs, kills: kills, expected: expectedOutcomes()).run()
        print(report, kills: kills, seconds: seconds)
        return report.breaches.isEmpty ? .passed : .failed
    }

    /// Starts (or restarts) one worker: this same executable, its hidden `stress-worker` command.
    func start(_ worker: Worker) throws {
        var share = Array(stride(from: worker.index, to: options.runs, by: options.processes))
        if !scenarioFiles.isEmpty {
            // Every process goes through the scenarios in the same order, so the plays of one
            // scenario in different processes overlap in time and race on its connections.
            share.sort { ($0 % scenarioFiles.count, $0) < ($1 % scenarioFiles.count, $1) }
        }
        let runs = share.map(String.init).joined(separator: ",")
        var arguments = ["stress-worker", "--store", options.store, "--play", String(world.play), "--process", String(worker.index),
                         "--incarnation", String(worker.incarnation), "--runs", runs.isEmpty ? "-" : runs, "--seed", String(options.seed),
                         "--connections", String(options.connections),
                         "--jsonl", Path.join(output, "process-\(worker.index)-\(worker.incarnation).jsonl")]
        if !worker.kills.isEmpty { arguments += ["--die-after", String(worker.kills.removeFirst())] }
        if let libpq = console.environment["REVIVE_LIBPQ"] { arguments += ["--libpq", libpq] }
        if let plant = options.plant { arguments += ["--plant", plant] }
        if !scenarioFiles.isEmpty { arguments += ["--scenarios", scenarioList, "--total", String(options.runs)] }
        do { worker.process = try Subprocess(executable: FileSystem.executablePath, arguments: arguments, output: .inherited) } catch {
            throw UsageError(command: "stress", text: "cannot start a worker process: \(error)")
        }
    }

    /// Each scenario's expected outcome, by name (the files were checked before the play began).
    func expectedOutcomes() -> [String: Outcome] {
        var result: [String: Outcome] = [:]
        for file in scenarioFiles {
            if let scenario = try? ScenarioLoader.load(path: file) { result[scenario.name] = scenario.expect.outcome }
        }
        return result
    }

    func print(_ report: StressReport, kills: Int, seconds: Double) {
        let rate = seconds > 0 ? Double(report.decisions) / seconds : 0
        let workload = scenarioFiles.isEmpty ? "the contention workload over \(options.connections) connection(s)"
            : "\(scenarioFiles.count) scenario(s) from \(options.paths.joined(separator: " "))"
        console.out("stress on \(options.store): play \(world.play), seed \(options.seed), \(workload), timelines in \(output)\n")
        console.out("  decisions    \(report.decisions) committed in \(Decimal.fixed(seconds, places: 1)) s: "
            + "\(Decimal.fixed(rate, places: 0)) decisions/s\n")
        console.out("  refreshes    \(report.refreshesWon) redeemed, \(report.refreshesReread) losers re-read the rotated generation, "
            + "\(report.refreshesAfterKill) after a killed winner"
            + (scenarioFiles.isEmpty ? "\n" : ", \(report.deadRefreshesUnjudged) met a dead grant or lost (not told apart)\n"))
        console.out("  reconnects   \(report.verified) verified, \(report.refused) refused (already used or superseded)\n")
        console.out("  runs         \(report.completed) completed, \(report.parked) parked"
            + (scenarioFiles.isEmpty ? " with an open case\n" : ", \(report.failed) failed (as their scenarios end)\n"))
        for breach in report.breaches { console.out("  BREACH: \(breach)\n") }
        let verdict = report.breaches.isEmpty ? "all invariants held" : "\(report.breaches.count) invariant breaches"
        console.out("\(options.processes) processes, \(options.runs) runs, \(kills) kills: \(verdict)\n")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab bench`: speed and memory, measured on one core.
enum BenchCommand {
    static let usage = """
    Usage: revive-lab bench [DIR] [--repetitions N] [--seeds N] [--explore FILE] [--long-run STEPS]
                            [--only SECTION] [--record FILE] [--store FILE]

    Measures, on one core (no --jobs), and prints:
      catalogue    every scenario in DIR (default scenarios; a single scenario file works too)
                   played N times (default 20) after one untimed warm-up play each, each
                   pass timed apart: scenarios/s and transitions/s of the median pass
      exploration  exhaustive single plus pair faults of FILE (default DIR/revoked-grant.json,
                   a three-step workflow, else DIR's first scenario): schedules/s and the time
                   the whole search takes
      fuzz         --seeds N fuzz schedules (default 10000) after a tenth as many: schedules/s,
                   and peak memory after each, to show memory stays flat as seeds grow
      long-run     one generated run of STEPS reads (default 48000: 240,009 transitions):
                   the time to play it, the time to render its text timeline, peak memory
      cold-run     `revive-lab run DIR` as a fresh process, 9 times: the median wall time
                   (scripts/callgrind-cold-run.sh sets it against a Foundation hello-world)
      --store FILE the store instead: engine decisions/s with the catalogue's state in a fresh
                   SQLite store FILE (WAL, synchronous=FULL, one transaction per decision)
                   beside the in-memory store, and SQLite's raw single-row inserts/s at the same
                   settings in the same file and run (FILE must not exist yet)
    Build with `swift build -c release` first: debug builds are several times slower.

    Options:
      --repetitions N  how many times the catalogue is played (default 20)
      --seeds N        how many fuzz seeds (default 10000)
      --explore FILE   the scenario the exploration and fuzz figures search around
      --long-run STEPS how many steps the long run has (default 48000, five transitions each)
      --only SECTION   measure one section only: catalogue, exploration, fuzz, long-run or
                       cold-run (for profiling one of them, e.g. under callgrind)
      --record FILE    also write the figures to FILE (the README's figures are kept equal to
                       the committed docs/records/bench.txt by a test)
      -h, --help       show this help

    Exit codes: 0 measured, 2 usage or input error.

    """

    /// The command's grammar.
    static let syntax = CommandSyntax(
        command: "bench", usage: usage,
        options: [.number("--repetitions", in: 1...10_000_000), .number("--seeds", in: 1...10_000_000),
                  .number("--long-run", in: 1...10_000_000),
                  .value("--explore", needs: "a scenario file"), .value("--record", needs: "a file to write the figures to"),
                  .value("--store", needs: "a store file that does not exist yet"),
                  .choice("--only", of: Section.self)],
        positionals: .atMostOne(tooMany: "give one directory of scenarios"))

    /// The parts of the measurement, each of which `--only` can pick alone.
    enum Section: String, CaseIterable {
        case catalogue, exploration, fuzz, longRun = "long-run", coldRun = "cold-run"
    }

    /// What the command line asked for.
    struct Options {
        var directory: String
        var repetitions: Int
        var seeds: Int
        /// Steps of the generated long run.
        var longRunSteps: Int
        var exploreFile: String?
        var record: String?
        var store: String?
        /// nil: every section.
        var only: Section?

        init(_ parsed: ParsedArguments) {
            record = parsed.value("--record")
            store = parsed.value("--store")
            directory = parsed.positionals.first ?? "scenarios"
            repetitions = parsed.number("--repetitions") ?? 20
            seeds = parsed.number("--seeds") ?? 10_000
            longRunSteps = parsed.number("--long-run") ?? BenchCommand.longRunSteps
            exploreFile = parsed.value("--explore")
            only = parsed.choice("--only", as: Section.self)
        }

        /// Whether `section` is measured this time.
        func measures(_ section: Section) -> Bool { only == nil || only == section }
    }

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        let options: Options
        switch syntax.options(from: arguments, console: console, { parsed throws(UsageError) in Options(parsed) }) {
        case .done(let code): return code
        case .proceed(let parsed): options = parsed
        }
        guard let inputs = loadInputs(options, console: console) else { return .usage }
        #if REVIVE_PLANTED_BUGS
        console.out("note: this is a debug build; build with `swift build -c release` for real figures\n")
        #endif
        if let store = options.store {
            return StoreBenchmark.run(inputs.scenarios, path: store, repetitions: options.repetitions, console: console) ? .passed : .usage
        }
        // The figures go to standard output and, with --record, into the record file as well.
        let figures = FigureLog()
        var recording = console
        recording.out = { text in
            figures.text += text
            console.out(text)
        }
        // The cold run is timed first, while this process is small and the machine quiet (timed
        // after the long run, the same child process measured 7.6 ms where it measured 6.0 ms
        // alone), and printed last.
        let coldRun = options.measures(.coldRun) ? benchColdRun(directory: options.directory, console: console) : nil
        if options.measures(.catalogue) { benchCatalogue(inputs.scenarios, repetitions: options.repetitions, console: recording) }
        if options.measures(.exploration) { benchExploration(inputs.exploreBase, console: recording) }
        if options.measures(.fuzz) { benchFuzz(inputs.exploreBase, seeds: options.seeds, console: recording) }
        if options.measures(.longRun) { benchLongRun(steps: options.longRunSteps, console: recording) }
        if let coldRun { recording.out(coldRun) }
        if let record = options.record {
            guard FileSystem.write(figures.text, toPath: record) == nil else {
                console.err(syntax.error("cannot write the record \(record); check the path and permissions").message)
                return .usage
            }
        }
        return .passed
    }

    /// The figures printed so far (for --record).
    final class FigureLog {
        var text = ""
    }

    /// Every scenario in the directory (or the one file) and the exploration's base, or nil after
    /// reporting a problem. The base is `--explore FILE`, else the directory's revoked-grant.json,
    /// else its first scenario.
    static func loadInputs(_ options: Options, console: LabCommand.Console) -> (scenarios: [Scenario], exploreBase: Scenario)? {
        let (files, problems) = ScenarioFiles.expand([options.directory])
        var scenarios: [Scenario] = []
        for problem in problems { console.err("error: \(problem)\n") }
        for file in files {
            do { scenarios.append(try ScenarioLoader.load(path: file)) } catch {
                for problem in error.problems { console.err("error: \(problem)\n") }
            }
        }
        guard problems.isEmpty, scenarios.count == files.count, let first = scenarios.first else { return nil }
        guard let exploreFile = options.exploreFile else {
            let usual = Path.join(options.directory, "revoked-grant.json")
            return (scenarios, files.firstIndex(of: usual).map { scenarios[$0] } ?? first)
        }
        if FileSystem.kind(atPath: exploreFile) == .folder {
            console.err(syntax.error("--explore needs a scenario file; \(exploreFile) is a directory").message)
            return nil
        }
        do {
            return (scenarios, try ScenarioLoader.load(path: exploreFile))
        } catch {
            for problem in error.problems { console.err("error: \(problem)\n") }
            return nil
        }
    }

    /// The catalogue played `repetitions` times: scenarios/s and transitions/s of the median pass.
    static func benchCatalogue(_ scenarios: [Scenario], repetitions: Int, console: LabCommand.Console) {
        // One untimed play of each scenario first: the figure is the steady rate the explorer and
        // repeated runs see, not the process's one-time costs (the Swift runtime's first scans for
        // each generic type's conformances, the allocator's first growth), which the cold-run
        // figure measures on its own.
        _ = Benchmark.playCatalogue(scenarios, repetitions: 1)
        // Each pass over the catalogue timed apart, and the rates taken from the median pass: a
        // pass takes a couple of milliseconds, and one pause of the machine in a total of thirty
        // moved the figure by a fifth. Every pass plays the same transitions (plays are deterministic).
        var passes: [Double] = []
        var catalogue = (plays: 0, transitions: 0)
        for _ in 0..<repetitions {
            let start = console.monotonicSeconds()
            let pass = Benchmark.playCatalogue(scenarios, repetitions: 1)
            passes.append(console.monotonicSeconds() - start)
            catalogue = (catalogue.plays + pass.plays, catalogue.transitions + pass.transitions)
        }
        let median = passes.sorted()[passes.count / 2]
        let perPass = (plays: catalogue.plays / max(1, repetitions), transitions: catalogue.transitions / max(1, repetitions))
        console.out("catalogue    \(scenarios.count) scenarios x \(repetitions): \(catalogue.plays) plays, \(catalogue.transitions) transitions in \(format(passes.reduce(0, +))) s\n")
        console.out("             \(rate(perPass.plays, median)) scenarios/s, \(rate(perPass.transitions, median)) transitions/s (the median pass), peak memory \(peakMemoryMB()) MB\n")
    }

    /// The exhaustive single plus pair search of one scenario: schedules/s.
    static func benchExploration(_ base: Scenario, console: LabCommand.Console) {
        var options = ExploreOptions()
        options.depth = 2
        // Step points only, so the figure compares with earlier releases; the time dimension is timed apart.
        options.time = false
        let start = console.monotonicSeconds()
        let exhaustive = Explorer.explore(base, options: options)
        let seconds = console.monotonicSeconds() - start
        console.out("exploration  \(base.name), \(base.workflow.steps.count) steps, exhaustive single + pair faults: \(exhaustive.schedules) schedules in \(format(seconds)) s\n")
        console.out("             \(rate(exhaustive.schedules, seconds)) schedules/s, \(rate(exhaustive.transitions, seconds)) transitions/s, peak memory \(peakMemoryMB()) MB\n")
        let timeStart = console.monotonicSeconds()
        let timed = Explorer.explore(base, options: ExploreOptions().onlyTime())
        let timeSeconds = console.monotonicSeconds() - timeStart
        console.out("time         \(base.name), faults at the instants around each call: \(timed.timeSchedules) schedules in \(format(timeSeconds)) s, \(rate(timed.timeSchedules, timeSeconds)) schedules/s\n")
    }

    /// A tenth of the fuzz seeds, then all of them: schedules/s, and memory staying flat.
    static func benchFuzz(_ base: Scenario, seeds: Int, console: LabCommand.Console) {
        for count in [max(1, seeds / 10), seeds] {
            var fuzz = ExploreOptions()
            fuzz.seeds = count
            let start = console.monotonicSeconds()
            let report = Explorer.explore(base, options: fuzz)
            let seconds = console.monotonicSeconds() - start
            console.out("fuzz         \(count) seeds: \(format(seconds)) s, \(rate(report.schedules, seconds)) schedules/s, peak memory \(peakMemoryMB()) MB\n")
        }
    }

    static func rate(_ count: Int, _ seconds: Double) -> Int { Int(Double(count) / max(seconds, 1e-9)) }

    static func format(_ seconds: Double) -> String { Decimal.fixed(seconds, places: 3) }

    /// The process's peak resident memory so far, in MB.
    static func peakMemoryMB() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        // Linux reports kilobytes; macOS reports bytes.
        #if os(Linux)
        return Int(usage.ru_maxrss) / 1024
        #else
        return Int(usage.ru_maxrss) / (1024 * 1024)
        #endif
    }
}

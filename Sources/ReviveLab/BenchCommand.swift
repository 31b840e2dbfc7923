import Foundation
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab bench`: speed and memory, measured on one core.
enum BenchCommand {
    static let usage = """
    Usage: revive-lab bench [DIR] [--repetitions N] [--seeds N] [--explore FILE]

    Measures, on one core (no --jobs), and prints:
      catalogue    every scenario in DIR (default scenarios) played N times (default 20):
                   scenarios/s and transitions/s
      exploration  exhaustive single plus pair faults of FILE (default DIR/revoked-grant.json,
                   a three-step workflow): schedules/s and the time the whole search takes
      fuzz         --seeds N fuzz schedules (default 10000) after a tenth as many: schedules/s,
                   and peak memory after each, to show memory stays flat as seeds grow
    Build with `swift build -c release` first: debug builds are several times slower.

    """

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        var directory = "scenarios"
        var repetitions = 20
        var seeds = 10_000
        var exploreFile: String?
        var cursor = ArgumentCursor(command: "bench", arguments: arguments)
        while let argument = cursor.next() {
            switch argument {
            case "-h", "--help":
                console.out(usage)
                return .passed
            case "--repetitions", "--seeds":
                guard let n = cursor.number(in: 1...10_000_000) else {
                    console.err(cursor.numberMessage(argument, 1...10_000_000))
                    return .usage
                }
                if argument == "--seeds" { seeds = n } else { repetitions = n }
            case "--explore":
                guard let file = cursor.next() else {
                    console.err(cursor.message("--explore needs a scenario file"))
                    return .usage
                }
                exploreFile = file
            default:
                if argument.hasPrefix("-") {
                    console.err(cursor.unknownOption(argument))
                    return .usage
                }
                directory = argument
            }
        }
        let (files, problems) = ScenarioFiles.expand([directory])
        var scenarios: [Scenario] = []
        for problem in problems { console.err("error: \(problem)\n") }
        for file in files {
            do { scenarios.append(try ScenarioLoader.load(path: file)) } catch {
                for problem in error.problems { console.err("error: \(problem)\n") }
            }
        }
        guard problems.isEmpty, scenarios.count == files.count, !scenarios.isEmpty else { return .usage }
        let exploreBase: Scenario
        do {
            exploreBase = try ScenarioLoader.load(path: exploreFile ?? (directory as NSString).appendingPathComponent("revoked-grant.json"))
        } catch {
            for problem in error.problems { console.err("error: \(problem)\n") }
            return .usage
        }
        #if REVIVE_PLANTED_BUGS
        console.out("note: this is a debug build; build with `swift build -c release` for real figures\n")
        #endif

        var start = console.monotonicSeconds()
        let catalogue = Benchmark.playCatalogue(scenarios, repetitions: repetitions)
        var seconds = console.monotonicSeconds() - start
        console.out("catalogue    \(scenarios.count) scenarios x \(repetitions): \(catalogue.plays) plays, \(catalogue.transitions) transitions in \(format(seconds)) s\n")
        console.out("             \(rate(catalogue.plays, seconds)) scenarios/s, \(rate(catalogue.transitions, seconds)) transitions/s, peak memory \(peakMemoryMB()) MB\n")

        var options = ExploreOptions()
        options.depth = 2
        start = console.monotonicSeconds()
        let exhaustive = Explorer.explore(exploreBase, options: options)
        seconds = console.monotonicSeconds() - start
        console.out("exploration  \(exploreBase.name), \(exploreBase.workflow.steps.count) steps, exhaustive single + pair faults: \(exhaustive.schedules) schedules in \(format(seconds)) s\n")
        console.out("             \(rate(exhaustive.schedules, seconds)) schedules/s, \(rate(exhaustive.transitions, seconds)) transitions/s, peak memory \(peakMemoryMB()) MB\n")

        for count in [max(1, seeds / 10), seeds] {
            var fuzz = ExploreOptions()
            fuzz.seeds = count
            start = console.monotonicSeconds()
            let report = Explorer.explore(exploreBase, options: fuzz)
            seconds = console.monotonicSeconds() - start
            console.out("fuzz         \(count) seeds: \(format(seconds)) s, \(rate(report.schedules, seconds)) schedules/s, peak memory \(peakMemoryMB()) MB\n")
        }
        return .passed
    }

    static func rate(_ count: Int, _ seconds: Double) -> Int { Int(Double(count) / max(seconds, 1e-9)) }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

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

import Foundation
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab explore`: search the fault space around a scenario.
enum ExploreCommand {
    static let usage = """
    Usage: revive-lab explore FILE [--depth 1|2] [--seeds N [--seed-from K]] [--liveness]
                              [--attempts N] [--jobs N] [--out DIR]

    Plays many variants of the scenario in FILE and checks every invariant on each:
      exhaustive (default)  every fault kind at every step, point and attempt 1..N (--attempts,
                            default 2), plus wrong-account reconnects; --depth 2 adds every pair
      fuzz (--seeds N)      N random schedules, each derived from one seed only (from --seed-from,
                            default 1): each seed enables a random subset of fault kinds and draws
                            one to four faults (crashes, stalls, lost answers, provider errors of
                            every class) and maybe a reconnect by the wrong account
      --liveness            also heal: the right owner answers every request after 10m, an operator
                            fixes every alert after 30m, a lost worker returns after 5m; then the run
                            must complete, not only stay safe
    Each broken invariant is shrunk to a minimal schedule (fewest faults, earliest points, first
    attempts, shortest stalls), written as a normal scenario file under --out (default repro/),
    and the command that replays it is printed. Results are the same for any --jobs. Every retry
    loop is capped at 20 attempts when the scenario sets no maxAttempts, so a schedule that retries
    forever stays cheap (and a dead grant retried 20 times is still a breach).

    Exit codes: 0 no breach, 1 a breach was found, 2 usage or input error.

    """

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        var options = ExploreOptions()
        var file: String?
        var out = "repro"
        var cursor = ArgumentCursor(command: "explore", arguments: arguments)
        func number(_ flag: String, _ range: ClosedRange<Int>) -> Int? {
            guard let value = cursor.number(in: range) else {
                console.err(cursor.numberMessage(flag, range))
                return nil
            }
            return value
        }
        while let argument = cursor.next() {
            switch argument {
            case "-h", "--help":
                console.out(usage)
                return .passed
            case "--depth": guard let n = number(argument, 1...2) else { return .usage }; options.depth = n
            case "--seeds": guard let n = number(argument, 1...10_000_000) else { return .usage }; options.seeds = n
            case "--seed-from": guard let n = number(argument, 0...Int.max) else { return .usage }; options.seedFrom = UInt64(n)
            case "--attempts": guard let n = number(argument, 1...5) else { return .usage }; options.maxAttempt = n
            case "--jobs": guard let n = number(argument, 1...64) else { return .usage }; options.jobs = n
            case "--liveness": options.liveness = true
            case "--out":
                guard let directory = cursor.next(), !directory.isEmpty else {
                    console.err(cursor.message("--out needs a directory"))
                    return .usage
                }
                out = directory
            #if REVIVE_PLANTED_BUGS
            case "--plant":
                guard let bug = cursor.next().flatMap(PlantedBug.init(rawValue:)) else {
                    console.err(cursor.message("--plant needs one of \(PlantedBug.allCases.map(\.rawValue).joined(separator: ", "))"))
                    return .usage
                }
                options.plantedBugs.insert(bug)
            #endif
            default:
                if argument.hasPrefix("-") {
                    console.err(cursor.unknownOption(argument))
                    return .usage
                }
                guard file == nil else {
                    console.err(cursor.message("explore one scenario file at a time"))
                    return .usage
                }
                file = argument
            }
        }
        guard let file else {
            console.err("revive-lab explore: name a scenario file, like `revive-lab explore scenarios/revoked-grant.json`\n")
            return .usage
        }
        let base: Scenario
        do { base = try ScenarioLoader.load(path: file) } catch {
            for problem in error.problems { console.err("error: \(problem)\n") }
            return .usage
        }
        let mode = options.seeds.map { "fuzz, \($0) seeds from \(options.seedFrom)" } ?? "exhaustive, depth \(options.depth), attempts 1-\(options.maxAttempt)"
        console.out("explore \(base.name) (\(file)): \(mode)\(options.liveness ? ", liveness" : ""), jobs \(options.jobs)\n")
        let showProgress = console.errorIsTerminal
        let started = console.monotonicSeconds()
        let report = Explorer.explore(base, options: options) { done, total in
            if showProgress { console.err("\r  \(done)/\(total) schedules") }
        }
        let seconds = console.monotonicSeconds() - started
        if showProgress { console.err("\r\u{1B}[2K") }
        console.out("  schedules played    \(report.schedules)\n")
        console.out("  distinct timelines  \(report.distinctTimelines)\n")
        console.out("  breaches            \(report.breachingSchedules) schedules, \(report.findings.count) invariants\n")
        console.out("  time taken          \(String(format: "%.2f", seconds)) s (\(Int(Double(report.schedules) / max(seconds, 1e-9))) schedules/s)\n")
        guard !report.findings.isEmpty else {
            console.out("no breach: every invariant held on every schedule\n")
            return .passed
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            console.err("revive-lab explore: cannot create \(out)\n")
            return .usage
        }
        for finding in report.findings {
            let document = Explorer.reproDocument(for: finding, base: base)
            let path = (out as NSString).appendingPathComponent("\(base.name)-repro-\(finding.invariant.rawValue).json")
            FileManager.default.createFile(atPath: path, contents: Data((ScenarioSchema.pretty(document, indent: 0) + "\n").utf8))
            console.out("BREACH \(finding.invariant.rawValue) in \(finding.occurrences) schedules\n")
            console.out("  minimal schedule  \(finding.minimal.summary)\n")
            console.out("  what broke        \(finding.message)\n")
            var flags = ""
            #if REVIVE_PLANTED_BUGS
            flags = options.plantedBugs.map { " --plant \($0.rawValue)" }.sorted().joined()
            #endif
            console.out("  reproduce         revive-lab run \(path)\(flags)\n")
        }
        return .failed
    }
}

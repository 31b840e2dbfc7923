import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab compare`: the same scenario with Revive and without it, side by side.
enum CompareCommand {
    static let usage = """
    Usage: revive-lab compare PATH... [--seed N]

    Plays each scenario twice: with Revive, and with a naive integration in its place (blind
    retries, any reconnect accepted, nothing fenced, no reconciliation, recovery context in the
    worker's memory). Prints, side by side, each invariant held or broken (with how), the
    effects per step, the outcome and the time to recover. The Revive run is judged by the
    scenario's "expect" and the invariants; the baseline by the invariants alone.

    Options:
      --seed N    play with seed N instead of each file's "seed"
      -h, --help  show this help

    Exit codes: 0 every Revive run passed, 1 a Revive run failed, 2 usage or input error.

    """

    /// The command's grammar.
    static let syntax = CommandSyntax(command: "compare", usage: usage, options: [.number("--seed", in: 0...UInt64.max)],
                                      positionals: .oneOrMore(missing: "name at least one scenario file or directory"))

    /// What the command line asked for.
    struct Options {
        var paths: [String]
        var seed: UInt64?
    }

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        let outcome = syntax.options(from: arguments, console: console) { parsed throws(UsageError) in
            Options(paths: parsed.positionals, seed: parsed.number("--seed", as: UInt64.self))
        }
        switch outcome {
        case .done(let code): return code
        case .proceed(let options): return compare(options, console: console)
        }
    }

    /// Plays every scenario both ways and prints the reports.
    static func compare(_ options: Options, console: LabCommand.Console) -> LabCommand.ExitCode {
        let (files, pathProblems) = ScenarioFiles.expand(options.paths)
        var inputError = !pathProblems.isEmpty
        for problem in pathProblems { console.err("error: \(problem)\n") }
        var reviveFailed = false
        var first = true
        for file in files {
            var scenario: Scenario
            do { scenario = try ScenarioLoader.load(path: file) } catch {
                inputError = true
                for problem in error.problems { console.err("error: \(problem)\n") }
                continue
            }
            if let seed = options.seed { scenario.seed = seed }
            let with = ScenarioPlayer.play(scenario, mode: .revive)
            let without = ScenarioPlayer.play(scenario, mode: .withoutRevive)
            if !with.passed { reviveFailed = true }
            console.out((first ? "" : "\n") + report(with: with, without: without))
            first = false
        }
        if inputError { return .usage }
        return reviveFailed ? .failed : .passed
    }

    /// The side-by-side report for one scenario.
    static func report(with: ScenarioResult, without: ScenarioResult) -> String {
        let scenario = with.scenario
        var out = "== \(scenario.name)  (\(scenario.file)), seed \(scenario.seed), \(scenario.runtime.kind.rawValue)\n"
        if !scenario.description.isEmpty { out += "   \(scenario.description)\n" }
        func row(_ label: String, _ left: String, _ right: String) {
            out += "   " + label.padding(24) + " " + left.padding(22) + " " + right + "\n"
        }
        row("", "with Revive", "without Revive")
        row("verdict", with.passed ? "PASS" : "FAIL", without.breaches.isEmpty ? "no breach" : "\(Set(without.breaches.map(\.invariant)).count) broken")
        row("outcome", with.outcome.rawValue, without.outcome.rawValue)
        for effect in with.effects {
            let other = without.effects.first(where: { $0.step == effect.step })?.count ?? 0
            row("effects \(effect.step)", String(effect.count), String(other))
        }
        row("time to recover", recovery(with), recovery(without))
        row("owner asked", String(count(.reconnectRequested, in: with)), String(count(.reconnectRequested, in: without)))
        row("calls on a dead grant", String(deadUses(without: with)), String(deadUses(without: without)))
        // A resumed LangGraph node replays its prefix (format 2): after the rotation, or on the dead grant.
        let replays = (prefixReplay(in: with), prefixReplay(in: without))
        if replays.0 != nil || replays.1 != nil { row("replayed prefix", replays.0 ?? "none", replays.1 ?? "none") }
        for invariant in Invariant.allCases {
            let left = with.breaches.first(where: { $0.invariant == invariant })
            let right = without.breaches.first(where: { $0.invariant == invariant })
            row(invariant.rawValue, left.map { _ in "BROKEN" } ?? "held", right.map { "BROKEN: \($0.message)" } ?? "held")
        }
        if without.breaches.isEmpty {
            out += "   note: the naive baseline broke nothing here; this story does not separate Revive from a naive integration\n"
        }
        return out
    }

    /// From the first failure to the run's completion, or why there was none.
    static func recovery(_ result: ScenarioResult) -> String {
        guard let failure = result.transitions.first(where: { $0.name == .failureClassified }) else { return "no failure" }
        guard let done = result.transitions.first(where: { $0.name == .runCompleted }) else { return "never (\(result.outcome.rawValue))" }
        return done.time.since(failure.time).milliseconds == 0 ? "0ms" : humanSpan(done.time.since(failure.time))
    }

    static func humanSpan(_ span: Span) -> String {
        var ms = span.milliseconds
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where ms >= size {
            parts.append("\(ms / size)\(unit)")
            ms %= size
        }
        if ms > 0 { parts.append("\(ms)ms") }
        return parts.joined(separator: " ")
    }

    /// The first replayed prefix (`replay=prefix`): the generation it carried and how the provider took it.
    static func prefixReplay(in result: ScenarioResult) -> String? {
        let ts = result.transitions
        guard let index = ts.firstIndex(where: { $0.name == .providerCalled && $0.notes.contains(.init("replay", "prefix")) }) else { return nil }
        let call = ts[index]
        let generation = call.generation.map { "gen \($0)" } ?? "no lease"
        let answer = ts[(index + 1)...].first { ($0.name == .providerFailed || $0.name == .effectApplied || $0.name == .stepCompleted)
            && $0.step == call.step && $0.attempt == call.attempt }
        switch answer?.name {
        case .providerFailed?: return "\(generation), " + (answer?.notes.first(where: { $0.name == "error" })?.value ?? "refused")
        case .effectApplied?: return "\(generation), applied"
        default: return "\(generation), answered"
        }
    }

    static func count(_ name: TransitionName, in result: ScenarioResult) -> Int { result.transitions.filter { $0.name == name }.count }

    /// Calls made with a generation already classified a dead grant.
    static func deadUses(without result: ScenarioResult) -> Int {
        result.breaches.filter { $0.invariant == .noDeadRetry && $0.message.contains("dead grant") }.reduce(0) { $0 + $1.evidence.count - 1 }
    }
}

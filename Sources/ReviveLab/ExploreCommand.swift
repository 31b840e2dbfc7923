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

/// `revive-lab explore`: search the fault space around a scenario.
enum ExploreCommand {
    static let usage = """
    Usage: revive-lab explore PATH... [--depth 1|2] [--seeds N [--seed-from K]] [--liveness]
                                 [--attempts N] [--no-time] [--provider-faults] [--jobs N] [--out DIR]
           revive-lab explore PATH... --kill [--kill-at K]

    Plays many variants of each scenario (a directory means every *.json below it, in sorted
    order, one exploration after another) and checks every invariant on each variant:
      exhaustive (default)  every fault kind at every step, point and attempt 1..N (--attempts,
                            default 2), plus wrong-account reconnects; --depth 2 adds every pair.
                            It also strikes single faults at the instants around each call of the
                            fault-free play (its start and middle, just before and after the
                            provider applies it, the caller's deadline and the settle point):
                            crashes, stalls, revokes, lost answers, dropped requests, refreshes
                            elsewhere. --no-time leaves those out
      fuzz (--seeds N)      N random schedules, each derived from one seed only (from --seed-from,
                            default 1): each seed enables a random subset of fault kinds and draws
                            one to four faults (crashes, stalls, lost answers, provider errors of
                            every class) and maybe a reconnect by the wrong account; unless
                            --no-time, it also draws a provider latency for a call (100ms to 2m)
                            and faults at instants around a call
      --provider-faults     also strike the provider's own faults: late-apply (the provider
                            breaking its settle bound, reported as a provider breach, never as
                            the engine's) and lookup-error
      --kill                instead of a fault search, real SIGKILLs: for every engine decision K
                            after the connections' registrations, a child process plays PATH on a
                            fresh SQLite store and kills itself right before and right after
                            decision K's COMMIT; the file must hold exactly what was committed, and
                            a fresh process takes it over and carries the run to its end. A point
                            holds when the committed history of both breaks no invariant, the run
                            ends as it does unkilled, and no case, ledger entry, generation or
                            capability consumption was lost. Prints "N kill points, M held"
      --kill-at K           only decision K (before and after its commit): the repro of a failure
      --liveness            also heal: the right owner answers every request after 10m, an operator
                            fixes every alert (or says, from the provider's records, whether an
                            action happened) after 30m, a lost worker returns after 5m; then a run
                            must not stay parked (one its own retry policy failed is not held
                            against the recovery). The repro file carries the healing as events
    Each broken invariant is shrunk to a minimal schedule (fewest faults, earliest points, first
    attempts, shortest stalls), written as a normal scenario file under --out (default repro/),
    and the command that replays it is printed. Results are the same for any --jobs. Every retry
    loop is capped at 20 attempts when the scenario sets no maxAttempts, so a schedule that retries
    forever stays cheap (and a dead grant retried 20 times is still a breach).

    Options:
      --depth 1|2     1: every single fault (default); 2: every pair too
      --seeds N       fuzz N seeded schedules instead of the exhaustive search
      --seed-from K   the first fuzz seed (default 1)
      --liveness      heal, then require the run to complete
      --attempts N    strike attempts 1 to N (1 to 5, default 2)
      --no-time       leave out the faults at instants around each call
      --jobs N        play on N threads (1 to 64); the report is the same for any N
      --out DIR       where repro files go (default repro/)
      --plant BUG     debug builds only: switch on a planted engine bug, to see it found
      -h, --help      show this help

    Exit codes: 0 no breach, 1 a breach was found, 2 usage or input error.

    """

    /// The command's grammar.
    static let syntax: CommandSyntax = {
        var options: [OptionSpec] = [
            .number("--depth", in: 1...2),
            .number("--seeds", in: 1...10_000_000),
            .number("--seed-from", in: 0...Int.max),
            .number("--attempts", in: 1...5),
            .number("--jobs", in: 1...64),
            .flag("--liveness"),
            .flag("--no-time"),
            .flag("--provider-faults"),
            .flag("--kill"),
            .number("--kill-at", in: 1...1_000_000),
            .value("--out", needs: "a directory"),
        ]
        #if REVIVE_PLANTED_BUGS
        options.append(.choice("--plant", of: PlantedBug.self, repeatable: true))
        #endif
        return CommandSyntax(command: "explore", usage: usage, options: options, positionals: .oneOrMore(
            missing: "name a scenario file or directory, like `revive-lab explore scenarios/revoked-grant.json`"))
    }()

    /// What the command line asked for.
    struct Options {
        var explore = ExploreOptions()
        var paths: [String]
        /// Where repro files go.
        var out: String
        /// Real SIGKILLs at every commit instead of a fault search (`--kill`), or at one (`--kill-at`).
        var kill: Bool
        var killAt: Int?

        init(_ parsed: ParsedArguments) {
            paths = parsed.positionals
            out = parsed.value("--out") ?? "repro"
            killAt = parsed.number("--kill-at")
            kill = parsed.isSet("--kill") || killAt != nil
            if let depth = parsed.number("--depth") { explore.depth = depth }
            if let seeds = parsed.number("--seeds") { explore.seeds = seeds }
            if let seedFrom = parsed.number("--seed-from", as: UInt64.self) { explore.seedFrom = seedFrom }
            if let attempts = parsed.number("--attempts") { explore.maxAttempt = attempts }
            if let jobs = parsed.number("--jobs") { explore.jobs = jobs }
            // The frontend owns the threads; the explorer's search stays pure.
            explore.runChunks = { count, body in Threads.perform(iterations: count, body) }
            if parsed.isSet("--liveness") { explore.liveness = true }
            if parsed.isSet("--no-time") { explore.time = false }
            if parsed.isSet("--provider-faults") { explore.providerFaults = true }
            #if REVIVE_PLANTED_BUGS
            explore.plantedBugs.formUnion(parsed.choices("--plant", as: PlantedBug.self))
            #endif
        }
    }

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, { parsed throws(UsageError) in Options(parsed) }) {
        case .done(let code): return code
        case .proceed(let options): return explore(options, console: console)
        }
    }

    /// Explores every scenario the paths name, one after another.
    static func explore(_ options: Options, console: LabCommand.Console) -> LabCommand.ExitCode {
        let (files, problems) = ScenarioFiles.expand(options.paths)
        var inputError = !problems.isEmpty
        for problem in problems { console.err("error: \(problem)\n") }
        var breached = false
        for (index, file) in files.enumerated() {
            if index > 0 { console.out("\n") }
            switch explore(file, options: options, console: console) {
            case .passed: break
            case .failed: breached = true
            case .usage: inputError = true
            }
        }
        if inputError { return .usage }
        return breached ? .failed : .passed
    }

    /// Explores one scenario, prints what was found and writes a repro file per broken invariant.
    static func explore(_ file: String, options: Options, console: LabCommand.Console) -> LabCommand.ExitCode {
        let base: Scenario
        do { base = try ScenarioLoader.load(path: file) } catch {
            for problem in error.problems { console.err("error: \(problem)\n") }
            return .usage
        }
        if options.kill {
            #if REVIVE_PLANTED_BUGS
            let plants = options.explore.plantedBugs.map(\.rawValue).sorted()
            var base = base
            base.recovery.plantedBugs = options.explore.plantedBugs
            #else
            let plants: [String] = []
            #endif
            return KillProof.run(file, base: base, only: options.killAt, plants: plants, console: console)
        }
        let settings = options.explore
        let mode = settings.seeds.map { "fuzz, \($0) seeds from \(settings.seedFrom)" }
            ?? "exhaustive, depth \(settings.depth), attempts 1-\(settings.maxAttempt)"
        console.out("explore \(base.name) (\(file)): \(mode)\(settings.liveness ? ", liveness" : ""), jobs \(settings.jobs)\n")
        let showProgress = console.errorIsTerminal
        let started = console.monotonicSeconds()
        let report = Explorer.explore(base, options: settings) { done, total in
            if showProgress { console.err("\r  \(done)/\(total) schedules") }
        }
        let seconds = console.monotonicSeconds() - started
        if showProgress { console.err("\r\u{1B}[2K") }
        console.out("  schedules played    \(report.schedules)\(report.timeSchedules > 0 ? " (\(report.schedules - report.timeSchedules) at step points, \(report.timeSchedules) at instants around calls)" : "")\n")
        console.out("  distinct timelines  \(report.distinctTimelines)\n")
        console.out("  breaches            \(report.breachingSchedules) schedules, \(report.findings.count) invariants\n")
        console.out("  time taken          \(Decimal.fixed(seconds, places: 2)) s (\(Int(Double(report.schedules) / max(seconds, 1e-9))) schedules/s)\n")
        guard !report.findings.isEmpty else {
            console.out("no breach: every invariant held on every schedule\n")
            return .passed
        }
        do throws(UsageError) {
            try reportFindings(report.findings, base: base, options: options, console: console)
        } catch {
            console.err(error.message)
            return .usage
        }
        return .failed
    }

    /// Prints each finding and writes its repro file under `--out`, with the command that replays it.
    /// Throws when the directory or a file cannot be written.
    static func reportFindings(_ findings: [ExploreFinding], base: Scenario, options: Options,
                               console: LabCommand.Console) throws(UsageError) {
        guard FileSystem.makeFolder(options.out) == nil else { throw syntax.error("cannot create \(options.out)") }
        var flags = ""
        #if REVIVE_PLANTED_BUGS
        flags = options.explore.plantedBugs.map { " --plant \($0.rawValue)" }.sorted().joined()
        #endif
        for finding in findings {
            console.out("BREACH \(finding.invariant.rawValue) in \(finding.occurrences) schedules\n")
            console.out("  minimal schedule  \(finding.minimal.summary)\n")
            console.out("  what broke        \(finding.message)\n")
            let document = Explorer.reproDocument(for: finding, base: base)
            let path = Path.join(options.out, "\(base.name)-repro-\(finding.invariant.rawValue).json")
            guard FileSystem.write(ScenarioSchema.pretty(document, indent: 0) + "\n", toPath: path) == nil else {
                throw syntax.error("cannot write the repro file \(path); check the path and permissions")
            }
            console.out("  reproduce         revive-lab run \(path)\(flags)\n")
        }
    }
}

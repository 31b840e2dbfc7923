#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveCheck
import ReviveExplore
import ReviveStore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab run`: play scenario files and report them in the chosen format.
enum RunCommand {
    static let usage = """
    Usage: revive-lab run PATH... [--seed N] [--format F] [--output DIR] [--only PATTERN] [--store FILE]
                                  [--quiet] [--without-revive] [--no-color] [--jobs N]

    Plays each scenario file (a directory means every *.json below it, in sorted order) with the
    simulated provider and runtime and the real recovery engine, checks all invariants and the
    file's "expect" block, and ends with "N passed, N failed".

    Options:
      --seed N          play with seed N instead of the file's "seed" (same file + seed = same timeline)
      --format F        text (default), jsonl (one JSON object per transition, plus header and
                        footer records), junit (JUnit XML for CI), mermaid (a sequence diagram)
                        or html (a self-contained page per scenario; several scenarios on
                        standard output make one page with an index); temporal-history or
                        langgraph-history (the run as that runtime records it, as JSON; one
                        scenario, or several with --output)
      --output DIR      write one file per scenario (NAME.txt, .jsonl, .mmd or .html) plus DIR/junit.xml
                        instead of printing timelines; each failure and the summary still go to
                        standard output
      --only PATTERN    show only matching transitions: a name glob (lease.*) or FIELD=GLOB
                        (step=send-briefing, worker=worker-b, class=dead_*); repeat to narrow
      --store FILE|URL  keep the engine's state in the SQLite store FILE (created if missing), or in
                        the PostgreSQL database at URL (postgres://USER@HOST:PORT/DB; the password
                        comes from PGPASSWORD or ~/.pgpass, never the URL), instead of memory: one
                        transaction per engine decision, each play under its own play id with its
                        whole timeline; the timelines are the same as in memory.
                        `revive-lab history --store FILE|URL` searches it. With a store FILE, a
                        store-unavailable play journals in FILE.fallback-journal
      --quiet           print only failing scenarios and the summary
      --jobs N          play on N threads (1 to 64; default one per core, at most 8); the output
                        is the same for any N. With --store the plays go one at a time
      --without-revive  play a naive integration instead of Revive (blind retries, any reconnect
                        accepted, nothing fenced, no reconciliation, context in worker memory);
                        "expect" is not checked, every invariant is: a breach makes it fail
      --no-color        never colour the output (colour is used only on a terminal, never with NO_COLOR)
      --plant BUG       debug builds only: switch on a planted engine bug (to replay an explore repro)
      -h, --help        show this help

    With any format but text on standard output, the summary line goes to standard error so the
    stream stays machine-readable.

    Exit codes: 0 all passed, 1 a scenario failed, 2 usage or input error.

    """

    /// The output formats.
    enum Format: String, CaseIterable {
        case text, jsonl, junit, mermaid, html
        case temporalHistory = "temporal-history", langgraphHistory = "langgraph-history"

        var fileExtension: String {
            switch self {
            case .text: return "txt"
            case .jsonl: return "jsonl"
            case .junit: return "xml"
            case .mermaid: return "mmd"
            case .html: return "html"
            case .temporalHistory, .langgraphHistory: return "json"
            }
        }

        /// The rendering of one result in this format (JUnit renders whole suites instead).
        func render(_ result: ScenarioResult, showing shown: [Int]?, filter: TransitionFilter, color: Bool) -> String {
            switch self {
            case .text, .junit: return TextRenderer(color: color).render(result, showing: shown)
            case .jsonl: return TimelineJSON.lines(for: result, transitions: shown, filter: filter.spellings)
            case .mermaid: return MermaidRenderer.render(result, showing: shown)
            case .html: return HTMLRenderer.render(result, showing: shown)
            case .temporalHistory: return TemporalHistoryExport.render(result)
            case .langgraphHistory: return LangGraphHistoryExport.render(result)
            }
        }
    }

    /// The command's grammar.
    static let syntax: CommandSyntax = {
        var options: [OptionSpec] = [
            .number("--seed", in: 0...UInt64.max),
            .choice("--format", of: Format.self),
            .value("--output", needs: "a directory"),
            .value("--only", needs: "a pattern, like lease.* or step=send-briefing", repeatable: true),
            .value("--store", needs: "a store file"),
            .flag("--quiet", aliases: ["-q"]),
            .flag("--without-revive"),
            .flag("--no-color"),
            .number("--jobs", in: 1...64),
        ]
        #if REVIVE_PLANTED_BUGS
        // Debug builds only: replay an explorer repro against the planted bug it found.
        options.append(.choice("--plant", of: PlantedBug.self, repeatable: true))
        #endif
        return CommandSyntax(command: "run", usage: usage, options: options, positionals: .oneOrMore(
            missing: "name at least one scenario file or directory, like `revive-lab run scenarios`"))
    }()

    /// What the command line asked for.
    struct Options {
        var paths: [String]
        var seed: UInt64?
        var format: Format
        var output: String?
        var filter: TransitionFilter
        var quiet: Bool
        var color: Bool
        var mode: RecoveryMode
        /// The SQLite store file the engine keeps its state in (nil: memory).
        var store: String?
        /// How many threads play ahead of the report (one per core unless `--jobs`).
        var jobs: Int
        #if REVIVE_PLANTED_BUGS
        var plantedBugs: Set<PlantedBug>
        #endif

        init(_ parsed: ParsedArguments, console: LabCommand.Console) throws(UsageError) {
            paths = parsed.positionals
            seed = parsed.number("--seed", as: UInt64.self)
            format = parsed.choice("--format", as: Format.self) ?? .text
            output = parsed.value("--output")
            do { filter = try TransitionFilter(parsed.values("--only")) } catch {
                throw RunCommand.syntax.error("--only: \(error.problems[0].message)")
            }
            quiet = parsed.isSet("--quiet")
            color = console.isTerminal && console.environment["NO_COLOR"] == nil && !parsed.isSet("--no-color")
            mode = parsed.isSet("--without-revive") ? .withoutRevive : .revive
            store = parsed.value("--store")
            jobs = parsed.number("--jobs") ?? min(Threads.processorCount, 8)
            #if REVIVE_PLANTED_BUGS
            plantedBugs = Set(parsed.choices("--plant", as: PlantedBug.self))
            #endif
        }
    }

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, { parsed throws(UsageError) in try Options(parsed, console: console) }) {
        case .done(let code): return code
        case .proceed(let options): return play(options, console: console)
        }
    }

    /// Plays every scenario the options name and reports them.
    static func play(_ options: Options, console: LabCommand.Console) -> LabCommand.ExitCode {
        if let output = options.output {
            guard FileSystem.makeFolder(output) == nil else {
                console.err(syntax.error("cannot create the output directory \(output); check the path and permissions").message)
                return .usage
            }
        }
        var session = RunSession(options: options, console: console)
        if let path = options.store {
            do throws(RecoveryStoreError) {
                session.storeFile = try PlayStores.open(path, libpqPath: console.environment["REVIVE_LIBPQ"])
            } catch {
                console.err("error: --store \(path): \(error)\n")
                return .usage
            }
        }
        let (files, pathProblems) = ScenarioFiles.expand(options.paths)
        if [.temporalHistory, .langgraphHistory].contains(options.format), options.output == nil, files.count > 1 {
            console.err(syntax.error("--format \(options.format.rawValue) writes one JSON document per scenario; with \(files.count) scenarios give --output DIR").message)
            return .usage
        }
        session.inputProblems = pathProblems
        for problem in pathProblems { console.err("error: \(problem)\n") }
        // Plays in memory are independent: threads play ahead while this one reports in file
        // order, so the output is the same for any --jobs. Plays on a store go one at a time,
        // here, each under the next play id.
        let inMemory = session.storeFile == nil
        let prepared = OrderedWork(count: files.count, jobs: options.jobs) { index in
            RunSession.prepare(files[index], options: options, play: inMemory)
        }
        defer { prepared.cancel() }
        for index in files.indices {
            do throws(UsageError) { try session.report(prepared.take(index)) } catch {
                console.err(error.message)
                return .usage
            }
        }
        let code = session.finish()
        // Not freed here, one object at a time, on the way out of the process (see `LastRunResults`).
        LastRunResults.hold(session.results)
        return code
    }
}

/// One `run`: the scenarios played so far, and what has been printed or written.
struct RunSession {
    let options: RunCommand.Options
    let console: LabCommand.Console
    var inputProblems: [InputProblem] = []
    /// Every play's result, for the summary and JUnit; a passed one without its transitions.
    var results: [ScenarioResult] = []
    /// The file names already written under `--output` (a repeated scenario name gets a suffix).
    var writtenNames = Set<String>()
    /// Whether a text timeline has been printed (the next one is set off by a blank line).
    var printedAny = false
    /// The store file plays keep the engine's state and their history in (`--store`).
    var storeFile: PlayStore?
    /// The results to print as one HTML page at the end (`--format html` without `--output`).
    var pages: [(result: ScenarioResult, shown: [Int]?)] = []

    init(options: RunCommand.Options, console: LabCommand.Console) {
        self.options = options
        self.console = console
    }

    /// Reports one prepared scenario file, playing it first on the store when there is one; an
    /// invalid file is reported and counted. Throws when a file under `--output` cannot be written.
    mutating func report(_ prepared: consuming Prepared) throws(UsageError) {
        var result: ScenarioResult
        let shown: [Int]?
        // Taken out of `prepared`, so that this call alone holds the result (see below). A played
        // file's scenario is in its result alone (see `Prepared.scenario`). It needs no check
        // against the format: `prepare` plays only a scenario the format can show (a check here
        // copied the whole scenario out of the result, 900 instructions a file, to find nothing).
        if let played = prepared.result.take() {
            (result, shown) = (played, prepared.shown)
        } else {
            let scenario: Scenario
            switch prepared.scenario?.value {
            case .success(let loaded)?: scenario = loaded
            case .failure(let error)?:
                inputProblems += error.problems
                for problem in error.problems { console.err("error: \(problem)\n") }
                return
            case nil: preconditionFailure("a prepared file holds its scenario or its result")
            }
            if let mismatch = HistoryExport.mismatch(options.format, scenario) { throw RunCommand.syntax.error(mismatch) }
            result = try playOnStore(scenario)
            shown = RunSession.shown(in: result, by: options.filter)
        }
        if let output = options.output {
            if options.format != .junit { try write(result, showing: shown, under: output) }
        } else if !(options.quiet && result.passed) {
            show(result, showing: shown, rendered: prepared.text)
        }
        // A passed play's timeline is not read again (the summary and JUnit need its verdict
        // only), so it is let go here instead of held until the run ends: a run over many long
        // scenarios holds one timeline at a time, not all of them. In place, when nothing else
        // holds the result (an HTML page does): its other fields are not copied.
        if result.passed { result.transitions = [] }
        results.append(result)
    }

    /// Plays one scenario, on the store file when there is one: the play gets its own play id and
    /// its whole timeline is kept with it. A store failure is an input error (exit 2), not a verdict.
    func playOnStore(_ scenario: Scenario) throws(UsageError) -> ScenarioResult {
        guard let storeFile, options.mode == .revive else { return ScenarioPlayer.play(scenario, mode: options.mode) }
        let fail = { (error: RecoveryStoreError) in UsageError(command: "run", text: "--store \(storeFile.location): \(error)") }
        let (store, play): (RecoveryStore, Int64)
        let journal: FallbackJournal?
        do throws(RecoveryStoreError) {
            (store, play) = try storeFile.startPlay(scenario: scenario.name, seed: scenario.seed, mode: options.mode.rawValue)
            journal = try RunSession.journal(beside: storeFile, for: scenario, play: play)
        } catch { throw fail(error) }
        let result = ScenarioPlayer.play(scenario, mode: options.mode, store: store, journal: journal)
        if let failure = result.storeFailure { throw fail(failure) }
        do throws(RecoveryStoreError) {
            try storeFile.recordPlay(play, transitions: result.transitions, outcome: result.outcome.rawValue,
                                     passed: result.passed, jsonl: TimelineJSON.lines(for: result, transitions: nil))
        } catch { throw fail(error) }
        return result
    }

    /// The local fallback's journal of a play with a `store-unavailable` fault on a store file: a
    /// SQLite file beside it, as a real integration keeps it. Nil (in memory) for other plays,
    /// and on PostgreSQL, whose store has no folder to keep a file beside.
    static func journal(beside storeFile: PlayStore, for scenario: Scenario, play: Int64) throws(RecoveryStoreError) -> FallbackJournal? {
        guard let file = storeFile as? SQLiteStoreFile, scenario.faults.contains(where: { $0.kind == .storeUnavailable }) else { return nil }
        // The play was begun just now: the file holds nothing of it that could still be drained.
        return try SQLiteFallbackJournal(path: SQLiteFallbackJournal.path(besideStore: file.path), play: play, freshPlay: true)
    }

    /// Writes one result as a file under `--output`, named after its scenario.
    mutating func write(_ result: ScenarioResult, showing shown: [Int]?, under output: String) throws(UsageError) {
        let scenario = result.scenario
        var name = scenario.name
        var suffix = 2
        while writtenNames.contains(name) { name = "\(scenario.name)-\(suffix)"; suffix += 1 }
        writtenNames.insert(name)
        let text = options.format.render(result, showing: shown, filter: options.filter, color: false)
        try RunSession.write(text, to: Path.join(output, "\(name).\(options.format.fileExtension)"))
    }

    /// Prints one result on standard output in the chosen format.
    /// A text timeline a worker already `rendered` is printed as it is.
    mutating func show(_ result: ScenarioResult, showing shown: [Int]?, rendered: [UInt8]? = nil) {
        switch options.format {
        case .text:
            if printedAny { console.out("\n") }
            if let rendered {
                rendered.withUnsafeBytes { console.write($0) }
            } else {
                // Streamed in pieces: a long run's timeline is never held whole.
                TextRenderer(color: options.color).render(result, showing: shown) { console.out($0) }
            }
            printedAny = true
        case .mermaid:
            console.out((printedAny ? "\n" : "") + options.format.render(result, showing: shown, filter: options.filter, color: options.color))
        case .jsonl:
            console.out(options.format.render(result, showing: shown, filter: options.filter, color: false))
        case .html:
            // One document on standard output, however many scenarios: printed by `finish`.
            pages.append((result, shown))
        case .temporalHistory, .langgraphHistory:
            console.out(options.format.render(result, showing: shown, filter: options.filter, color: false))
        case .junit:
            break
        }
    }

    /// Writes the JUnit report when asked for and the summary line; the exit code.
    func finish() -> LabCommand.ExitCode {
        // Rendered only where it goes: a text run on a terminal never shows it.
        var junit: String { JUnitRenderer.render(results, inputErrors: inputProblems.filter { !$0.file.isEmpty }) }
        if let output = options.output {
            do throws(UsageError) { try RunSession.write(junit, to: Path.join(output, "junit.xml")) } catch {
                console.err(error.message)
                return .usage
            }
        } else if options.format == .junit {
            console.out(junit)
        } else if options.format == .html, let only = pages.first {
            console.out(pages.count == 1 ? HTMLRenderer.render(only.result, showing: only.shown) : HTMLRenderer.renderIndex(pages))
        }
        let failedInputs = Set(inputProblems.map(\.file)).count
        let passed = results.filter(\.passed).count
        let summary = failureLines() + "\(passed) passed, \(results.count - passed + failedInputs) failed\n"
        if options.output == nil && options.format != .text {
            // Standard output holds the machine format, which names each failure in its own way.
            console.err(summary)
        } else {
            console.out((printedAny ? "\n" : "") + summary)
        }
        if failedInputs > 0 { return .usage }
        return passed == results.count ? .passed : .failed
    }

    /// One line per failed scenario, so a run that prints only its summary (under `--output`)
    /// still says which failed and why. Invalid files are named on standard error as they are met.
    func failureLines() -> String {
        var out = ""
        for result in results where !result.passed {
            let reasons = result.failedExpectations + result.breaches.map { "\($0.invariant.rawValue): \($0.message)" }
                + (result.limitReached.map { [$0] } ?? [])
            let more = reasons.count > 1 ? " (and \(reasons.count - 1) more)" : ""
            out += "FAIL \(result.scenario.name) (\(result.scenario.file)): \(reasons.first ?? "failed")\(more)\n"
        }
        return out
    }

    static func write(_ text: String, to path: String) throws(UsageError) {
        guard FileSystem.write(text, toPath: path) == nil else {
            throw RunCommand.syntax.error("cannot write \(path)")
        }
    }
}

import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab check`: the invariant checker over timelines recorded earlier, or written by a
/// real integration that logs the same JSONL.
enum CheckCommand {
    static let usage = """
    Usage: revive-lab check PATH... [--no-color]

    Reads timelines in the lab's JSONL form (as written by `run --format jsonl`, or by a real
    integration logging the same records: one object per line with at least "name" and "timeMs"
    or "time"; "header" and "footer" records are optional) and checks every invariant of the
    recovery contract on each. A directory means every JSONL timeline below it (other files,
    like junit.xml, are skipped by their content). Breaches are printed with the lines that show
    them.

    A record written by the lab carries seq numbers and a digest chain: a deleted, duplicated,
    reordered or altered transition is reported (the first one) instead of a verdict. A record
    without a chain is checked for what can be, and the report says what could not be. A
    record filtered with --only is refused: the invariants need the whole timeline.

    Options:
      --no-color  accepted for symmetry with run (the report is never coloured)
      -h, --help  show this help

    Exit codes: 0 every invariant held, 1 a breach or a damaged record, 2 usage or input error
    (including a filtered record).

    """

    /// The command's grammar: `--no-color` is accepted (the report is never coloured).
    static let syntax = CommandSyntax(command: "check", usage: usage, options: [.flag("--no-color")], positionals: .oneOrMore(
        missing: "name at least one JSONL timeline or folder, like `revive-lab check out/revoked-grant.jsonl`"))

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, { parsed throws(UsageError) in parsed.positionals }) {
        case .done(let code): return code
        case .proceed(let files): return check(files, console: console)
        }
    }

    /// Checks every timeline in the files and folders.
    static func check(_ paths: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        let (files, pathProblems) = TimelineFiles.expand(paths, console: console)
        var inputError = !pathProblems.isEmpty
        for problem in pathProblems { console.err("error: \(problem)\n") }
        var breached = false
        for file in files {
            let timelines: [RecordedTimeline]
            do {
                timelines = try RecordedTimeline.readAll(path: file)
            } catch {
                inputError = true
                for problem in error.problems { console.err("error: \(problem)\n") }
                continue
            }
            for recorded in timelines {
                switch report(recorded, label: recorded.label(in: file, of: timelines.count), console: console) {
                case .passed: break
                case .failed: breached = true
                case .usage: inputError = true
                }
            }
        }
        if inputError { return .usage }
        return breached ? .failed : .passed
    }

    /// Checks one timeline and prints the verdict: passed when every invariant held, failed on a
    /// breach or a damaged record, usage when the record is only part of a run.
    static func report(_ recorded: RecordedTimeline, label: String, console: LabCommand.Console) -> LabCommand.ExitCode {
        let integrity = RecordIntegrity.assess(recorded)
        if let damage = integrity.damage {
            console.out("\(label): the record is damaged, so its invariants were not checked\n")
            console.out("   damage      \(damage)\n")
            return .failed
        }
        if let partial = integrity.partial {
            // The invariants speak of whole runs: "all held" on part of one would be false assurance.
            console.err("error: \(label): \(partial); the invariants need the whole timeline: record it again without --only\n")
            return .usage
        }
        let breaches = InvariantChecker.check(recorded.transitions)
        let vocabulary = recorded.runtime.map(RuntimeVocabulary.init) ?? .neutral
        let renderer = TextRenderer(color: false)
        let checked = Invariant.allCases.count
        let held = checked - Set(breaches.map(\.invariant)).count
        console.out("\(label): \(recorded.transitions.count) transitions, \(held) of \(checked) invariants held\n")
        if let unchecked = integrity.unchecked { console.out("   unchecked   \(unchecked)\n") }
        for breach in breaches {
            console.out("   breach      \(breach.invariant.rawValue): \(breach.message)\n")
            for index in breach.evidence where index < recorded.transitions.count {
                console.out("               line \(recorded.lineNumbers[index]): "
                            + renderer.line(recorded.transitions[index], vocabulary: vocabulary, actorWidth: 9) + "\n")
            }
        }
        let unexpected = reportProviderBreaches(recorded, console: console)
        return breaches.isEmpty && unexpected == 0 ? .passed : .failed
    }

    /// Prints the promises the provider broke (a late apply), apart from the invariants; returns
    /// how many the record's own scenario (`expect.providerBreaches` in the header's source) did
    /// not name, which fail the check as they fail the run.
    static func reportProviderBreaches(_ recorded: RecordedTimeline, console: LabCommand.Console) -> Int {
        var expected = Set<String>()
        if case .array(let names)? = recorded.header?["source"]?["expect"]?["providerBreaches"] {
            for case .string(let name) in names { expected.insert(name) }
        }
        var unexpected = 0
        for breach in InvariantChecker.providerBreaches(recorded.transitions) {
            let named = expected.contains(breach.kind.rawValue)
            if !named { unexpected += 1 }
            console.out("   provider    \(breach.kind.rawValue)\(named ? " (expected)" : ""): \(breach.message)"
                        + (named ? "\n" : "; the provider, not the engine, broke its promise\n"))
        }
        return unexpected
    }
}

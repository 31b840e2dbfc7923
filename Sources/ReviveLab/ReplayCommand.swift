import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab replay`: play a recorded scenario again and find where history diverges.
enum ReplayCommand {
    static let usage = """
    Usage: revive-lab replay PATH...

    Replays a timeline recorded with `run --format jsonl`: the header carries the scenario and
    its seed, so the lab plays exactly that again and compares the new timeline with the record,
    transition by transition. It reports the first transition where they diverge (a changed engine,
    a changed scenario, or an edited record). A plain `run` of the file is a re-run; `replay`
    reproduces history and checks it. A directory means every JSONL timeline below it (other
    files, like junit.xml, are skipped by their content).

    Before replaying, the record's seq numbers and digest chain are checked: a deleted,
    duplicated, reordered or altered transition is reported (the first one). A record filtered
    with --only is replayed through the same filter. A record without a chain is replayed for
    what can be, and the report says what could not be checked.

    Options:
      -h, --help  show this help

    Exit codes: 0 identical, 1 diverged or damaged, 2 usage or input error (no header, bad JSONL).

    """

    /// The command's grammar: no options, one or more recorded timelines.
    static let syntax = CommandSyntax(command: "replay", usage: usage, options: [],
                                      positionals: .oneOrMore(missing: "name at least one recorded JSONL timeline or folder"))

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, { parsed throws(UsageError) in parsed.positionals }) {
        case .done(let code): return code
        case .proceed(let files): return replay(files, console: console)
        }
    }

    /// What replaying some timelines came to.
    struct Tally {
        var inputError = false
        var diverged = false
    }

    /// Replays every timeline in the files and folders and reports each.
    static func replay(_ paths: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        let (files, pathProblems) = TimelineFiles.expand(paths, console: console)
        var tally = Tally(inputError: !pathProblems.isEmpty)
        for problem in pathProblems { console.err("error: \(problem)\n") }
        for file in files {
            let timelines: [RecordedTimeline]
            do { timelines = try RecordedTimeline.readAll(path: file) } catch {
                tally.inputError = true
                for problem in error.problems { console.err("error: \(problem)\n") }
                continue
            }
            for recorded in timelines {
                replay(recorded, label: recorded.label(in: file, of: timelines.count), file: file, tally: &tally, console: console)
            }
        }
        if tally.inputError { return .usage }
        return tally.diverged ? .failed : .passed
    }

    /// Replays one recorded timeline and prints whether history held.
    static func replay(_ recorded: RecordedTimeline, label: String, file: String, tally: inout Tally, console: LabCommand.Console) {
        let integrity = RecordIntegrity.assess(recorded)
        if let damage = integrity.damage {
            tally.diverged = true
            console.out("\(label): the record is damaged, so it was not replayed\n")
            console.out("   damage      \(damage)\n")
            return
        }
        let scenario: Scenario
        let mode: RecoveryMode
        var filter: TransitionFilter?
        do throws(InputError) {
            (scenario, mode) = try recordedScenario(recorded, label: label, file: file)
            if let patterns = integrity.filter { filter = try recordedFilter(patterns, label: label) }
        } catch {
            tally.inputError = true
            for problem in error.problems { console.err("error: \(problem)\n") }
            return
        }
        let replayed = ScenarioPlayer.play(scenario, mode: mode).transitions
        // A whole record must match the replay from its first transition to its last; a filtered
        // one, the replay through the same filter; an older record with gaps, wherever it has seq.
        let expected: [Int]? = integrity.partial != nil && filter == nil ? nil
            : replayed.indices.filter { filter?.matches(replayed[$0]) ?? true }
        if let divergence = firstDivergence(recorded: recorded, replayed: replayed, expected: expected) {
            tally.diverged = true
            console.out("\(label): diverges at transition \(divergence.sequence) (line \(divergence.line))\n")
            console.out("   recorded  \(divergence.recorded)\n")
            console.out("   replayed  \(divergence.replayed)\n")
            return
        }
        let filtered = integrity.filter.flatMap { $0.isEmpty ? nil : " (filtered with --only \($0.joined(separator: " --only ")))" } ?? ""
        console.out("\(label): replayed \(recorded.transitions.count) transitions identically\(filtered)\n")
        if let partial = integrity.partial, integrity.filter == nil {
            console.out("   unchecked   \(partial); its gaps were taken for a filter, so a deleted transition cannot be detected\n")
        }
        if let unchecked = integrity.unchecked { console.out("   unchecked   \(unchecked)\n") }
    }

    /// The `--only` filter a header records.
    static func recordedFilter(_ patterns: [String], label: String) throws(InputError) -> TransitionFilter {
        do { return try TransitionFilter(patterns) } catch {
            throw InputError(file: label, "header.filter: \(error.problems[0].message)")
        }
    }

    /// The scenario, seed and mode a timeline's header records.
    static func recordedScenario(_ recorded: RecordedTimeline, label: String, file: String) throws(InputError) -> (Scenario, RecoveryMode) {
        guard let header = recorded.header, let source = header["source"], let seed = header["seed"]?.integerValue else {
            throw InputError(file: label, "no header record with the scenario's source and seed; record it with `revive-lab run --format jsonl`")
        }
        var scenario = try ScenarioLoader.load(document: source, file: header["file"]?.stringValue ?? file)
        scenario.seed = UInt64(bitPattern: seed)
        return (scenario, header["mode"]?.stringValue.flatMap(RecoveryMode.init) ?? .revive)
    }

    struct Divergence {
        let sequence: Int
        let line: Int
        let recorded: String
        let replayed: String
    }

    /// The first recorded transition that the replay does not reproduce exactly, or a replay that
    /// ends differently. `expected` lists the replayed transitions the record must hold, in order;
    /// nil aligns an older record by its seq alone (its gaps may be a filter it does not name).
    static func firstDivergence(recorded: RecordedTimeline, replayed: [Transition], expected: [Int]?) -> Divergence? {
        func text(_ index: Int) -> String { TimelineJSON.object(for: replayed[index], sequence: index).compactText }
        for (position, transition) in recorded.transitions.enumerated() {
            let sequence = recorded.sequences[position] ?? position
            let line = recorded.lineNumbers[position]
            let written = TimelineJSON.object(for: transition, sequence: sequence).compactText
            if let expected {
                guard position < expected.count else {
                    return Divergence(sequence: sequence, line: line, recorded: written, replayed: "(the replay ended)")
                }
                if expected[position] < sequence {
                    return Divergence(sequence: expected[position], line: line, recorded: "(not in the record)", replayed: text(expected[position]))
                }
            }
            guard sequence < replayed.count else {
                return Divergence(sequence: sequence, line: line, recorded: written, replayed: "(the replay ended)")
            }
            if text(sequence) != written {
                return Divergence(sequence: sequence, line: line, recorded: written, replayed: text(sequence))
            }
            if let expected, expected[position] != sequence {
                return Divergence(sequence: sequence, line: line, recorded: written, replayed: "(left out by the record's filter)")
            }
        }
        if let expected, expected.count > recorded.transitions.count {
            let next = expected[recorded.transitions.count]
            return Divergence(sequence: next, line: (recorded.lineNumbers.last ?? 0) + 1, recorded: "(the record ended)", replayed: text(next))
        }
        return nil
    }
}

import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab replay`: play a recorded scenario again and find where history diverges.
enum ReplayCommand {
    static let usage = """
    Usage: revive-lab replay FILE.jsonl...

    Replays a timeline recorded with `run --format jsonl`: the header carries the scenario and
    its seed, so the lab plays exactly that again and compares the new timeline with the record,
    transition by transition. It reports the first transition where they diverge (a changed engine,
    a changed scenario, or an edited record). A plain `run` of the file is a re-run; `replay`
    reproduces history and checks it.

    Exit codes: 0 identical, 1 diverged, 2 usage or input error (no header, bad JSONL).

    """

    /// The command's grammar: no options, one or more recorded timelines.
    static let syntax = CommandSyntax(command: "replay", usage: usage, options: [],
                                      positionals: .oneOrMore(missing: "name at least one recorded JSONL timeline"))

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

    /// Replays every timeline in the files and reports each.
    static func replay(_ files: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        var tally = Tally()
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
        let scenario: Scenario
        let mode: RecoveryMode
        do throws(InputError) {
            (scenario, mode) = try recordedScenario(recorded, label: label, file: file)
        } catch {
            tally.inputError = true
            for problem in error.problems { console.err("error: \(problem)\n") }
            return
        }
        let replayed = ScenarioPlayer.play(scenario, mode: mode).transitions
        if let divergence = firstDivergence(recorded: recorded, replayed: replayed) {
            tally.diverged = true
            console.out("\(label): diverges at transition \(divergence.sequence) (line \(divergence.line))\n")
            console.out("   recorded  \(divergence.recorded)\n")
            console.out("   replayed  \(divergence.replayed)\n")
        } else {
            console.out("\(label): replayed \(recorded.transitions.count) transitions identically\n")
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

    /// The first recorded transition that the replay does not reproduce exactly, or a replay that ends differently.
    static func firstDivergence(recorded: RecordedTimeline, replayed: [Transition]) -> Divergence? {
        for (position, transition) in recorded.transitions.enumerated() {
            let sequence = recorded.sequences[position] ?? position
            let expected = TimelineJSON.object(for: transition, sequence: sequence).compactText
            guard sequence < replayed.count else {
                return Divergence(sequence: sequence, line: recorded.lineNumbers[position], recorded: expected, replayed: "(the replay ended)")
            }
            let actual = TimelineJSON.object(for: replayed[sequence], sequence: sequence).compactText
            if actual != expected {
                return Divergence(sequence: sequence, line: recorded.lineNumbers[position], recorded: expected, replayed: actual)
            }
        }
        // A complete record (no filtering) must also end where the replay ends.
        let complete = recorded.sequences.enumerated().allSatisfy { ($0.element ?? $0.offset) == $0.offset }
        if complete, replayed.count > recorded.transitions.count {
            let extra = TimelineJSON.object(for: replayed[recorded.transitions.count], sequence: recorded.transitions.count).compactText
            return Divergence(sequence: recorded.transitions.count, line: (recorded.lineNumbers.last ?? 0) + 1,
                              recorded: "(the record ended)", replayed: extra)
        }
        return nil
    }
}

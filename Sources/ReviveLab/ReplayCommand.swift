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

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        if arguments.contains("-h") || arguments.contains("--help") {
            console.out(usage)
            return .passed
        }
        if let option = arguments.first(where: { $0.hasPrefix("-") }) {
            console.err(ArgumentCursor(command: "replay", arguments: arguments).unknownOption(option))
            return .usage
        }
        guard !arguments.isEmpty else {
            console.err("revive-lab replay: name at least one recorded JSONL timeline\n")
            return .usage
        }
        var inputError = false
        var diverged = false
        for file in arguments {
            let timelines: [RecordedTimeline]
            do { timelines = try RecordedTimeline.readAll(path: file) } catch {
                inputError = true
                for problem in error.problems { console.err("error: \(problem)\n") }
                continue
            }
            for recorded in timelines {
                let label = recorded.label(in: file, of: timelines.count)
                var scenario: Scenario
                let mode: RecoveryMode
                do throws(InputError) {
                    guard let header = recorded.header, let source = header["source"],
                          let seed = header["seed"]?.integerValue else {
                        throw InputError(file: label, "no header record with the scenario's source and seed; record it with `revive-lab run --format jsonl`")
                    }
                    scenario = try ScenarioLoader.load(document: source, file: header["file"]?.stringValue ?? file)
                    scenario.seed = UInt64(bitPattern: seed)
                    mode = header["mode"]?.stringValue.flatMap(RecoveryMode.init) ?? .revive
                } catch {
                    inputError = true
                    for problem in error.problems { console.err("error: \(problem)\n") }
                    continue
                }
                let replayed = ScenarioPlayer.play(scenario, mode: mode).transitions
                if let divergence = firstDivergence(recorded: recorded, replayed: replayed) {
                    diverged = true
                    console.out("\(label): diverges at transition \(divergence.sequence) (line \(divergence.line))\n")
                    console.out("   recorded  \(divergence.recorded)\n")
                    console.out("   replayed  \(divergence.replayed)\n")
                } else {
                    console.out("\(label): replayed \(recorded.transitions.count) transitions identically\n")
                }
            }
        }
        if inputError { return .usage }
        return diverged ? .failed : .passed
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

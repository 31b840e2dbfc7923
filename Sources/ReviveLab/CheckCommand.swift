import Foundation
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab check`: the invariant checker over timelines recorded earlier, or written by a
/// real integration that logs the same JSONL.
enum CheckCommand {
    static let usage = """
    Usage: revive-lab check FILE.jsonl... [--no-color]

    Reads timelines in the lab's JSONL form (as written by `run --format jsonl`, or by a real
    integration logging the same records: one object per line with at least "name" and "timeMs"
    or "time"; "header" and "footer" records are optional) and checks every invariant of the
    recovery contract on each. Breaches are printed with the lines that show them.

    Exit codes: 0 every invariant held, 1 a breach, 2 usage or input error.

    """

    /// The command's grammar: `--no-color` is accepted (the report is never coloured).
    static let syntax = CommandSyntax(command: "check", usage: usage, options: [.flag("--no-color")], positionals: .oneOrMore(
        missing: "name at least one JSONL timeline, like `revive-lab check out/revoked-grant.jsonl`"))

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, { parsed throws(UsageError) in parsed.positionals }) {
        case .done(let code): return code
        case .proceed(let files): return check(files, console: console)
        }
    }

    /// Checks every timeline in the files.
    static func check(_ files: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        var inputError = false
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
            for recorded in timelines where !report(recorded, label: recorded.label(in: file, of: timelines.count), console: console) {
                breached = true
            }
        }
        if inputError { return .usage }
        return breached ? .failed : .passed
    }

    /// Checks one timeline and prints the verdict; true when every invariant held.
    static func report(_ recorded: RecordedTimeline, label: String, console: LabCommand.Console) -> Bool {
        let breaches = InvariantChecker.check(recorded.transitions)
        let vocabulary = recorded.runtime.map(RuntimeVocabulary.init) ?? .neutral
        let renderer = TextRenderer(color: false)
        let checked = Invariant.allCases.count
        let held = checked - Set(breaches.map(\.invariant)).count
        console.out("\(label): \(recorded.transitions.count) transitions, \(held) of \(checked) invariants held\n")
        for breach in breaches {
            console.out("   breach      \(breach.invariant.rawValue): \(breach.message)\n")
            for index in breach.evidence where index < recorded.transitions.count {
                console.out("               line \(recorded.lineNumbers[index]): "
                            + renderer.line(recorded.transitions[index], vocabulary: vocabulary, actorWidth: 9) + "\n")
            }
        }
        return breaches.isEmpty
    }
}

/// A timeline read back from JSONL, with the line each transition came from.
struct RecordedTimeline {
    var header: JSONValue?
    var transitions: [Transition] = []
    var lineNumbers: [Int] = []
    /// Each transition's `seq` (its index in the full timeline), when the record has one.
    var sequences: [Int?] = []

    var runtime: RuntimeKind? { header?["runtime"]?.stringValue.flatMap(RuntimeKind.init) }

    /// How to name this timeline in a report: the file, plus the scenario when the file holds several.
    func label(in file: String, of count: Int) -> String {
        guard count > 1 else { return file }
        return "\(file) [\(header?["scenario"]?.stringValue ?? "timeline")]"
    }

    /// The timelines in a JSONL file: a new one starts at every header record (a `run --format
    /// jsonl` stream of several scenarios holds one block per scenario).
    static func readAll(path: String) throws(InputError) -> [RecordedTimeline] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, "cannot read the file; check the path and its permissions")
        }
        var timelines: [RecordedTimeline] = []
        var current = RecordedTimeline()
        var problems: [InputProblem] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let lineLabel = "line \(offset + 1)"
            let value: JSONValue
            do { value = try JSONValue.parse(trimmed) } catch {
                problems.append(InputProblem(file: path, path: lineLabel, message: "not valid JSON at column \(error.column): \(error.message)"))
                continue
            }
            switch value["record"]?.stringValue {
            case "header":
                if current.header != nil || !current.transitions.isEmpty { timelines.append(current) }
                current = RecordedTimeline()
                current.header = value
            case "footer": continue
            case nil, "transition":
                switch TimelineJSON.transition(from: value) {
                case .success(let transition):
                    current.transitions.append(transition)
                    current.lineNumbers.append(offset + 1)
                    current.sequences.append(value["seq"]?.integerValue.map { Int($0) })
                case .failure(let error):
                    problems.append(InputProblem(file: path, path: lineLabel, message: error.message))
                }
            case let other?:
                problems.append(InputProblem(file: path, path: lineLabel, message: "unknown record \"\(other)\"; use header, transition or footer"))
            }
        }
        if current.header != nil || !current.transitions.isEmpty { timelines.append(current) }
        if !problems.isEmpty { throw InputError(problems) }
        if timelines.allSatisfy({ $0.transitions.isEmpty }) { throw InputError(file: path, "no transitions in the file; is it a JSONL timeline?") }
        return timelines.filter { !$0.transitions.isEmpty }
    }
}

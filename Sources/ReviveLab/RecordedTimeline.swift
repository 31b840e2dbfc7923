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

/// A timeline read back from JSONL, with the records as written and the line each came from, so
/// that `check` and `replay` can prove it whole (`RecordIntegrity`) and point at lines.
struct RecordedTimeline {
    var header: JSONValue?
    var headerLine = 0
    var transitions: [Transition] = []
    /// Each transition's record as written (what its digest covers).
    var records: [JSONValue] = []
    var lineNumbers: [Int] = []
    /// Each transition's `seq` (its index in the full timeline), when the record has one.
    var sequences: [Int?] = []
    var footer: JSONValue?
    var footerLine = 0
    /// The first line of a transition written after the footer, if any (a record spliced together).
    var lineAfterFooter: Int?

    var runtime: RuntimeKind? { header?["runtime"]?.stringValue.flatMap(RuntimeKind.init) }

    /// How to name this timeline in a report: the file, plus the scenario when the file holds several.
    func label(in file: String, of count: Int) -> String {
        guard count > 1 else { return file }
        return "\(file) [\(header?["scenario"]?.stringValue ?? "timeline")]"
    }

    /// The timelines in a JSONL file: a new one starts at every header record (a `run --format
    /// jsonl` stream of several scenarios holds one block per scenario). A file of another kind
    /// (a scenario, a report) is one problem that says what it is and what is wanted.
    static func readAll(path: String) throws(InputError) -> [RecordedTimeline] {
        guard let bytes = FileSystem.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the file; check the path and its permissions")
        }
        guard let text = UTF8Text.decode(bytes) else {
            throw InputError(file: path, "not UTF-8 text; \(FileKind.wanted)")
        }
        let kind = FileKind.sniff(text)
        guard kind == .jsonlTimeline else { throw InputError(file: path, kind.notATimeline(path)) }
        return try parse(text, path: path)
    }

    /// `line` without the spaces and tabs at its ends, as Foundation's `.whitespaces` counts them:
    /// the Unicode space separators, the tab and the zero-width space (a space separator in
    /// Unicode's early versions). A line's `\r` stays, and JSON reads it as blank.
    static func trimmingBlanks(_ line: Substring) -> Substring {
        let scalars = line.unicodeScalars
        let blank = { (scalar: Unicode.Scalar) in
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return line[line.endIndex...] }
        let last = scalars.lastIndex(where: { !blank($0) })!
        return Substring(scalars[first...last])
    }

    /// Reads JSONL text; every bad line is a problem naming the line.
    static func parse(_ text: String, path: String) throws(InputError) -> [RecordedTimeline] {
        var timelines: [RecordedTimeline] = []
        var current = RecordedTimeline()
        var problems: [InputProblem] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = trimmingBlanks(line)
            guard !trimmed.isEmpty else { continue }
            let lineLabel = "line \(offset + 1)"
            let value: JSONValue
            do { value = try JSONValue.parse(String(trimmed)) } catch {
                problems.append(InputProblem(file: path, path: lineLabel, message: "not valid JSON at column \(error.column): \(error.message)"))
                continue
            }
            switch value["record"]?.stringValue {
            case "header":
                if current.header != nil || !current.transitions.isEmpty { timelines.append(current) }
                current = RecordedTimeline()
                current.header = value
                current.headerLine = offset + 1
            case "footer":
                if current.footer == nil {
                    current.footer = value
                    current.footerLine = offset + 1
                } else if current.lineAfterFooter == nil {
                    current.lineAfterFooter = offset + 1
                }
            case nil, "transition":
                if let problem = current.append(value, line: offset + 1) {
                    problems.append(InputProblem(file: path, path: lineLabel, message: problem))
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

    /// Adds one transition record; the problem when it is not one.
    mutating func append(_ value: JSONValue, line: Int) -> String? {
        switch TimelineJSON.transition(from: value) {
        case .success(let transition):
            if footer != nil && lineAfterFooter == nil { lineAfterFooter = line }
            transitions.append(transition)
            records.append(value)
            lineNumbers.append(line)
            sequences.append(value["seq"]?.integerValue.map { Int($0) })
            return nil
        case .failure(let error):
            return error.message
        }
    }
}

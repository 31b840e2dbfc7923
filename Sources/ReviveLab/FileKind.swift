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

/// What a file given to a command is, told by its content (never by its name), so that a file of
/// the wrong kind gets one line saying what it is and what is wanted instead of a page of
/// per-line JSON errors, and a folder's other files (junit.xml, HTML reports) can be skipped.
enum FileKind: Equatable {
    case jsonlTimeline, scenario, html, junit, xml, mermaid, textTimeline, json, empty, other

    /// What `check` and `replay` want, for the end of every wrong-kind message.
    static let wanted = "a JSONL timeline is wanted: record one with `revive-lab run SCENARIO --format jsonl > NAME.jsonl` (or `--output DIR`)"

    /// The kind of a file's text.
    static func sniff(_ text: String) -> FileKind {
        let content = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        guard !content.isEmpty else { return .empty }
        let lower = content.prefix(200).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") { return .html }
        if lower.hasPrefix("<?xml") || lower.hasPrefix("<testsuite") { return lower.contains("<testsuite") ? .junit : .xml }
        if lower.hasPrefix("sequencediagram") { return .mermaid }
        if content.hasPrefix("== ") { return .textTimeline }
        let firstLine = content.prefix(while: { $0 != "\n" })
        if let first = try? JSONValue.parse(String(firstLine)) { return kind(ofFirstRecord: first) }
        if let whole = try? JSONValue.parse(String(content)) { return isScenario(whole) ? .scenario : .json }
        return .other
    }

    /// A one-line JSON object: a scenario written on one line, a timeline's first record, or something else.
    static func kind(ofFirstRecord value: JSONValue) -> FileKind {
        if isScenario(value) { return .scenario }
        guard case .object = value else { return .json }
        if let record = value["record"]?.stringValue { return ["header", "transition", "footer"].contains(record) ? .jsonlTimeline : .json }
        return value["name"]?.stringValue != nil ? .jsonlTimeline : .json
    }

    static func isScenario(_ value: JSONValue) -> Bool {
        guard case .object = value else { return false }
        return value["workflow"] != nil || value["connections"] != nil
    }

    /// What this kind is, in words that follow "this is".
    var noun: String {
        switch self {
        case .jsonlTimeline: return "a JSONL timeline"
        case .scenario: return "a scenario file"
        case .html: return "an HTML report (run --format html)"
        case .junit: return "a JUnit XML report (run --output writes one as junit.xml)"
        case .xml: return "an XML document"
        case .mermaid: return "a Mermaid diagram (run --format mermaid)"
        case .textTimeline: return "a text timeline (run --format text)"
        case .json: return "a JSON document but not a JSONL timeline (one object per line, each with a \"name\")"
        case .empty: return "an empty file"
        case .other: return "not JSON"
        }
    }

    /// The one line for a file that is not a timeline, for `check` and `replay`.
    func notATimeline(_ path: String) -> String {
        if self == .scenario {
            return "this is a scenario file, not a JSONL timeline; record its timeline with `revive-lab run \(path) --format jsonl > NAME.jsonl` and give that"
        }
        return "this is \(noun); \(FileKind.wanted)"
    }

    /// The one line for a file that is not a scenario, for `run`, `validate`, `compare` and `explore`.
    func notAScenario() -> String? {
        switch self {
        case .jsonlTimeline: return "this is a JSONL timeline, not a scenario file; replay it with `revive-lab replay FILE` or check it with `revive-lab check FILE`"
        case .html, .junit, .xml, .mermaid, .textTimeline:
            return "this is \(noun), not a scenario file; a scenario is a JSON document like scenarios/revoked-grant.json"
        case .scenario, .json, .empty, .other: return nil
        }
    }
}

/// Expands the paths given to `check` and `replay`: a file as given, a directory as every file
/// below it (sorted) that is a JSONL timeline by its content; the others are skipped with a note.
enum TimelineFiles {
    static func expand(_ paths: [String], console: LabCommand.Console) -> (files: [String], problems: [InputProblem]) {
        PathArguments.expand(paths) { directory in
            var kept: [String] = []
            for file in regularFiles(below: directory) {
                let kind = FileSystem.contents(atPath: file).flatMap(UTF8Text.decode).map(FileKind.sniff) ?? .other
                guard kind == .jsonlTimeline else {
                    console.err("note: \(file): skipped, \(kind.noun)\n")
                    continue
                }
                kept.append(file)
            }
            return (kept, kept.isEmpty ? "the directory holds no JSONL timelines; \(FileKind.wanted)" : nil)
        }
    }

    /// Every regular, non-hidden file below a directory, sorted.
    static func regularFiles(below directory: String) -> [String] {
        PathArguments.files(below: directory) { !$0.hasPrefix(".") }
    }
}

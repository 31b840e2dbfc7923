import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// What a recorded timeline proves about itself before `check` judges it or `replay` plays it:
/// whether it is whole, the first record that was deleted, duplicated, reordered or altered, and,
/// for a record without a digest chain (older, or another tool's), what could not be checked.
struct RecordIntegrity {
    /// The first change found, naming its `seq` and line; nil when none was found.
    var damage: String?
    /// The `--only` patterns the header records: empty for a whole record, nil when the record does not say.
    var filter: [String]?
    /// Why the transitions are only part of the run (filtered, or gaps an older record cannot explain); nil when whole.
    var partial: String?
    /// What could not be checked, for a record without a chain or without `seq`.
    var unchecked: String?

    /// Assesses one recorded timeline.
    static func assess(_ recorded: RecordedTimeline) -> RecordIntegrity {
        if let header = recorded.header, header["chain"]?.stringValue == RecordChain.algorithm {
            return chained(recorded, header: header)
        }
        return unchained(recorded)
    }

    /// Where a transition is, for messages: `transition seq 17 (line 19)`.
    static func place(_ recorded: RecordedTimeline, _ index: Int) -> String {
        let seq = recorded.sequences[index].map { "seq \($0)" } ?? "without seq"
        return "transition \(seq) (line \(recorded.lineNumbers[index]))"
    }

    /// A record written with a chain: every link, `seq` continuity and the footer are checked.
    static func chained(_ recorded: RecordedTimeline, header: JSONValue) -> RecordIntegrity {
        var result = RecordIntegrity()
        var filter: [String] = []
        if case .array(let patterns)? = header["filter"] { filter = patterns.compactMap(\.stringValue) }
        result.filter = filter
        guard header["digest"]?.stringValue == RecordChain.link(after: "", header) else {
            result.damage = "the header (line \(recorded.headerLine)) was altered: its digest does not match its content (seed, filter or source)"
            return result
        }
        if let damage = sequenceDamage(recorded, whole: filter.isEmpty) {
            result.damage = damage
            return result
        }
        var previous = RecordChain.link(after: "", header)
        for (index, record) in recorded.records.enumerated() {
            guard let digest = record["digest"]?.stringValue else {
                result.damage = "\(place(recorded, index)) has no digest, though its header starts a chain"
                return result
            }
            if digest != RecordChain.link(after: previous, record) {
                result.damage = filter.isEmpty ? "\(place(recorded, index)) was altered: its digest does not match its content"
                    : "\(place(recorded, index)) does not follow from the record before it: it was altered, or a transition before it was deleted"
                return result
            }
            previous = digest
        }
        result.damage = footerDamage(recorded, after: previous, whole: filter.isEmpty)
        let total = recorded.footer?["transitions"]?.integerValue.map { Int($0) } ?? recorded.transitions.count
        let complete = recorded.sequences.enumerated().allSatisfy { $0.element == $0.offset } && recorded.transitions.count == total
        if !filter.isEmpty && !complete {
            result.partial = "the record was filtered with --only \(filter.joined(separator: " --only ")) "
                + "(\(recorded.transitions.count) of \(total) transitions)"
        }
        return result
    }

    /// The footer must close the chain; a whole record must end at the footer's last `seq`.
    static func footerDamage(_ recorded: RecordedTimeline, after previous: String, whole: Bool) -> String? {
        let lastLine = recorded.lineNumbers.last ?? recorded.headerLine
        guard let footer = recorded.footer else {
            return "the record ends at line \(lastLine) without its footer: transitions after seq \(recorded.sequences.last.flatMap { $0 } ?? 0) may have been cut off"
        }
        if let line = recorded.lineAfterFooter {
            return "line \(line) comes after the footer (line \(recorded.footerLine)): records were added or moved"
        }
        if whole, let total = footer["transitions"]?.integerValue.map({ Int($0) }), let last = recorded.sequences.last.flatMap({ $0 }), last < total - 1 {
            let missing = last + 1 == total - 1 ? "transition seq \(last + 1) was" : "transitions seq \(last + 1) to \(total - 1) were"
            return "\(missing) deleted from the end (the footer, line \(recorded.footerLine), counts \(total))"
        }
        guard footer["digest"]?.stringValue == RecordChain.link(after: previous, footer) else {
            return "the footer (line \(recorded.footerLine)) does not follow from the record before it: it was altered, or a transition before it was deleted"
        }
        return nil
    }

    /// A record without a chain: duplicates and reordering by `seq` when it has one; gaps and
    /// alterations cannot be told apart from a filter or detected, and the result says so.
    static func unchained(_ recorded: RecordedTimeline) -> RecordIntegrity {
        var result = RecordIntegrity()
        if let index = recorded.records.firstIndex(where: { $0["digest"] != nil }) {
            result.damage = recorded.header == nil
                ? "\(place(recorded, index)) carries a digest, but the record has no header: it was deleted"
                : "\(place(recorded, index)) carries a digest, but the header (line \(recorded.headerLine)) starts no chain: the header was altered"
            return result
        }
        guard recorded.sequences.allSatisfy({ $0 != nil }) else {
            result.unchecked = "no seq and no digest chain (another tool's log, or an older record): "
                + "a deleted, duplicated, reordered or altered transition cannot be detected"
            return result
        }
        result.damage = sequenceDamage(recorded, whole: false)
        result.unchecked = "no digest chain (an older record, or another tool's): an altered transition, "
            + "or one cut off at the end, cannot be detected"
        if let gap = recorded.sequences.indices.first(where: { (recorded.sequences[$0] ?? 0) != $0 }) {
            let from = gap == 0 ? "starts at seq \(recorded.sequences[0] ?? 0)" : "jumps from seq \(recorded.sequences[gap - 1] ?? 0) to \(recorded.sequences[gap] ?? 0) at line \(recorded.lineNumbers[gap])"
            result.partial = "the record \(from): it was filtered with --only, or transitions were deleted, and its header (an older one) does not say which"
        }
        return result
    }

    /// The first duplicated, reordered or (in a whole record) deleted transition by `seq`.
    static func sequenceDamage(_ recorded: RecordedTimeline, whole: Bool) -> String? {
        var seen: [Int: Int] = [:]
        var expected = 0
        for index in recorded.records.indices {
            guard let seq = recorded.sequences[index] else { return "the transition at line \(recorded.lineNumbers[index]) has no seq" }
            if let earlier = seen[seq] {
                return recorded.records[earlier] == recorded.records[index]
                    ? "\(place(recorded, index)) is a duplicate of line \(recorded.lineNumbers[earlier])"
                    : "seq \(seq) appears twice, at lines \(recorded.lineNumbers[earlier]) and \(recorded.lineNumbers[index])"
            }
            if index > 0, let previous = recorded.sequences[index - 1], seq < previous {
                return "\(place(recorded, index)) is out of order: it comes after seq \(previous)"
            }
            if whole && seq > expected {
                if index + 1 < recorded.records.count, recorded.sequences[index + 1] == expected {
                    return "\(place(recorded, index)) is out of order: it comes before seq \(expected) (line \(recorded.lineNumbers[index + 1]))"
                }
                if let moved = recorded.sequences.indices.first(where: { $0 > index && (expected..<seq).contains(recorded.sequences[$0] ?? -1) }) {
                    return "\(place(recorded, moved)) is out of order: it belongs before line \(recorded.lineNumbers[index])"
                }
                let missing = seq - expected == 1 ? "transition seq \(expected) was" : "transitions seq \(expected) to \(seq - 1) were"
                return "\(missing) deleted (before line \(recorded.lineNumbers[index]))"
            }
            seen[seq] = index
            expected = seq + 1
        }
        return nil
    }
}

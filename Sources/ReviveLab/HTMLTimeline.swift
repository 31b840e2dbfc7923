import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The timeline as compact swim lanes: one thin row per transition, placed in its party's lane
/// and running on to the right edge (the lanes after it are empty anyway), and every run of a
/// repeated pattern (hourly reminders, retries) folded into one expandable row with its count.
enum HTMLTimeline {
    /// A pattern must repeat at least this often to be folded: twice is still worth reading.
    static let minimumRepeats = 3
    /// The longest pattern looked for (a reminder cycle is a few transitions).
    static let longestPattern = 8

    static func render(_ result: ScenarioResult, showing indices: [Int], anchor: String) -> String {
        let vocabulary = RuntimeVocabulary(result.scenario.runtime.kind)
        var lanes = ["provider", "revive", "runtime"] + result.scenario.runtime.workers.map(\.rawValue)
        for t in result.transitions where !lanes.contains(t.actor.rawValue) { lanes.append(t.actor.rawValue) }
        var out = "<h2 id=\"\(anchor)-timeline\">Timeline</h2>\n"
        out += "<div class=\"lanes\" style=\"--lanes:\(lanes.count)\">\n<div class=\"lh\"><span>time</span>"
        out += lanes.map { "<span>\(HTMLRenderer.escape($0))</span>" }.joined() + "</div>\n"
        func row(_ index: Int) -> String {
            let t = result.transitions[index]
            let lane = (lanes.firstIndex(of: t.actor.rawValue) ?? 0) + 2
            let facts = HTMLRenderer.escape(HTMLRenderer.facts(t, vocabulary: vocabulary))
            return "<div class=\"row\" id=\"\(anchor)-t\(index)\"><span class=\"time\">\(DurationText.clock(t.time))</span>"
                + "<span class=\"ev \(HTMLRenderer.category(t.name))\" style=\"grid-column-start:\(lane)\" title=\"\(facts)\">"
                + "<span class=\"n\">\(HTMLRenderer.escape(t.name.rawValue))</span><span class=\"f\">\(facts)</span></span></div>\n"
        }
        for group in groups(indices, in: result.transitions) {
            guard group.repeats > 1 else {
                out += group.indices.map(row).joined()
                continue
            }
            let first = result.transitions[group.indices[0]], last = result.transitions[group.indices[group.indices.count - 1]]
            let pattern = group.indices.prefix(group.indices.count / group.repeats).map { result.transitions[$0].name.rawValue }
            out += "<details class=\"fold\"><summary><span class=\"time\">\(DurationText.clock(first.time))</span>"
            out += "<span class=\"ev\">\(HTMLRenderer.escape(pattern.joined(separator: " → "))) × \(group.repeats) "
            out += "(\(group.indices.count) transitions to \(DurationText.clock(last.time)); click to show)</span></summary>\n"
            out += group.indices.map(row).joined() + "</details>\n"
        }
        return out + "</div>\n"
    }

    /// A run of shown transitions: one transition (`repeats` 1), or a pattern repeated `repeats` times.
    struct Group: Equatable {
        var indices: [Int]
        var repeats: Int
    }

    /// Splits the shown transitions into single rows and folded repeats. Transitions repeat when
    /// the same party records the same name for the same step; a pattern may be up to
    /// `longestPattern` long, and the one that covers the most transitions wins.
    static func groups(_ indices: [Int], in transitions: [Transition]) -> [Group] {
        let keys = indices.map { "\(transitions[$0].actor.rawValue) \(transitions[$0].name.rawValue) \(transitions[$0].step ?? "")" }
        var groups: [Group] = []
        var start = 0
        while start < keys.count {
            var best = (length: 1, repeats: 1)
            for length in 1...longestPattern where start + length * minimumRepeats <= keys.count {
                var repeats = 1
                while start + (repeats + 1) * length <= keys.count,
                      keys[(start + repeats * length)..<(start + (repeats + 1) * length)] == keys[start..<(start + length)] {
                    repeats += 1
                }
                if repeats >= minimumRepeats && length * repeats > best.length * best.repeats { best = (length, repeats) }
            }
            let covered = best.length * best.repeats
            groups.append(Group(indices: Array(indices[start..<(start + covered)]), repeats: best.repeats))
            start += covered
        }
        return groups
    }
}

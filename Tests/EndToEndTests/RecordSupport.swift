import Foundation
import Testing
import Revive
import ReviveLab

/// Helpers for damaging and forging recorded JSONL timelines.
extension Formats {
    /// The record without the given members.
    static func without(_ keys: Set<String>, in record: JSONValue) -> JSONValue {
        guard case .object(let members) = record else { return record }
        return .object(members.filter { !keys.contains($0.key) })
    }

    /// What a forger does after editing a record: number the transitions of each block 0, 1, 2 …,
    /// count them in the footer and compute the digest chain again. The chain has no key, so
    /// the result passes as whole: `check` and `replay` then judge it on its content. A filtered
    /// record keeps its numbers (`renumber: false`).
    static func forged(_ lines: [String], renumber: Bool = true) throws -> [String] {
        var out: [String] = []
        var previous = ""
        var seq = 0
        for line in lines {
            var record = try JSONValue.parse(line)
            guard case .object(var members) = record else { continue }
            switch record["record"]?.stringValue {
            case "header":
                previous = ""
                seq = 0
            case "transition" where renumber:
                members = members.map { $0.key == "seq" ? ("seq", .integer(Int64(seq))) : $0 }
                seq += 1
            case "footer" where renumber:
                members = members.map { $0.key == "transitions" ? ("transitions", .integer(Int64(seq))) : $0 }
            default: break
            }
            record = .object(members)
            let (sealed, digest) = RecordChain.seal(record, after: previous)
            previous = digest
            out.append(sealed.compactText)
        }
        return out
    }

    /// The transition records alone, as another tool might log them: without `record`, `seq`,
    /// `time` and `digest`, and without header and footer.
    static func foreignLog(_ lines: [String]) throws -> [String] {
        try lines.compactMap { line in
            let value = try JSONValue.parse(line)
            guard value["record"]?.stringValue == "transition" else { return nil }
            return without(["record", "seq", "time", "digest"], in: value).compactText
        }
    }
}

import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `--only PATTERN`: which transitions to show. `lease.*` matches names; `step=send-briefing`,
/// `worker=worker-b`, `class=dead_*` match a fact. `*` is the only wildcard. Several patterns
/// must all match.
public struct TransitionFilter: Sendable {
    private let patterns: [(field: String?, glob: String)]
    /// The patterns as given on the command line, in order (a JSONL header records them).
    public let spellings: [String]

    /// The fields a pattern may name.
    public static let fields = ["name", "actor", "run", "worker", "step", "attempt", "conn", "connection", "gen", "generation",
                                "lease", "case", "key", "class", "cap", "capability", "subject", "tenant", "checkpoint", "result", "reason"]

    /// Parses the patterns; throws a usage message for an unknown field.
    public init(_ raw: [String]) throws(InputError) {
        var parsed: [(String?, String)] = []
        for pattern in raw {
            if let equals = pattern.firstIndex(of: "=") {
                let field = String(pattern[..<equals])
                guard TransitionFilter.fields.contains(field) else {
                    throw InputError(file: "--only", "\"\(field)\" is not a field; use one of \(TransitionFilter.fields.joined(separator: ", ")), or a name pattern like lease.*")
                }
                parsed.append((field, String(pattern[pattern.index(after: equals)...])))
            } else {
                parsed.append((nil, pattern))
            }
        }
        patterns = parsed
        spellings = raw
    }

    /// Whether nothing is filtered.
    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether a transition is shown.
    public func matches(_ t: Transition) -> Bool {
        patterns.allSatisfy { pattern in
            guard let value = TransitionFilter.value(of: pattern.field ?? "name", in: t) else { return false }
            return TransitionFilter.glob(pattern.glob, matches: value)
        }
    }

    static func value(of field: String, in t: Transition) -> String? {
        switch field {
        case "name": return t.name.rawValue
        case "actor": return t.actor.rawValue
        case "run": return t.run
        case "worker":
            if let worker = t.worker { return worker }
            if case .worker(let actor) = t.actor { return actor.rawValue }
            return nil
        case "step": return t.step
        case "attempt": return t.attempt.map(String.init)
        case "conn", "connection": return t.connection
        case "gen", "generation": return t.generation.map(String.init)
        case "lease": return t.lease
        case "case": return t.caseID
        case "key": return t.key
        case "class": return t.failureClass?.rawValue
        case "cap", "capability": return t.capability
        case "subject": return t.subject
        case "tenant": return t.tenant
        case "checkpoint": return t.checkpoint
        case "result": return t.result
        case "reason": return t.reason
        default: return nil
        }
    }

    /// `*` matches any run of characters; everything else matches itself.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), s = Array(text)
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count && p[pi] != "*" && p[pi] == s[si] {
                pi += 1; si += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = si; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

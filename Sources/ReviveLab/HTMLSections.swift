import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The report's reference sections, each reachable from the summary: the invariants, the
/// recovery cases, the lease generations and the action ledger.
enum HTMLSections {
    /// A section's heading and its table's opening through the header row; the rows and `</table>` follow.
    static func tableHead(_ title: String, id: String, columns: [String]) -> String {
        "<h2 id=\"\(id)\">\(title)</h2>\n<table><tr>" + columns.map { "<th>\(HTMLRenderer.escape($0))</th>" }.joined() + "</tr>\n"
    }

    static func invariants(_ result: ScenarioResult, anchor: String) -> String {
        var out = tableHead("Invariants", id: "\(anchor)-invariants", columns: ["invariant", "rule", "held"])
        let broken = Set(result.breaches.map(\.invariant))
        for invariant in result.checkedInvariants {
            let ok = !broken.contains(invariant)
            out += "<tr><td>\(invariant.rawValue)</td><td>\(HTMLRenderer.escape(invariant.rule))</td><td class=\"\(ok ? "ok" : "broken")\">\(ok ? "held" : "BROKEN")</td></tr>\n"
        }
        out += "</table>\n"
        for breach in result.breaches {
            let evidence = breach.evidence.map { "<a href=\"#\(anchor)-t\($0)\">\(result.transitions.indices.contains($0) ? result.transitions[$0].name.rawValue : "#\($0)")</a>" }
            out += "<p class=\"broken\">\(breach.invariant.rawValue): \(HTMLRenderer.escape(breach.message)) (\(evidence.joined(separator: ", ")))</p>\n"
        }
        return out
    }

    static func cases(_ result: ScenarioResult, anchor: String) -> String {
        let opened = result.transitions.indices.filter { result.transitions[$0].name == .caseOpened }
        guard !opened.isEmpty else { return "<h2 id=\"\(anchor)-cases\">Recovery cases</h2>\n<p>No recovery case was opened.</p>\n" }
        var out = tableHead("Recovery cases", id: "\(anchor)-cases", columns: ["case", "connection", "pinned identity", "class", "checkpoint",
                                                                              "action key", "rejected generation", "opened", "ended"])
        for index in opened {
            let t = result.transitions[index]
            let end = result.transitions.first(where: { ($0.name == .caseClosed || $0.name == .caseEscalated) && $0.caseID == t.caseID })
            let ended = end.map { "\($0.name) \(DurationText.clock($0.time))" } ?? "open"
            out += "<tr><td><a href=\"#\(anchor)-t\(index)\">\(HTMLRenderer.escape(t.caseID ?? ""))</a></td><td>\(HTMLRenderer.escape(t.connection ?? ""))</td>"
            out += "<td>\(HTMLRenderer.escape((t.subject ?? "") + "@" + (t.tenant ?? "")))</td>"
            out += "<td>\(HTMLRenderer.escape(t.failureClass?.rawValue ?? ""))</td><td>\(HTMLRenderer.escape(t.checkpoint ?? "-"))</td><td>\(HTMLRenderer.escape(t.key ?? "-"))</td>"
            out += "<td>\(t.generation.map(String.init) ?? "-")</td><td>\(DurationText.clock(t.time)) by \(HTMLRenderer.escape(t.worker ?? "?"))</td><td>\(HTMLRenderer.escape(ended))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    static func generations(_ result: ScenarioResult, anchor: String) -> String {
        let connections = result.scenario.connections.map(\.id.rawValue)
        var out = tableHead("Lease generations", id: "\(anchor)-leases", columns: ["connection", "history", "fenced calls"])
        for connection in connections {
            var history = ["1 at +00:00:00.000"]
            for t in result.transitions where t.name == .leaseRotated && t.connection == connection {
                history.append("\(t.generation.map(String.init) ?? "?") at \(DurationText.clock(t.time)) (\(t.reason ?? "rotated"))")
            }
            let fenced = result.transitions.filter { $0.name == .leaseFenced && $0.connection == connection }.count
            out += "<tr><td>\(HTMLRenderer.escape(connection))</td><td>\(HTMLRenderer.escape(history.joined(separator: " → ")))</td><td>\(fenced)</td></tr>\n"
        }
        return out + "</table>\n"
    }

    static func ledger(_ result: ScenarioResult, anchor: String) -> String {
        var keys: [String] = []
        for t in result.transitions where isLedgerEntry(t) {
            if let key = t.key, !keys.contains(key) { keys.append(key) }
        }
        guard !keys.isEmpty else { return "<h2 id=\"\(anchor)-ledger\">Action ledger</h2>\n<p>No mutation was recorded.</p>\n" }
        var out = tableHead("Action ledger", id: "\(anchor)-ledger", columns: ["idempotency key", "states (and effects at the provider)"])
        for key in keys {
            let states = result.transitions.filter { isLedgerEntry($0) && $0.key == key }.map { t -> String in
                let state = t.name == .effectApplied ? "EFFECT" : String(t.name.rawValue.dropFirst("action.".count)) + (t.result.map { "(\($0))" } ?? "")
                return "\(state) \(DurationText.clock(t.time))"
            }
            out += "<tr><td>\(HTMLRenderer.escape(key))</td><td>\(HTMLRenderer.escape(states.joined(separator: " → ")))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// A transition the action ledger shows: a state of an action, or its effect reaching the provider.
    static func isLedgerEntry(_ t: Transition) -> Bool { t.name.family == "action" || t.name == .effectApplied }
}

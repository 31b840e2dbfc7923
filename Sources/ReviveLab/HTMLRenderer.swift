import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Renders one scenario result as a self-contained HTML page (no network, no external assets):
/// the timeline as swim lanes per party, the recovery cases, the lease generations, the action
/// ledger and the verdict.
public enum HTMLRenderer {
    /// The page for one result (optionally only some transitions in the swim lanes).
    public static func render(_ result: ScenarioResult, showing shown: [Int]? = nil) -> String {
        var page = pageHead(title: result.scenario.name) + summary(result) + cards(result)
        page += verdictSection(result)
        page += timelineSection(result, showing: shown ?? Array(result.transitions.indices))
        page += casesSection(result) + generationsSection(result) + ledgerSection(result)
        page += "</body></html>\n"
        return page
    }

    /// Everything before the body's content; the style is inline so the page needs nothing else.
    static func pageHead(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>\(escape(title)) · revive-lab</title>
        <style>
        \(style)
        </style></head><body>

        """
    }

    static let style = """
        body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
        .meta{color:#5b6475}.story{max-width:900px}
        .verdict{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:700;color:#fff}
        .pass{background:#1f883d}.fail{background:#cf222e}
        .cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:12px}
        .card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:8px 12px;min-width:150px}
        .card b{display:block;font-size:12px;color:#5b6475;font-weight:600}
        table{border-collapse:collapse;background:#fff}td,th{border:1px solid #e3e7eb;padding:4px 6px;vertical-align:top}
        th{background:#f3f5f7;font-size:12px;position:sticky;top:0}
        .lanes td{min-width:110px;font-size:12px}.time{font-family:ui-monospace,Menlo,monospace;white-space:nowrap;color:#5b6475}
        .ev{border-radius:6px;padding:3px 6px;background:#eef2f7}.ev .n{font-weight:700;font-family:ui-monospace,Menlo,monospace}
        .ev .f{color:#4a5363;overflow-wrap:anywhere}
        .good{background:#dafbe1}.bad{background:#ffebe9}.warn{background:#fff8c5}.fault{background:#fbefff}
        .ok{color:#1f883d;font-weight:700}.broken{color:#cf222e;font-weight:700}
        """

    /// The title with the verdict badge, the scenario's file, seed, runtime and workers, and its story.
    static func summary(_ result: ScenarioResult) -> String {
        let scenario = result.scenario
        let vocabulary = RuntimeVocabulary(scenario.runtime.kind)
        return """
            <h1>\(escape(scenario.name)) <span class="verdict \(result.passed ? "pass" : "fail")">\(result.passed ? "PASS" : "FAIL")</span></h1>
            <div class="meta">\(escape(scenario.file)) · seed \(scenario.seed) · runtime \(scenario.runtime.kind.rawValue) (\(escape(vocabulary.summary))) · workers \(escape(scenario.runtime.workers.map(\.rawValue).joined(separator: ", ")))</div>
            <p class="story">\(escape(scenario.description))</p>

            """
    }

    /// The four headline numbers: outcome, first class, effects at the provider, invariants held.
    static func cards(_ result: ScenarioResult) -> String {
        let expected = result.scenario.expect.outcome.map { " (expected \($0.rawValue))" } ?? ""
        let effects = result.effects.map { "\($0.step) × \($0.count)" }.joined(separator: ", ").ifEmpty("none")
        let held = result.checkedInvariants.count - Set(result.breaches.map(\.invariant)).count
        return """
            <div class="cards">
            <div class="card"><b>outcome</b>\(escape(result.outcome.rawValue))\(expected)</div>
            <div class="card"><b>first class</b>\(escape(result.firstClassification?.rawValue ?? "none"))</div>
            <div class="card"><b>effects at the provider</b>\(escape(effects))</div>
            <div class="card"><b>invariants</b>\(held) of \(result.checkedInvariants.count) held</div>
            </div>

            """
    }

    /// The swim lanes: one column per party, the runtime's workers, then any other actor in order of appearance.
    static func timelineSection(_ result: ScenarioResult, showing indices: [Int]) -> String {
        let vocabulary = RuntimeVocabulary(result.scenario.runtime.kind)
        var lanes = ["provider", "revive", "runtime"] + result.scenario.runtime.workers.map(\.rawValue)
        for t in result.transitions where !lanes.contains(t.actor.rawValue) { lanes.append(t.actor.rawValue) }
        var out = tableHead("Timeline", columns: ["time"] + lanes, tableClass: "lanes")
        for index in indices {
            let t = result.transitions[index]
            out += "<tr><td class=\"time\">\(DurationText.clock(t.time))</td>"
            for lane in lanes { out += lane == t.actor.rawValue ? timelineCell(t, vocabulary: vocabulary) : "<td></td>" }
            out += "</tr>\n"
        }
        return out + "</table>\n"
    }

    /// One transition in its lane: the name, coloured by category, over its facts as the text timeline words them.
    static func timelineCell(_ t: Transition, vocabulary: RuntimeVocabulary) -> String {
        // The text line starts with time, actor and name; the facts are what follows.
        let facts = TextRenderer(color: false).line(t, vocabulary: vocabulary, actorWidth: 0)
            .split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).joined(separator: " ")
        return "<td><div class=\"ev \(category(t.name))\"><span class=\"n\">\(escape(t.name.rawValue))</span><div class=\"f\">\(escape(facts))</div></div></td>"
    }

    /// A section's heading and its table's opening through the header row; the rows and `</table>` follow.
    static func tableHead(_ title: String, columns: [String], tableClass: String? = nil) -> String {
        let open = tableClass.map { "<table class=\"\($0)\">" } ?? "<table>"
        return "<h2>\(title)</h2>\n" + open + "<tr>" + columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
    }

    static func verdictSection(_ result: ScenarioResult) -> String {
        var out = tableHead("Invariants", columns: ["invariant", "rule", "held"])
        let broken = Set(result.breaches.map(\.invariant))
        for invariant in result.checkedInvariants {
            let ok = !broken.contains(invariant)
            out += "<tr><td>\(invariant.rawValue)</td><td>\(escape(invariant.rule))</td><td class=\"\(ok ? "ok" : "broken")\">\(ok ? "held" : "BROKEN")</td></tr>\n"
        }
        out += "</table>\n"
        if !result.breaches.isEmpty || !result.failedExpectations.isEmpty {
            out += "<h2>What broke</h2><ul>\n"
            for failure in result.failedExpectations { out += "<li>\(escape(failure))</li>\n" }
            for breach in result.breaches { out += "<li><b>\(breach.invariant.rawValue)</b>: \(escape(breach.message))</li>\n" }
            out += "</ul>\n"
        }
        return out
    }

    static func casesSection(_ result: ScenarioResult) -> String {
        let opened = result.transitions.filter { $0.name == .caseOpened }
        guard !opened.isEmpty else { return "" }
        var out = tableHead("Recovery cases", columns: ["case", "connection", "pinned identity", "class", "checkpoint", "action key",
                                                        "rejected generation", "opened", "ended"])
        for t in opened {
            let end = result.transitions.first(where: { ($0.name == .caseClosed || $0.name == .caseEscalated) && $0.caseID == t.caseID })
            let ended = end.map { "\($0.name) \(DurationText.clock($0.time))" } ?? "open"
            out += "<tr><td>\(escape(t.caseID ?? ""))</td><td>\(escape(t.connection ?? ""))</td><td>\(escape((t.subject ?? "") + "@" + (t.tenant ?? "")))</td>"
            out += "<td>\(escape(t.failureClass?.rawValue ?? ""))</td><td>\(escape(t.checkpoint ?? "-"))</td><td>\(escape(t.key ?? "-"))</td>"
            out += "<td>\(t.generation.map(String.init) ?? "-")</td><td>\(DurationText.clock(t.time)) by \(escape(t.worker ?? "?"))</td><td>\(escape(ended))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    static func generationsSection(_ result: ScenarioResult) -> String {
        let connections = result.scenario.connections.map(\.id.rawValue)
        var out = tableHead("Lease generations", columns: ["connection", "history", "fenced calls"])
        for connection in connections {
            var history = ["1 at +00:00:00.000"]
            for t in result.transitions where t.name == .leaseRotated && t.connection == connection {
                history.append("\(t.generation.map(String.init) ?? "?") at \(DurationText.clock(t.time)) (\(t.reason ?? "rotated"))")
            }
            let fenced = result.transitions.filter { $0.name == .leaseFenced && $0.connection == connection }.count
            out += "<tr><td>\(escape(connection))</td><td>\(escape(history.joined(separator: " → ")))</td><td>\(fenced)</td></tr>\n"
        }
        return out + "</table>\n"
    }

    static func ledgerSection(_ result: ScenarioResult) -> String {
        var keys: [String] = []
        for t in result.transitions where isLedgerEntry(t) {
            if let key = t.key, !keys.contains(key) { keys.append(key) }
        }
        guard !keys.isEmpty else { return "" }
        var out = tableHead("Action ledger", columns: ["idempotency key", "states (and effects at the provider)"])
        for key in keys {
            let states = result.transitions.filter { isLedgerEntry($0) && $0.key == key }.map { t -> String in
                let state = t.name == .effectApplied ? "EFFECT" : String(t.name.rawValue.dropFirst("action.".count)) + (t.result.map { "(\($0))" } ?? "")
                return "\(state) \(DurationText.clock(t.time))"
            }
            out += "<tr><td>\(escape(key))</td><td>\(escape(states.joined(separator: " → ")))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// A transition the action ledger shows: a state of an action, or its effect reaching the provider.
    static func isLedgerEntry(_ t: Transition) -> Bool { t.name.family == "action" || t.name == .effectApplied }

    static func category(_ name: TransitionName) -> String {
        switch name {
        case .runCompleted, .reconnectVerified, .runResumed, .caseClosed, .caseResolved, .tokenRefreshed: return "good"
        case .runFailed, .reconnectRejected, .capabilityRefused, .leaseFenced, .providerFailed, .workerLost: return "bad"
        case .failureClassified, .runParked, .caseOpened, .reconnectRequested, .operatorAlerted, .retryScheduled: return "warn"
        case .faultInjected: return "fault"
        default: return ""
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}

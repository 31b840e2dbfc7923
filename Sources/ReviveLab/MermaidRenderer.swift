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

/// Renders a timeline as a Mermaid sequence diagram, with the provider, Revive, the runtime, each
/// worker and the owner (and operator, and the lab's fault injector) as participants.
public enum MermaidRenderer {
    /// The diagram text for one result (optionally only some transitions).
    public static func render(_ result: ScenarioResult, showing shown: [Int]? = nil) -> String {
        let scenario = result.scenario
        let indices = shown ?? Array(result.transitions.indices)
        var parties = ["provider", "revive", "runtime"] + scenario.runtime.workers.map(\.rawValue)
        for index in indices {
            let t = result.transitions[index]
            for name in [t.actor.rawValue, t.worker].compactMap({ $0 }) where !parties.contains(name) && name != "another-worker" {
                parties.append(name)
            }
        }
        if !parties.contains("owner") { parties.append("owner") }
        // An operator who is only ever alerted never acts, but is drawn to: declare it too.
        if !parties.contains("operator"), indices.contains(where: { result.transitions[$0].name.family == "operator" }) {
            parties.append("operator")
        }
        var out = "sequenceDiagram\n"
        out += "    title \(clean(scenario.name)) (seed \(scenario.seed), \(scenario.runtime.kind.rawValue)): \(result.passed ? "PASS" : "FAIL"), \(result.outcome.rawValue)\n"
        for party in parties { out += "    participant \(id(party)) as \(clean(party))\n" }
        for index in indices {
            out += "    " + statement(result.transitions[index], parties: parties) + "\n"
        }
        for breach in result.breaches {
            out += "    Note over \(id("revive")): BREACH \(clean(breach.invariant.rawValue)): \(clean(breach.message))\n"
        }
        return out
    }

    static func statement(_ t: Transition, parties: [String]) -> String {
        let worker = t.worker.flatMap { parties.contains($0) ? $0 : nil }
        let label = clean(([t.name.rawValue] + facts(t)).joined(separator: " "))
        switch t.name {
        case .providerCalled: return arrow(t.actor.rawValue, "provider", "->>", label)
        case .effectApplied, .providerFailed: return arrow("provider", worker ?? "revive", "-->>", label)
        case .leaseIssued: return arrow("revive", worker ?? "runtime", "->>", label)
        case .leaseFenced: return arrow("revive", worker ?? "runtime", "-x", label)
        case .runParked: return arrow("revive", "runtime", "->>", label)
        case .reconnectRequested: return arrow("revive", "owner", "->>", label)
        case .reconnectPresented: return arrow("owner", "revive", "->>", label)
        case .reconnectRejected, .capabilityRefused: return arrow("revive", "owner", "-x", label)
        case .operatorAlerted: return arrow("revive", "operator", "->>", label)
        case .operatorFixed, .operatorConfirmed: return arrow("operator", "revive", "->>", label)
        case .runResumed, .runRescheduled, .runStarted: return arrow("runtime", worker ?? "runtime", "->>", label)
        default: return "Note over \(id(t.actor.rawValue)): \(label)"
        }
    }

    static func arrow(_ from: String, _ to: String, _ kind: String, _ label: String) -> String {
        from == to ? "Note over \(id(from)): \(label)" : "\(id(from))\(kind)\(id(to)): \(label)"
    }

    static func facts(_ t: Transition) -> [String] {
        var parts: [String] = []
        if let step = t.step { parts.append(step + (t.attempt.map { " attempt \($0)" } ?? "")) }
        if let generation = t.generation { parts.append("gen \(generation)") }
        if let failureClass = t.failureClass { parts.append(failureClass.rawValue) }
        if let caseID = t.caseID { parts.append(caseID) }
        if let subject = t.subject, let tenant = t.tenant { parts.append("\(subject)@\(tenant)") }
        if let result = t.result { parts.append(result) }
        if let reason = t.reason { parts.append(reason) }
        return parts
    }

    /// A participant id Mermaid accepts: letters, digits and underscores.
    static func id(_ name: String) -> String {
        "p_" + String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Text without the characters that end or break a Mermaid statement.
    static func clean(_ text: String) -> String {
        String(text.map { ";#\n\r".contains($0) ? " " : $0 }).replacing("-->", with: "->")
    }
}

import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The top of a report: what broke and how it was recovered, one stage per step of the recovery
/// contract (classification, case, capability, verification, rotation, resume, effects), each
/// linking to the transition that shows it, with links to the sections below.
enum HTMLSummary {
    /// One stage of the recovery.
    struct Stage {
        let label: String
        /// What happened, or nil when the run never reached this stage.
        let text: String?
        /// The transition that shows it (its index in the timeline), for the link.
        let index: Int?
        let tone: String
        /// A section that tells more (`cases`, `leases`, `ledger`), for a second link.
        var section: String?
    }

    static func render(_ result: ScenarioResult, anchor: String) -> String {
        var out = "<section class=\"recovery\" id=\"\(anchor)-summary\">\n<ol class=\"stages\">\n"
        for stage in stages(result) {
            let tone = stage.text == nil ? "none" : stage.tone
            var text = HTMLRenderer.escape(stage.text ?? "not reached")
            if let index = stage.index { text = "<a href=\"#\(anchor)-t\(index)\">\(text)</a>" }
            if let section = stage.section { text += " · <a href=\"#\(anchor)-\(section)\">\(section)</a>" }
            out += "<li class=\"stage \(tone)\"><b>\(stage.label)</b>\(text)</li>\n"
        }
        out += "</ol>\n"
        if !result.passed {
            let reasons = result.failedExpectations + result.breaches.map { "\($0.invariant.rawValue): \($0.message)" }
                + (result.limitReached.map { [$0] } ?? [])
            out += "<div class=\"broke\"><b>What broke</b><ul>\n"
            for reason in reasons { out += "<li>\(HTMLRenderer.escape(reason))</li>\n" }
            out += "</ul></div>\n"
        }
        let jumps = [("timeline", "Timeline"), ("invariants", "Invariants"), ("cases", "Recovery cases"),
                     ("leases", "Lease generations"), ("ledger", "Action ledger")]
        out += "<nav class=\"jump\">" + jumps.map { "<a href=\"#\(anchor)-\($0.0)\">\($0.1)</a>" }.joined() + "</nav>\n"
        return out + "</section>\n"
    }

    /// The stages of the first recovery in the timeline, then the effects and the outcome.
    static func stages(_ result: ScenarioResult) -> [Stage] {
        let ts = result.transitions
        let vocabulary = RuntimeVocabulary(result.scenario.runtime.kind)
        func first(_ names: Set<TransitionName>, from start: Int = 0, where extra: (Transition) -> Bool = { _ in true }) -> Int? {
            ts.indices.first { $0 >= start && names.contains(ts[$0].name) && extra(ts[$0]) }
        }
        func describe(_ index: Int?) -> String? { index.map { brief(ts[$0], vocabulary: vocabulary) } }
        // The story told is the first recovery case's: the failure and the classification that
        // opened it (an earlier failure that healed by itself, like a refresh, is in the timeline).
        let opened = first([.caseOpened])
        let failures: Set<TransitionName> = [.providerFailed, .actionUnknown, .workerLost, .leaseFenced, .runFailed]
        let broke = opened.flatMap { end in ts.indices.last { $0 < end && failures.contains(ts[$0].name) } } ?? first(failures)
        let classified = opened.flatMap { end in ts.indices.last { $0 < end && ts[$0].name == .failureClassified } } ?? first([.failureClassified])
        let caseID = opened.flatMap { ts[$0].caseID }
        let asked = first([.reconnectRequested, .operatorAlerted], where: { caseID == nil || $0.caseID == caseID })
        let reminders = ts.filter { $0.name == asked.map { ts[$0].name } && $0.caseID == caseID }.count - 1
        let verified = first([.reconnectVerified, .operatorFixed], where: { caseID == nil || $0.caseID == caseID })
        let rejected = ts.filter { $0.name == .reconnectRejected }.count
        let rotated = first([.leaseRotated], from: verified ?? 0)
        let resumed = first([.runResumed])
        var stages = [
            Stage(label: "what broke", text: describe(broke) ?? "nothing", index: broke, tone: broke == nil ? "good" : "bad"),
            Stage(label: "classified", text: classified.map { classification(ts[$0]) }, index: classified, tone: "warn"),
            Stage(label: "case", text: opened.map { caseText(ts, opened: $0) }, index: opened, tone: "warn", section: "cases"),
            Stage(label: "capability", text: describe(asked).map { $0 + (reminders > 0 ? " (+\(reminders) reminders)" : "") },
                  index: asked, tone: "warn"),
            Stage(label: "verification", text: describe(verified).map { $0 + (rejected > 0 ? " (\(rejected) rejected before)" : "") },
                  index: verified, tone: "good"),
            Stage(label: "rotation", text: rotated.map { rotation(ts[$0]) }, index: rotated, tone: "good", section: "leases"),
            Stage(label: "resume", text: describe(resumed), index: resumed, tone: "good"),
        ]
        let ending: TransitionName = result.outcome == .completed ? .runCompleted : result.outcome == .failed ? .runFailed : .runParked
        let outcome = ts.indices.last { ts[$0].name == ending }
        stages.append(Stage(label: "effects at the provider", text: HTMLRenderer.effectsText(result), index: nil,
                            tone: "good", section: "ledger"))
        let expected = result.scenario.expect.outcome.map { " (expected \($0.rawValue))" } ?? ""
        let held = result.checkedInvariants.count - Set(result.breaches.map(\.invariant)).count
        stages.append(Stage(label: "outcome", text: "\(result.outcome.rawValue)\(expected); \(held) of \(result.checkedInvariants.count) invariants held",
                            index: outcome, tone: result.passed ? "good" : "bad", section: "invariants"))
        return stages
    }

    /// A transition in a few words: its name, where it happened, the facts that say what it was, and when.
    static func brief(_ t: Transition, vocabulary: RuntimeVocabulary) -> String {
        var parts = [t.name.rawValue]
        if let step = t.step { parts.append("at \(step)" + (t.attempt.map { " attempt \($0)" } ?? "")) }
        if let worker = t.worker, t.name == .runResumed || t.name == .workerLost { parts.append("on \(worker)") }
        if let checkpoint = t.checkpoint, t.name == .runResumed { parts.append("from \(checkpoint)") }
        if let capability = t.capability { parts.append(capability) }
        if let subject = t.subject, let tenant = t.tenant, t.name != .providerFailed { parts.append("\(subject)@\(tenant)") }
        let telling: Set<String> = ["status", "error", "ask", "to", "cc", "fault"]
        parts += t.notes.filter { telling.contains($0.name) }.map { "\($0.name)=\($0.value)" }
        if let result = t.result { parts.append("result=\(result)") }
        if let reason = t.reason { parts.append("reason=\(reason)") }
        return parts.joined(separator: " ") + " · \(DurationText.clock(t.time))"
    }

    static func classification(_ t: Transition) -> String {
        let rule = t.notes.first { $0.name == "rule" }?.value
        let confidence = t.notes.first { $0.name == "confidence" }?.value
        let details = [rule.map { "rule \($0)" }, confidence.map { "confidence \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return (t.failureClass?.rawValue ?? "unclassified") + (details.isEmpty ? "" : " (\(details))")
    }

    static func caseText(_ ts: [Transition], opened: Int) -> String {
        let t = ts[opened]
        var text = "\(t.caseID ?? "case") for \(t.subject ?? "?")@\(t.tenant ?? "?")"
        if let parked = ts[opened...].first(where: { $0.name == .runParked && $0.caseID == t.caseID }) {
            text += "; run parked at \(parked.checkpoint ?? "its checkpoint")"
        }
        let more = Set(ts.filter { $0.name == .caseOpened }.compactMap(\.caseID)).count - 1
        return text + (more > 0 ? " (+\(more) more cases)" : "")
    }

    static func rotation(_ t: Transition) -> String {
        let from = t.notes.first { $0.name == "from" }?.value ?? "?"
        return "\(t.connection ?? "connection"): generation \(from) → \(t.generation.map(String.init) ?? "?") (\(t.reason ?? "rotated"))"
    }
}

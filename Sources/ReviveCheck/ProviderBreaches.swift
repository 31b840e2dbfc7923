import ReviveVocabulary

/// A promise the provider broke, with the transitions that show it.
public struct ProviderBreach: Hashable, Sendable {
    /// Which promise broke.
    public var kind: ProviderBreachKind
    /// What happened, in a sentence.
    public var message: String
    /// Indices into the timeline of the transitions that show it.
    public var evidence: [Int]

    /// Makes a provider breach.
    public init(kind: ProviderBreachKind, message: String, evidence: [Int]) {
        self.kind = kind
        self.message = message
        self.evidence = evidence
    }
}

extension InvariantChecker {
    /// Every promise the provider broke, in timeline order. An effect the provider applied past
    /// its bound is marked `late=` by the provider that applied it (only the provider knows how
    /// long it kept a request); a second effect it caused is the provider's breach, not the
    /// engine's, and `effect-once` leaves it to this report.
    public static func providerBreaches(_ transitions: [Transition]) -> [ProviderBreach] {
        var result: [ProviderBreach] = []
        // Most plays have no late effect: the effects by step (a dictionary, every step hashed)
        // were built on every judged play for nothing.
        guard transitions.indices.contains(where: { transitions[$0].name == .effectApplied && isLate(transitions[$0]) }) else {
            return result
        }
        var effects: [String: [Int]] = [:]
        // Indices, not `enumerated()`: every judged play ran this, and each copied `Transition` cost
        // a retain and a release per string it holds (see `check`).
        for i in transitions.indices where transitions[i].name == .effectApplied {
            if let step = transitions[i].step { effects[step, default: []].append(i) }
        }
        for i in transitions.indices where transitions[i].name == .effectApplied && isLate(transitions[i]) {
            let step = transitions[i].step ?? "?"
            let late = transitions[i].notes.first(where: { $0.name == "late" })?.value ?? "?"
            let all = effects[step] ?? [i]
            let consequence = all.count > 1 ? "; the effect of \(step) happened \(all.count) times because of it" : ""
            result.append(ProviderBreach(kind: .lateApply,
                                        message: "the provider applied \(step)'s request \(late) after its declared bound\(consequence)",
                                        evidence: all.count > 1 ? all : [i]))
        }
        return result
    }

    /// Whether the provider marked this effect as applied past its declared bound.
    static func isLate(_ t: Transition) -> Bool { t.notes.contains(where: { $0.name == "late" }) }
}

/// The refusal reasons the contract itself requires (see `contractualRefusals`): built once, not
/// on every judged play.
private let contractualReasons: Set<String> = ["may-still-land", "needs-outcome-answer", "not-an-outcome-case"]

/// An operator's answer refused at an instant, by its capability.
struct RefusedAnswer: Hashable {
    let capability: String
    let time: Instant
}

extension InvariantChecker {
    /// The refusals the contract itself requires of an operator's answer: "it did not happen"
    /// while a call may still land, a fix offered for an outcome question, an outcome answer
    /// offered for a configuration problem. Such an answer does not count for liveness.
    static func contractualRefusals(_ transitions: [Transition]) -> Set<RefusedAnswer> {
        var refused = Set<RefusedAnswer>()
        for i in transitions.indices where transitions[i].name == .capabilityRefused {
            if let capability = transitions[i].capability, let reason = transitions[i].reason, contractualReasons.contains(reason) {
                refused.insert(RefusedAnswer(capability: capability, time: transitions[i].time))
            }
        }
        return refused
    }
}

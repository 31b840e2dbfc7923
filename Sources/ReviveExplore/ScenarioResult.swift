import Revive
import ReviveCheck
import ReviveVocabulary
import ReviveWorld

/// Everything one play produced: the timeline, what it adds up to, and the verdict.
///
/// A value whose fields sit in one shared box, replaced whole when a field is set: the frontend
/// copies each result several times on its way to the report (the whole scenario, the timeline
/// and every list retained again and released, field by field, some four thousand instructions
/// a scenario of a catalogue run), where a copy of the box is one reference.
///
/// A field is lent where it lies (`_read`, inlinable), not returned as a copy: the renderer's
/// three reads of `scenario` (for its name, its runtime's kind, its `expect`) each copied the
/// whole scenario, a retain and a release per field, 550 instructions a read.
public struct ScenarioResult: Sendable {
    /// The fields (see `ScenarioResult`).
    @usableFromInline struct Fields: Sendable {
        @usableFromInline var scenario: Scenario
        @usableFromInline var outcome: Outcome
        @usableFromInline var effects: [(step: ActionKey, count: Int)]
        @usableFromInline var checkedInvariants: [Invariant]
        @usableFromInline var breaches: [Breach]
        @usableFromInline var providerBreaches: [ProviderBreach]
        @usableFromInline var failedExpectations: [String]
        @usableFromInline var limitReached: String?
        @usableFromInline var stoppedAtHorizon: Bool
        @usableFromInline var storeFailure: RecoveryStoreError?
        @usableFromInline var mode: RecoveryMode
    }

    /// The box that holds the fields, never written, only replaced, and the timeline, written
    /// only while this result is the box's one owner (`isKnownUniquelyReferenced`): `run` lets
    /// a passed play's timeline go so, without copying the other fields into a new box (the
    /// scenario's copy alone is some 550 instructions). A box two results or two threads share
    /// is never written, which is why it may be `Sendable`. The timeline apart: written in
    /// the box, the fields' reads were copies (the whole scenario, at every read). Its reads
    /// skip the runtime's exclusivity check: the one write is to a box nothing else can reach.
    @usableFromInline final class Box: @unchecked Sendable {
        @usableFromInline let fields: Fields
        @exclusivity(unchecked) @usableFromInline var transitions: [Transition]
        init(_ fields: Fields, transitions: [Transition]) {
            self.fields = fields
            self.transitions = transitions
        }
    }

    @usableFromInline var box: Box

    init(scenario: Scenario, transitions: [Transition], outcome: Outcome, effects: [(step: ActionKey, count: Int)],
         checkedInvariants: [Invariant], breaches: [Breach], providerBreaches: [ProviderBreach], failedExpectations: [String],
         limitReached: String?, stoppedAtHorizon: Bool, storeFailure: RecoveryStoreError?, mode: RecoveryMode) {
        box = Box(Fields(scenario: scenario, outcome: outcome, effects: effects,
                         checkedInvariants: checkedInvariants, breaches: breaches, providerBreaches: providerBreaches,
                         failedExpectations: failedExpectations, limitReached: limitReached, stoppedAtHorizon: stoppedAtHorizon,
                         storeFailure: storeFailure, mode: mode), transitions: transitions)
    }

    /// Sets a field other than the timeline: a new box with the others copied.
    private mutating func change(_ edit: (inout Fields) -> Void) {
        var fields = box.fields
        edit(&fields)
        box = Box(fields, transitions: box.transitions)
    }

    /// The scenario played (with any seed override applied).
    public var scenario: Scenario {
        @inlinable _read { yield box.fields.scenario }
        set { change { $0.scenario = newValue } }
    }
    /// Every transition, in order.
    public var transitions: [Transition] {
        @inlinable _read { yield box.transitions }
        set {
            if isKnownUniquelyReferenced(&box) {
                box.transitions = newValue
            } else {
                box = Box(box.fields, transitions: newValue)
            }
        }
    }
    /// How the run ended.
    public var outcome: Outcome {
        @inlinable _read { yield box.fields.outcome }
        set { change { $0.outcome = newValue } }
    }
    /// Remote effects per step, counted from the provider's `effect.applied` records.
    public var effects: [(step: ActionKey, count: Int)] {
        @inlinable _read { yield box.fields.effects }
        set { change { $0.effects = newValue } }
    }
    /// The invariants that were checked.
    public var checkedInvariants: [Invariant] {
        @inlinable _read { yield box.fields.checkedInvariants }
        set { change { $0.checkedInvariants = newValue } }
    }
    /// Broken invariants.
    public var breaches: [Breach] {
        @inlinable _read { yield box.fields.breaches }
        set { change { $0.breaches = newValue } }
    }
    /// Promises the provider broke (reported apart from the engine's breaches; a scenario passes
    /// with one only when its `expect.providerBreaches` names it, which the failed expectations check).
    public var providerBreaches: [ProviderBreach] {
        @inlinable _read { yield box.fields.providerBreaches }
        set { change { $0.providerBreaches = newValue } }
    }
    /// Broken expectations, each a sentence.
    public var failedExpectations: [String] {
        @inlinable _read { yield box.fields.failedExpectations }
        set { change { $0.failedExpectations = newValue } }
    }
    /// Why the play stopped early, if a limit cut it.
    public var limitReached: String? {
        @inlinable _read { yield box.fields.limitReached }
        set { change { $0.limitReached = newValue } }
    }
    /// Whether the horizon cut the play with events still queued.
    public var stoppedAtHorizon: Bool {
        @inlinable _read { yield box.fields.stoppedAtHorizon }
        set { change { $0.stoppedAtHorizon = newValue } }
    }
    /// The recovery store's error that stopped the play, if one did (a durable store's file).
    public var storeFailure: RecoveryStoreError? {
        @inlinable _read { yield box.fields.storeFailure }
        set { change { $0.storeFailure = newValue } }
    }
    /// Who handled the failures: Revive, or the naive baseline.
    public var mode: RecoveryMode {
        @inlinable _read { yield box.fields.mode }
        set { change { $0.mode = newValue } }
    }

    /// The class of the play's first classified failure, if any failed.
    public var firstClassification: FailureClass? { ExpectationChecker.firstClassification(in: transitions) }

    /// Whether every expectation and every checked invariant held.
    /// (No limit is `map … ?? true`, not `== nil`: `String?`'s `==` pairs the text with a nil one.)
    public var passed: Bool { breaches.isEmpty && failedExpectations.isEmpty && (limitReached.map { _ in false } ?? true) }
}

/// Plays scenarios and judges them.
public enum ScenarioPlayer {
    /// Plays one scenario, checks its invariants and expectations, and returns the result.
    /// With `healing`, the right owner answers every request, an operator fixes every alert and
    /// every lost worker returns (the explorer's liveness mode).
    ///
    /// Without Revive the scenario's `expect` (written for the Revive run) is not checked; every
    /// invariant is, and the breaches are the point.
    /// `store` keeps the engine's state (default: a fresh store in memory); `journal` keeps the
    /// local fallback's journal in a play with a `store-unavailable` fault (default: in memory).
    /// The scenario is consumed: a caller done with it moves it into the result, not copied.
    public static func play(_ scenario: consuming Scenario, mode: RecoveryMode = .revive, healing: Bool = false,
                            store: RecoveryStore? = nil, journal: FallbackJournal? = nil) -> ScenarioResult {
        judge(WorldPlay.play(scenario, mode: mode, healing: healing, store: store, journal: journal), scenario: scenario, mode: mode)
    }

    /// Checks a finished play's invariants and expectations.
    public static func judge(_ play: WorldPlay, scenario: consuming Scenario, mode: RecoveryMode = .revive) -> ScenarioResult {
        let transitions = play.transitions
        let invariants = checkedInvariants(scenario, mode: mode)
        let breaches = InvariantChecker.check(transitions, invariants: invariants)
        let providerBreaches = InvariantChecker.providerBreaches(transitions)
        let effects = effectCounts(transitions, steps: scenario.workflow.steps)
        var failed = mode == .revive
            ? ExpectationChecker.check(scenario.expect, transitions: transitions, outcome: play.outcome, effects: effects) : []
        let providerFailures = ExpectationChecker.checkProviderBreaches(providerBreaches, expected: mode == .revive ? scenario.expect.providerBreaches : nil)
        // Nearly always empty: appending an empty list was still a call, some 145 instructions a play.
        if !providerFailures.isEmpty { failed += providerFailures }
        return ScenarioResult(scenario: scenario, transitions: transitions, outcome: play.outcome, effects: effects,
                              checkedInvariants: invariants, breaches: breaches, providerBreaches: providerBreaches,
                              failedExpectations: failed,
                              limitReached: play.limitReached, stoppedAtHorizon: play.stoppedAtHorizon,
                              storeFailure: play.storeFailure, mode: mode)
    }

    /// The invariants a play of `scenario` is held to: those its `expect` names in a Revive run
    /// (every one when it names none), every one without Revive.
    static func checkedInvariants(_ scenario: Scenario, mode: RecoveryMode) -> [Invariant] {
        mode == .revive ? scenario.expect.invariants ?? everyInvariant : everyInvariant
    }

    /// `Invariant.allCases`, built once: the synthesized `allCases` builds its array on every
    /// call (an allocation a judged play, and the array's free with the result).
    static let everyInvariant = Invariant.allCases

    /// The provider's effect count per mutating step (every step named in `effect.applied` too).
    static func effectCounts(_ transitions: [Transition], steps: [StepSpec]) -> [(step: ActionKey, count: Int)] {
        // A long workflow keeps the dictionary: the walk below is per step.
        guard steps.count <= 16 else { return effectCountsByName(transitions, steps: steps) }
        // Per step of the workflow, found by a walk of its few steps: a dictionary keyed by the
        // step's name hashed every effect and allocated on every judged play. -1: the timeline
        // names no effect of the step. An effect of a step the workflow does not name counts
        // nowhere, as before.
        // On the stack: a heap array for at most sixteen counts cost an allocation and its free
        // (some 700 instructions) on every judged play.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: steps.count) { counts in
            counts.initialize(repeating: -1)
            // By index: `for t in transitions` copied every transition of every judged play.
            for i in transitions.indices where transitions[i].name == .effectApplied {
                guard let step = transitions[i].step else { continue }
                for s in steps.indices where steps[s].id.rawValue == step { counts[s] = max(counts[s], 0) + 1 }
            }
            var result: [(step: ActionKey, count: Int)] = []
            result.reserveCapacity(steps.count)
            for s in steps.indices where steps[s].effect == .mutation || counts[s] >= 0 {
                result.append((steps[s].id, max(counts[s], 0)))
            }
            return result
        }
    }
}

extension ScenarioPlayer {
    /// `effectCounts` by a dictionary of step names, for a workflow of many steps.
    static func effectCountsByName(_ transitions: [Transition], steps: [StepSpec]) -> [(step: ActionKey, count: Int)] {
        var counts: [ActionKey: Int] = [:]
        for i in transitions.indices where transitions[i].name == .effectApplied {
            if let step = transitions[i].step { counts[ActionKey(step), default: 0] += 1 }
        }
        var result: [(step: ActionKey, count: Int)] = []
        for step in steps where step.effect == .mutation || counts[step.id] != nil {
            result.append((step.id, counts[step.id] ?? 0))
        }
        return result
    }
}

/// Compares a play with its `expect` block.
enum ExpectationChecker {
    static func firstClassification(in transitions: [Transition]) -> FailureClass? {
        transitions.indices.first { transitions[$0].name == .failureClassified }.flatMap { transitions[$0].failureClass }
    }

    static func check(_ expect: Expectations, transitions: [Transition], outcome: Outcome, effects: [(step: ActionKey, count: Int)]) -> [String] {
        var failures: [String] = []
        if let wanted = expect.outcome, wanted != outcome {
            failures.append("expect.outcome: expected \(wanted.rawValue), got \(outcome.rawValue)")
        }
        if let wanted = expect.classification {
            let first = firstClassification(in: transitions)
            if first != wanted {
                failures.append("expect.classification: expected \(wanted.rawValue), got \(first?.rawValue ?? "no failure")")
            }
        }
        if let wanted = expect.effects {
            for (step, count) in wanted {
                let actual = effects.first(where: { $0.step == step })?.count ?? 0
                if actual != count { failures.append("expect.effects.\(step): expected \(count), got \(actual)") }
            }
        }
        if let wanted = expect.timeline {
            let matched = matchedInOrder(wanted, in: transitions)
            if matched < wanted.count {
                let missing = wanted[matched]
                let prefix = matched == 0 ? "from the start" : "after \(wanted[matched - 1])"
                failures.append("expect.timeline: \(missing) does not appear \(prefix) (matched \(matched) of \(wanted.count) in order)")
            }
        }
        if let absent = expect.absent {
            for name in absent {
                if let index = firstIndex(of: name, in: transitions) {
                    failures.append("expect.absent: \(name) appears at \(DurationText.clock(transitions[index].time))")
                }
            }
        }
        if let wanted = expect.rejected {
            // Counted by index: `filter` built an array of copies just to count it.
            let actual = transitions.indices.count { transitions[$0].name == .reconnectRejected || transitions[$0].name == .capabilityRefused }
            if actual != wanted { failures.append("expect.rejected: expected \(wanted), got \(actual)") }
        }
        if let wanted = expect.fenced {
            let actual = transitions.indices.count { transitions[$0].name == .leaseFenced }
            if actual != wanted { failures.append("expect.fenced: expected \(wanted), got \(actual)") }
        }
        return failures
    }

    /// How many of `wanted` the timeline holds in order, each after the one before (the first that
    /// does not follow ends the count). Read through a pointer into the timeline: through slices
    /// of the array, every line read was checked against the slice's bounds and the array's.
    static func matchedInOrder(_ wanted: [TransitionName], in transitions: [Transition]) -> Int {
        transitions.withUnsafeBufferPointer { lines in
            var position = 0
            var matched = 0
            for name in wanted {
                while position < lines.count && lines[position].name != name { position &+= 1 }
                guard position < lines.count else { break }
                position &+= 1
                matched &+= 1
            }
            return matched
        }
    }

    /// Where the timeline first holds `name`, read as `matchedInOrder` reads it.
    static func firstIndex(of name: TransitionName, in transitions: [Transition]) -> Int? {
        transitions.withUnsafeBufferPointer { lines in
            for i in lines.indices where lines[i].name == name { return i }
            return nil
        }
    }

    /// A provider breach that `expect.providerBreaches` does not name fails the play, and so does
    /// a named one that did not happen.
    static func checkProviderBreaches(_ found: [ProviderBreach], expected: [ProviderBreachKind]?) -> [String] {
        var failures: [String] = []
        for breach in found where !(expected ?? []).contains(breach.kind) {
            failures.append("provider breach \(breach.kind.rawValue): \(breach.message) (the provider, not the engine, broke its promise; name it in expect.providerBreaches if the scenario means it)")
        }
        for kind in expected ?? [] where !found.contains(where: { $0.kind == kind }) {
            failures.append("expect.providerBreaches: expected the provider to break \(kind.rawValue), but it kept its promise")
        }
        return failures
    }
}

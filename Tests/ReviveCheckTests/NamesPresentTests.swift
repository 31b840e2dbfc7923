import Testing
import ReviveVocabulary
@testable import ReviveCheck

/// `check` skips an invariant whose every breach needs a transition name the timeline lacks
/// (`NamesPresent`): the table must know exactly which names a timeline holds, and a skipped
/// invariant must be one whose own walk finds nothing.
@Suite("NamesPresent")
struct NamesPresentTests {
    @Test func itKnowsExactlyWhichNamesATimelineHolds() {
        var state: UInt64 = 0x4E4D
        for _ in 0..<300 {
            var held: Set<Int> = []
            var ts: [Transition] = []
            for _ in 0..<Int(state >> 60) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let index = Int(state >> 33) % TransitionName.known.count
                held.insert(index)
                ts.append(Transition(time: .zero, actor: .lab, name: TransitionName.known[index]))
            }
            ts.append(Transition(time: .zero, actor: .lab, name: .unrecognized("case.opened.later")))
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let present = NamesPresent(ts)
            for (index, name) in TransitionName.known.enumerated() {
                #expect(present.mayHold(name) == held.contains(index), "\(name)")
                #expect(present.surelyHolds(name) == held.contains(index), "\(name)")
            }
        }
    }

    /// Random timelines over the names and facts the invariants react to: wherever `mayBreak`
    /// says no, the invariant's own walk finds no breach, so `check` answers as if it had walked.
    @Test func aSkippedInvariantWouldHaveFoundNothing() {
        let pool: [Transition] = [
            tr(0, "runtime", "run.started", run: "r1", worker: "w1"),
            tr(1, "worker:w1", "step.started", run: "r1", worker: "w1", step: "s1", attempt: 1),
            tr(2, "worker:w1", "provider.called", run: "r1", step: "s1", connection: "c1", generation: 1, key: "k1"),
            tr(3, "provider", "effect.applied", run: "r1", step: "s1", connection: "c1", generation: 1, key: "k1"),
            tr(4, "revive", "lease.rotated", connection: "c1", generation: 2, subject: "u2", tenant: "t1"),
            tr(5, "revive", "failure.classified", connection: "c1", generation: 1, failureClass: "dead-grant"),
            tr(6, "revive", "case.opened", connection: "c1", caseID: "case1", failureClass: "dead-grant", subject: "u1", tenant: "t1"),
            tr(7, "revive", "reconnect.requested", connection: "c1", caseID: "case1", capability: "cap1", expires: 50),
            tr(8, "owner", "reconnect.presented", connection: "c1", capability: "cap1", subject: "u1", tenant: "t1"),
            tr(9, "revive", "reconnect.verified", connection: "c1", caseID: "case1", capability: "cap1", subject: "u1", tenant: "t1"),
            tr(60, "revive", "case.resolved", connection: "c1", caseID: "case1", capability: "cap2"),
            tr(10, "runtime", "run.parked", run: "r1", caseID: "case1", failureClass: "transient"),
            tr(11, "runtime", "run.resumed", run: "r1", worker: "w1", caseID: "case1"),
            tr(12, "revive", "case.closed", caseID: "case1"),
            tr(13, "revive", "case.lost", caseID: "case1"),
            tr(14, "runtime", "worker.lost", worker: "w1"),
            tr(15, "revive", "action.unknown", key: "k1"),
            tr(16, "revive", "action.reconciled", key: "k1", result: "committed"),
            tr(17, "worker:w1", "token.refreshed", connection: "c1", generation: 1),
            tr(18, "runtime", "run.completed", run: "r1"),
            tr(19, "runtime", "run.failed", run: "r1"),
            tr(20, "runtime", "checkpoint.saved", run: "r1", step: "s1"),
        ]
        var state: UInt64 = 0xB0B
        for _ in 0..<3_000 {
            var ts: [Transition] = []
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for k in 0..<Int(state >> 60) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                ts.append(pool[Int((state >> UInt64(20 + k % 8)) % UInt64(pool.count))])
            }
            let present = NamesPresent(ts)
            for invariant in Invariant.allCases where !present.mayBreak(invariant) {
                #expect(Self.walk(invariant, ts).isEmpty, "\(invariant) \(ts.map(\.name))")
            }
            #expect(InvariantChecker.check(ts) == Invariant.allCases.flatMap { Self.walk($0, ts) })
        }
    }

    /// The invariant's own walk, never skipped.
    static func walk(_ invariant: Invariant, _ ts: [Transition]) -> [Breach] {
        switch invariant {
        case .sameRun: return InvariantChecker.sameRun(ts)
        case .checkpointResume: return InvariantChecker.checkpointResume(ts)
        case .effectOnce: return InvariantChecker.effectOnce(ts)
        case .reconcileBeforeRetry: return InvariantChecker.reconcileBeforeRetry(ts)
        case .identityBound: return InvariantChecker.identityBound(ts)
        case .capabilitySingleUse: return InvariantChecker.capabilitySingleUse(ts)
        case .fencedGenerations: return InvariantChecker.fencedGenerations(ts)
        case .noDeadRetry: return InvariantChecker.noDeadRetry(ts)
        case .durableCase: return InvariantChecker.durableCase(ts)
        case .tokenCustody: return InvariantChecker.tokenCustody(ts)
        case .historyComplete: return InvariantChecker.historyComplete(ts)
        case .liveness: return InvariantChecker.liveness(ts)
        }
    }
}

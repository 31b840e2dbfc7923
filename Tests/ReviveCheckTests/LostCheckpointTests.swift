import Testing
import ReviveCheck
import ReviveVocabulary

/// `checkpoint-resume` is judged against the checkpoints that survived: a step whose checkpoint a
/// crash lost may run again; its mutation still must not happen twice.
struct LostCheckpointTests {
    static func rerun(lost: Bool, secondEffect: Bool) -> [Transition] {
        var ts = [
            tr(0, "runtime", "run.started", run: "run_7f2", worker: "worker-a"),
            tr(0, "worker-a", "step.started", run: "run_7f2", step: "send-briefing", attempt: 1),
            tr(100, "provider", "effect.applied", step: "send-briefing", attempt: 1, key: "k"),
            tr(100, "runtime", "checkpoint.saved", run: "run_7f2", step: "send-briefing", checkpoint: "ckpt-0001"),
        ]
        if lost { ts.append(tr(200, "runtime", "checkpoint.lost", run: "run_7f2", step: "send-briefing", checkpoint: "ckpt-0001")) }
        ts.append(tr(60_200, "worker-b", "step.started", run: "run_7f2", step: "send-briefing", attempt: 2))
        if secondEffect { ts.append(tr(60_300, "provider", "effect.applied", step: "send-briefing", attempt: 2, key: "k")) }
        return ts
    }

    @Test func reRunningAStepWhoseCheckpointWasLostIsLegal() {
        #expect(InvariantChecker.check(LostCheckpointTests.rerun(lost: true, secondEffect: false), invariants: [.checkpointResume]).isEmpty)
    }

    @Test func reRunningAStepWhoseCheckpointSurvivedIsABreach() {
        let breaches = InvariantChecker.check(LostCheckpointTests.rerun(lost: false, secondEffect: false), invariants: [.checkpointResume])
        #expect(breaches.map(\.invariant) == [.checkpointResume])
    }

    @Test func theMutationStillMustNotHappenTwice() {
        let breaches = InvariantChecker.check(LostCheckpointTests.rerun(lost: true, secondEffect: true))
        #expect(breaches.map(\.invariant) == [.effectOnce])
    }
}

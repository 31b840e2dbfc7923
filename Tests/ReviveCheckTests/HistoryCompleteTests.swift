import Testing
import ReviveCheck
import ReviveVocabulary

/// `history-complete`, broken by hand: each timeline is a small fallback story (Revive's journal
/// while its store is away, a worker's local history while the runtime's engine is away) with one
/// thing wrong, and the checker must name it under `history-complete` alone.
@Suite("history-complete")
struct HistoryCompleteTests {
    static let r = "run_7f2", w = "worker-a", c = "conn_microsoft_ops", key = "idem-run_7f2-send-briefing"

    /// The store is away from 50 ms for 2 minutes: two journaled decisions, then the drain.
    static var storeStory: [Transition] {
        [
            tr(0, "runtime", "run.started", run: r, worker: w),
            tr(50, "lab", "fault.injected", notes: [("fault", "store-unavailable"), ("for", "2m")]),
            tr(100, "revive", "store.unavailable", reason: "store-unavailable", notes: [("journal", "1")]),
            tr(200, "revive", "lease.issued", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               notes: [("journal", "2")]),
            tr(200, "revive", "action.intended", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, key: key,
               notes: [("journal", "2")]),
            tr(300, "revive", "action.committed", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, key: key,
               notes: [("journal", "4")]),
            tr(300, "runtime", "run.completed", run: r),
            tr(120_050, "revive", "store.drained", notes: [("journal", "1-4"), ("decisions", "4"), ("transitions", "4")]),
        ]
    }

    /// The runtime's engine is away from 50 ms for 200 ms: the worker keeps two lines, then uploads them.
    static var runtimeStory: [Transition] {
        [
            tr(0, "runtime", "run.started", run: r, worker: w),
            tr(50, "lab", "fault.injected", notes: [("fault", "runtime-unavailable"), ("for", "200ms")]),
            tr(100, w, "runtime.unavailable", run: r, worker: w, notes: [("local", "1")]),
            tr(100, w, "step.completed", run: r, worker: w, step: "read-calendar", attempt: 1, notes: [("local", "2")]),
            tr(300, w, "runtime.uploaded", run: r, worker: w, notes: [("local", "1-2"), ("transitions", "2")]),
            tr(300, w, "step.started", run: r, worker: w, step: "send-briefing", attempt: 1),
            tr(300, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, key: key),
            tr(400, "runtime", "run.completed", run: r),
        ]
    }

    func breaches(_ timeline: [Transition]) -> [Breach] { InvariantChecker.check(timeline) }

    func only(_ timeline: [Transition], saying phrase: String) {
        let found = breaches(timeline)
        #expect(found.map(\.invariant) == [.historyComplete], "\(found)")
        #expect(found.first?.message.contains(phrase) == true, "\(found.first?.message ?? "no breach")")
    }

    @Test func cleanFallbacksBreakNothing() {
        #expect(breaches(HistoryCompleteTests.storeStory) == [])
        #expect(breaches(HistoryCompleteTests.runtimeStory) == [])
    }

    @Test func aDrainThatSkipsAnEntryIsABreach() {
        var story = HistoryCompleteTests.storeStory
        story[7] = tr(120_050, "revive", "store.drained", notes: [("journal", "2-4"), ("decisions", "3"), ("transitions", "3")])
        only(story, saying: "left behind")
    }

    @Test func aDrainCarriedTwiceIsABreach() {
        let story = HistoryCompleteTests.storeStory
            + [tr(120_060, "revive", "store.drained", notes: [("journal", "1-4"), ("decisions", "4"), ("transitions", "4")])]
        only(story, saying: "again")
    }

    @Test func aDrainThatLosesTransitionsIsABreach() {
        var story = HistoryCompleteTests.storeStory
        story[7] = tr(120_050, "revive", "store.drained", notes: [("journal", "1-4"), ("decisions", "4"), ("transitions", "3")])
        only(story, saying: "carried 3 transitions, but 4")
    }

    @Test func aSharedDecisionBeforeTheDrainIsABreach() {
        var story = HistoryCompleteTests.storeStory
        story.insert(tr(120_050, "revive", "lease.issued", run: HistoryCompleteTests.r, connection: HistoryCompleteTests.c, generation: 1), at: 7)
        only(story, saying: "before journal=1 reached it")
    }

    @Test func aJournalThatNeverDrainsAfterTheStoreIsBackIsABreach() {
        var story = HistoryCompleteTests.storeStory
        story[7] = tr(200_000, "lab", "event.skipped", reason: "nothing")
        only(story, saying: "never reached the durable side")
    }

    @Test func journalingWhileTheStoreAnswersIsABreach() {
        var story = HistoryCompleteTests.storeStory
        story[5].time = Instant(milliseconds: 130_000)
        story[7].time = Instant(milliseconds: 130_001)
        only(story, saying: "while the shared store was reachable")
    }

    @Test(arguments: ["lease.rotated", "reconnect.verified", "case.resolved"])
    func aSharedOnlyDecisionOnTheJournalIsABreach(_ name: String) {
        var story = HistoryCompleteTests.storeStory
        story.insert(tr(250, "revive", name, run: HistoryCompleteTests.r, connection: HistoryCompleteTests.c, caseID: "case_1",
                        capability: "cap_1", notes: [("journal", "3")]), at: 5)
        story[8] = tr(120_050, "revive", "store.drained", notes: [("journal", "1-4"), ("decisions", "4"), ("transitions", "5")])
        let found = breaches(story).filter { $0.invariant == .historyComplete }
        #expect(found.count == 1 && found[0].message.contains("without the shared store"), "\(found)")
    }

    @Test func aSecondCaseForTheRunOnTheJournalIsABreachButAFirstIsNot() {
        let (r, c) = (HistoryCompleteTests.r, HistoryCompleteTests.c)
        var story = HistoryCompleteTests.storeStory
        story.insert(tr(250, "revive", "case.opened", run: r, connection: c, caseID: "case_2", notes: [("journal", "3")]), at: 5)
        story[8] = tr(120_050, "revive", "store.drained", notes: [("journal", "1-4"), ("decisions", "4"), ("transitions", "5")])
        #expect(breaches(story).filter { $0.invariant == .historyComplete } == [])
        story.insert(tr(40, "revive", "case.opened", run: r, connection: c, caseID: "case_1"), at: 1)
        let found = breaches(story).filter { $0.invariant == .historyComplete }
        #expect(found.count == 1 && found[0].message.contains("a second case for run"), "\(found)")
    }

    @Test func aMutatingCallKeptOnlyLocallyIsABreach() {
        let (r, w, c, key) = (HistoryCompleteTests.r, HistoryCompleteTests.w, HistoryCompleteTests.c, HistoryCompleteTests.key)
        let story = Array(HistoryCompleteTests.runtimeStory[0...3]) + [
            tr(200, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, key: key, notes: [("local", "3")]),
            tr(300, w, "runtime.uploaded", run: r, worker: w, notes: [("local", "1-3"), ("transitions", "3")]),
            tr(400, "runtime", "run.completed", run: r),
        ]
        only(story, saying: "called the provider while its history was kept only locally")
    }

    @Test func aCompletionKeptOnlyLocallyIsABreach() {
        let (r, w) = (HistoryCompleteTests.r, HistoryCompleteTests.w)
        let story = Array(HistoryCompleteTests.runtimeStory[0...3]) + [
            tr(200, "runtime", "run.completed", run: r, notes: [("local", "3")]),
            tr(300, w, "runtime.uploaded", run: r, worker: w, notes: [("local", "1-3"), ("transitions", "3")]),
        ]
        only(story, saying: "the run completed while its history was kept only locally")
    }

    @Test func aDurableLineBeforeTheUploadIsABreach() {
        var story = HistoryCompleteTests.runtimeStory
        story.swapAt(4, 5)
        only(story, saying: "before local=1 reached it")
    }

    @Test func anUploadThatForgetsALineIsABreach() {
        var story = HistoryCompleteTests.runtimeStory
        story[4] = tr(300, HistoryCompleteTests.w, "runtime.uploaded", notes: [("local", "1"), ("transitions", "1")])
        let found = breaches(story).filter { $0.invariant == .historyComplete }
        #expect(!found.isEmpty, "\(found)")
    }
}

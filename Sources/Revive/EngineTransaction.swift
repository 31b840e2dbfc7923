import ReviveVocabulary

/// One engine decision's view of its store transaction: the store's reads and writes, and the
/// transitions the decision emits, which the engine hands to its recorder only after the commit.
final class EngineTransaction {
    /// The store's open transaction.
    let store: RecoveryStoreTransaction
    /// The decision's transitions so far, in emission order. Unchecked: one decision, one thread,
    /// and only `record` writes it.
    @exclusivity(unchecked) private(set) var transitions: [Transition] = []
    /// The journal entry the decision becomes when it is taken on the local replica (nil: on the
    /// shared store). Its transitions carry it as `journal=N`.
    let journalEntry: Int?
    /// Why the decision must wait for the shared store, once a step of it said so.
    private(set) var waitReason: (reason: String, fill: (inout Transition) -> Void)?

    init(_ store: RecoveryStoreTransaction, journalEntry: Int? = nil) {
        self.store = store
        self.journalEntry = journalEntry
    }

    /// Hands over the decision's transitions, leaving none: the caller then holds the only
    /// reference to their storage and can move them out instead of copying them.
    func takeTransitions() -> [Transition] {
        var taken: [Transition] = []
        swap(&taken, &transitions)
        return taken
    }

    /// Whether the decision runs on the shared store.
    var isShared: Bool { journalEntry == nil }

    /// Refuses a step that is safe only against the shared store while the decision runs on the
    /// local replica: the decision is abandoned and the engine records `store.waiting` with
    /// `reason` and the facts `fill` sets.
    func requireShared(_ reason: String, _ fill: @escaping (inout Transition) -> Void = { _ in }) throws(RecoveryStoreError) {
        guard !isShared else { return }
        waitReason = (reason, fill)
        throw RecoveryStoreError.unavailable("\(reason) waits for the shared store")
    }

    /// Records a transition of a step attempt: run, worker, step and attempt come from the context.
    func emit(_ name: TransitionName, at time: Instant, context: ActionContext,
              _ fill: (inout Transition) -> Void) throws(RecoveryStoreError) {
        var transition = Transition(time: time, actor: .revive, name: name)
        transition.run = context.run.rawValue
        transition.worker = context.worker.rawValue
        transition.step = context.action.rawValue
        transition.attempt = context.attempt
        fill(&transition)
        try record(transition)
    }

    /// Records a transition outside any step attempt (a reconnect, an expiry, a case's close).
    func emit(_ name: TransitionName, at time: Instant, run: RunID?, _ fill: (inout Transition) -> Void) throws(RecoveryStoreError) {
        var transition = Transition(time: time, actor: .revive, name: name)
        transition.run = run?.rawValue
        fill(&transition)
        try record(transition)
    }

    /// Consuming: the emitters hand over the transition they built, so it is moved into the
    /// decision's list instead of copied (each copy retained every string it holds; the profile
    /// showed `Transition` copies high in every play).
    private func record(_ transition: consuming Transition) throws(RecoveryStoreError) {
        // A decision on the replica says so on every line: the history-complete check follows it to the drain.
        if let journalEntry { transition.notes.append(.init("journal", String(journalEntry))) }
        // The store writes it with the decision's state; the recorder sees it only after the commit.
        try store.record(transition)
        transitions.append(transition)
    }
}

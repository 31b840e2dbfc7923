import ReviveVocabulary

/// One engine decision's view of its store transaction: the store's reads and writes, and the
/// transitions the decision emits, which the engine hands to its recorder only after the commit.
final class EngineTransaction {
    /// The store's open transaction.
    let store: RecoveryStoreTransaction
    /// The decision's transitions so far, in emission order.
    private(set) var transitions: [Transition] = []

    init(_ store: RecoveryStoreTransaction) { self.store = store }

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

    private func record(_ transition: Transition) throws(RecoveryStoreError) {
        // The store writes it with the decision's state; the recorder sees it only after the commit.
        try store.record(transition)
        transitions.append(transition)
    }
}

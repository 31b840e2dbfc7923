import ReviveVocabulary

/// One engine decision's view of its store transaction: the store's reads and writes, and the
/// transitions the decision emits, which the engine hands to its recorder only after the commit.
final class EngineTransaction {
    /// The store's open transaction; nil while the object waits to be reused (a spare must not
    /// hold the store's transaction object, which the store reuses only when nothing else does).
    /// Not retained: the store keeps its transaction alive for the whole of the decision's body,
    /// the only time it is read here (`reopen` to `close`, or the fallback's decision, whose
    /// recording transaction its caller holds), and a retain and a release of it on every
    /// decision of every play bought nothing.
    @exclusivity(unchecked) private unowned(unsafe) var held: RecoveryStoreTransaction?
    /// The decision's transitions so far, in emission order, in a buffer the object keeps from
    /// one decision to the next: a fresh array per decision was allocated, grown and freed on
    /// every decision of every play, and handing one over moved every transition twice.
    /// Unchecked: one decision, one thread.
    @exclusivity(unchecked) private var buffer = UnsafeMutablePointer<Transition>.allocate(capacity: 4)
    @exclusivity(unchecked) private var capacity = 4
    @exclusivity(unchecked) private var count = 0
    /// Whether a slot is out on loan (the store's `record`, the hand-over): see `openSlot`.
    @exclusivity(unchecked) private var busy = false
    /// The journal entry the decision becomes when it is taken on the local replica (nil: on the
    /// shared store). Its transitions carry it as `journal=N`.
    @exclusivity(unchecked) private(set) var journalEntry: Int?
    /// Why the decision must wait for the shared store, once a step of it said so.
    @exclusivity(unchecked) private(set) var waitReason: (reason: String, fill: (inout Transition) -> Void)?
    /// Whether the store is told of each transition (`RecoveryStoreTransaction.record`). The
    /// in-memory store keeps none (the recorder is its timeline): lending each transition to its
    /// empty `record` moved it out of the list and back (two copies of its 184 bytes, a call and
    /// a retain) for nothing, on every transition of every play.
    @exclusivity(unchecked) private var tellsStore = true

    init(_ store: RecoveryStoreTransaction, journalEntry: Int? = nil) {
        self.held = store
        self.journalEntry = journalEntry
    }

    /// A decision object waiting to be reused (`reopen(over:)`).
    init() {}

    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    /// The store's open transaction.
    var store: RecoveryStoreTransaction { held! }

    /// Starts a new decision on the shared store with this object, forgetting the last one's;
    /// `tellingStore` false when the store keeps no transitions.
    func reopen(over store: RecoveryStoreTransaction, tellingStore: Bool = true) {
        // Each step only when there is something to undo: a decision leaves none of them behind
        // when it commits, and clearing them regardless called the runtime on every decision.
        if count > 0 { discardTransitions() }
        held = store
        if journalEntry != nil { journalEntry = nil }
        if waitReason != nil { waitReason = nil }
        tellsStore = tellingStore
    }

    /// Lets go of the store's transaction once the decision's transaction is over.
    func close() { held = nil }

    /// Drops the transitions of a decision that did not commit.
    func discardTransitions() {
        buffer.deinitialize(count: count)
        count = 0
    }

    /// Hands the decision's transitions to `recorder`, in order, moved rather than copied, leaving none.
    /// Nothing may emit into this object meanwhile (`busy`): the engine takes a decision object
    /// out of its spare slot while it is in use, so a decision the recorder starts gets another.
    func handOver(to recorder: TransitionRecorder) {
        let taken = count
        count = 0
        busy = true
        defer { busy = false }
        for index in 0..<taken { recorder.record((buffer + index).move()) }
    }

    /// Hands over the decision's transitions as an array, leaving none.
    func takeTransitions() -> [Transition] {
        var taken: [Transition] = []
        taken.reserveCapacity(count)
        for index in 0..<count { taken.append((buffer + index).move()) }
        count = 0
        return taken
    }

    /// Whether the decision runs on the shared store.
    var isShared: Bool { journalEntry == nil }

    /// Refuses a step that is safe only against the shared store while the decision runs on the
    /// local replica: the decision is abandoned and the engine records `store.waiting` with
    /// `reason` and the facts `fill` sets.
    // Inlined so the check comes before the callers' `fill` closures are built: called, each call
    // allocated its closure's context on the heap, on the shared store too, where it goes unused.
    @inline(__always)
    func requireShared(_ reason: String, _ fill: @escaping (inout Transition) -> Void = { _ in }) throws(RecoveryStoreError) {
        guard !isShared else { return }
        waitReason = (reason, fill)
        throw RecoveryStoreError.unavailable("\(reason) waits for the shared store")
    }

    /// Records a transition of a step attempt: run, worker, step and attempt come from the context.
    func emit(_ name: TransitionName, at time: Instant, context: ActionContext,
              _ fill: (inout Transition) -> Void) throws(RecoveryStoreError) {
        let slot = openSlot(Transition(time: time, actor: .revive, name: name))
        slot.pointee.run = context.run.rawValue
        slot.pointee.worker = context.worker.rawValue
        slot.pointee.step = context.action.rawValue
        slot.pointee.attempt = context.attempt
        fill(&slot.pointee)
        try record(slot)
    }

    /// Records a transition outside any step attempt (a reconnect, an expiry, a case's close).
    func emit(_ name: TransitionName, at time: Instant, run: RunID?, _ fill: (inout Transition) -> Void) throws(RecoveryStoreError) {
        let slot = openSlot(Transition(time: time, actor: .revive, name: name))
        slot.pointee.run = run?.rawValue
        fill(&slot.pointee)
        try record(slot)
    }

    /// The next place in the decision's list, holding `transition`: the emitters fill it in
    /// place, so a transition is never copied or moved on its way into the list (a copy retained
    /// every string it holds; the profile showed `Transition` copies high in every play).
    private func openSlot(_ transition: consuming Transition) -> UnsafeMutablePointer<Transition> {
        // A slot is held by raw pointer across the store's call and the hand-over: an emit into
        // this object then could grow the buffer under it. No path does; this keeps it so.
        precondition(!busy, "a decision object emitted into while it hands over or records")
        if count == capacity { grow() }
        let slot = buffer + count
        slot.initialize(to: transition)
        count += 1
        return slot
    }

    /// Finishes the transition in `slot`, the list's newest. Should the store throw, the decision
    /// is abandoned, and its list with it.
    private func record(_ slot: UnsafeMutablePointer<Transition>) throws(RecoveryStoreError) {
        // A decision on the replica says so on every line: the history-complete check follows it to the drain.
        if let journalEntry { slot.pointee.notes.append(.init("journal", String(journalEntry))) }
        guard tellsStore else { return }
        // The store writes it with the decision's state; the recorder sees it only after the commit.
        // Lent from a local, the slot's value moved out and back: lent from the slot itself, it
        // was copied for the call (a retain and a release per string it holds).
        let transition = slot.move()
        busy = true
        defer {
            slot.initialize(to: transition)
            busy = false
        }
        try store.record(transition)
    }

    private func grow() {
        let larger = UnsafeMutablePointer<Transition>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = larger
        capacity *= 2
    }
}

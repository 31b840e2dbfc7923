import ReviveVocabulary

/// Revive's recovery engine: classify, join, park, ask, verify, rotate, reconcile, resume.
///
/// It performs no I/O, reads no clock and draws no random number: time comes in as `Instant`s,
/// ids and secrets from the `IdentifierSource`, tokens stay with the `CredentialBroker`, and every
/// decision is recorded as a `Transition`. Calls are synchronous and single-threaded; wrap the
/// engine in an actor to share it.
///
/// The engine keeps no state of its own: everything lives in its `RecoveryStore`, so an engine
/// made over the same store after a restart carries on where the last one stopped. Each public
/// call is one decision in one store transaction (two around a broker call); its transitions
/// reach the `TransitionRecorder` only once that transaction commits, and a store failure throws
/// `RecoveryStoreError` with nothing of the decision kept or recorded. With a `LocalFallback`, an
/// unreachable store does not stop the engine: see `LocalFallback` for what it decides locally.
public final class RecoveryEngine {
    /// The limits in force.
    public let configuration: RecoveryConfiguration
    /// The classifier in force.
    public let classifier: Classifier
    let store: RecoveryStore
    let ids: IdentifierSource
    let broker: CredentialBroker
    let recorder: TransitionRecorder
    /// The decision object of the decisions on the shared store, reused by each with its
    /// transitions' room: one decision object (and its buffer) per decision was allocated and
    /// freed on every decision of every play. Scratch, not state: it holds nothing between
    /// decisions. Kept for good and lent by a flag, where a spare taken out of an optional slot
    /// and put back cost four reference-count operations and a uniqueness check a decision.
    private let ownDecision = EngineTransaction()
    /// Whether `ownDecision` is lent to a decision under way (a decision the recorder starts
    /// meanwhile gets its own object). Unchecked: the engine is single-threaded and every access
    /// is a plain read or write, never held across a call, so the runtime's check guarded nothing.
    @exclusivity(unchecked) private var ownDecisionBusy = false
    /// Where the engine decides while its store is unreachable (nil: it does not; an unreachable
    /// store then fails every decision with `.unavailable`).
    public let fallback: LocalFallback?
    /// Whether the store keeps the transitions its transactions are told of: the in-memory store
    /// keeps none (see `EngineTransaction.tellsStore`). Asked once, not on every decision.
    private let storeKeepsTransitions: Bool

    /// Makes an engine over a store, an id source, a broker and a timeline recorder; with a
    /// `fallback`, it goes on deciding on a local replica while the store is unreachable.
    public init(configuration: RecoveryConfiguration = RecoveryConfiguration(), classifier: Classifier = Classifier(),
                store: RecoveryStore = InMemoryRecoveryStore(), ids: IdentifierSource,
                broker: CredentialBroker, recorder: TransitionRecorder, fallback: LocalFallback? = nil) {
        self.fallback = fallback
        self.configuration = configuration
        self.classifier = classifier
        self.store = store
        storeKeepsTransitions = !(store is InMemoryRecoveryStore)
        self.ids = ids
        self.broker = broker
        self.recorder = recorder
    }

    /// Runs one decision in one store transaction, then hands its transitions to the recorder, in
    /// order; if the store throws, nothing of the decision is kept or recorded.
    func decideShared<T>(_ body: (EngineTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        // Lent while in use: a decision the recorder starts meanwhile gets its own. Passed on as
        // it is, not chosen into a local: that local retained and released the engine's own
        // object on every decision of every play.
        guard !ownDecisionBusy else { return try decideShared(on: EngineTransaction(), body) }
        ownDecisionBusy = true
        defer { ownDecisionBusy = false }
        return try decideShared(on: ownDecision, body)
    }

    /// `decideShared` with `decision`.
    private func decideShared<T>(on decision: EngineTransaction,
                                 _ body: (EngineTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        let result: T
        do throws(RecoveryStoreError) {
            result = try store.transaction { (transaction) throws(RecoveryStoreError) -> T in
                decision.reopen(over: transaction, tellingStore: storeKeepsTransitions)
                defer { decision.close() }
                return try body(decision)
            }
        } catch {
            decision.discardTransitions()
            throw error
        }
        decision.handOver(to: recorder)
        return result
    }

    /// Hands a committed decision's transitions to the recorder, in order. Moved out one by one
    /// (reversed, then popped from the end): the recorder takes each `consuming`, and a copy out
    /// of the array retained every string a transition holds only for the array's release to
    /// drop them again, on every decision of every play. Reversed through a buffer, whose swaps
    /// move elements; the array's own swaps copied them.
    func handOver(_ committed: inout [Transition]) {
        committed.withUnsafeMutableBufferPointer { $0.reverse() }
        while let transition = committed.popLast() { recorder.record(transition) }
    }

    /// Registers a connection and pins its identity (recorded as `connection.pinned`).
    public func register(_ connection: ConnectionRecord, at time: Instant = .zero) throws(RecoveryStoreError) {
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            try tx.store.save(connection)
            let generation = try tx.store.generation(of: connection.id)
            try tx.emit(.connectionPinned, at: time, run: nil) { t in
                t.connection = connection.id.rawValue
                t.subject = connection.pinnedIdentity.subject
                t.tenant = connection.pinnedIdentity.tenant
                t.generation = generation.value
                let provider = Transition.Note("provider", connection.provider.rawValue)
                let broker = Transition.Note("broker", connection.broker.rawValue)
                // What the provider promises about keys, when it is not the default (a lookup, nothing late).
                let promise = connection.idempotency
                guard promise.mode != .lookup || promise.settleAfter > .zero else {
                    // The usual two notes as a literal, made at its size in one allocation.
                    t.notes = [provider, broker]
                    return
                }
                // Room for every note at once: grown note by note, the list was reallocated twice a line.
                t.notes.reserveCapacity(4)
                t.notes.append(provider)
                t.notes.append(broker)
                if promise.mode != .lookup { t.notes.append(.init("idempotency", promise.mode.rawValue)) }
                if promise.settleAfter > .zero { t.notes.append(.init("settle-after", promise.settleAfter.description)) }
            }
        }
    }

    /// The connection's current lease generation.
    public func currentGeneration(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration {
        try decide { (tx) throws(RecoveryStoreError) in try tx.store.generation(of: connection) }
    }

    /// A recovery case by id (nil once a closed case has outlived `closedCaseRetention`).
    public func recoveryCase(_ id: CaseID) throws(RecoveryStoreError) -> RecoveryCase? {
        try decide { (tx) throws(RecoveryStoreError) in try tx.store.recoveryCase(id) }
    }

    /// The ledger entry of an action, if it has one.
    public func ledgerEntry(_ key: IdempotencyKey) throws(RecoveryStoreError) -> LedgerEntry? {
        try decide { (tx) throws(RecoveryStoreError) in try tx.store.ledgerEntry(key) }
    }

    /// Closes a case once its run has resumed (on whichever worker picked it up).
    public func closeCase(_ id: CaseID, resumedOn worker: WorkerID, at time: Instant) throws(RecoveryStoreError) {
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            guard var recoveryCase = try tx.store.recoveryCase(id), recoveryCase.state == .awaitingResume else { return }
            recoveryCase.state = .closed
            recoveryCase.closedAt = time
            recoveryCase.grant = nil
            try tx.store.save(recoveryCase)
            try tx.emit(.caseClosed, at: time, run: recoveryCase.run) { t in
                t.connection = recoveryCase.connection.rawValue
                t.caseID = id.rawValue
                t.worker = worker.rawValue
                t.notes.append(.init("opened-by", recoveryCase.openedBy.rawValue))
            }
            try pruneExpired(at: time, in: tx)
        }
    }

    /// Records a refresh that another worker (another run sharing the connection) made through
    /// Revive: the token pair rotated, so this connection's generation moves on.
    public func recordRefreshElsewhere(of connection: ConnectionID, by holder: String, run: RunID?,
                                       at time: Instant) throws(RecoveryStoreError) -> LeaseGeneration {
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            let previous = try tx.store.generation(of: connection)
            let next = previous.next()
            try tx.emit(.tokenRefreshed, at: time, run: run) { t in
                t.connection = connection.rawValue
                t.generation = previous.value
                t.worker = holder
                t.reason = "another-worker"
            }
            try rotate(connection, to: next, reason: "refresh", caseID: nil, identity: nil, run: run, at: time, in: tx)
            return next
        }
    }

    /// Bumps a connection's generation (after a verified reconnect or a refresh): older leases are fenced from now on.
    func rotate(_ connection: ConnectionID, to rotated: LeaseGeneration, reason: String, caseID: CaseID?,
                identity: ProviderIdentity?, run: RunID?, at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) {
        let transaction = tx.store
        // Another host may rotate the same connection: only the shared store can say which generation is next.
        try tx.requireShared("rotate-generation") { t in
            t.connection = connection.rawValue
            t.caseID = caseID?.rawValue
            t.run = run?.rawValue
        }
        let previous = try transaction.generation(of: connection)
        // Alone, the engine never sees this; over a shared store, another engine rotated first.
        guard rotated > previous else {
            throw RecoveryStoreError.conflict("connection \(connection) is at generation \(previous) already, not below \(rotated)")
        }
        try transaction.setGeneration(rotated, of: connection)
        // An older generation's lease is fenced by its generation alone, so it need not be kept.
        try transaction.deleteLeases(of: connection, olderThan: rotated)
        try pruneExpired(at: time, in: tx)
        try tx.emit(.leaseRotated, at: time, run: run) { t in
            t.connection = connection.rawValue
            t.caseID = caseID?.rawValue
            t.generation = rotated.value
            t.subject = identity?.subject
            t.tenant = identity?.tenant
            t.reason = reason
            t.notes.append(.init("from", previous.description))
        }
    }

    /// Deletes what has outlived `closedCaseRetention` (see `RecoveryStore` for the bound).
    func pruneExpired(at time: Instant, in tx: EngineTransaction) throws(RecoveryStoreError) {
        let transaction = tx.store
        let cutoff = Instant(milliseconds: time.milliseconds - configuration.closedCaseRetention.milliseconds)
        try transaction.deleteCases(closedBefore: cutoff)
        try transaction.deleteSettledEntries(changedBefore: cutoff)
        try transaction.deleteRefreshMarks(before: cutoff)
        try transaction.deleteLeases(issuedBefore: cutoff)
        try transaction.deleteLosses(before: cutoff)
    }

    static func union(_ granted: [String], _ needed: [String]) -> [String] {
        var result = granted
        for scope in needed where !result.contains(scope) { result.append(scope) }
        return result
    }
}

import ReviveVocabulary

/// Durable storage for everything a restarted engine needs: connections, lease generations,
/// leases and their revocations, cases, capabilities, the action ledger and refresh marks.
///
/// The engine owns the rules; a store only keeps records. Every public engine call is one
/// decision and runs in one `transaction` (a decision that calls the `CredentialBroker` runs as
/// two, one on each side of the call, because no transaction is held across a network call). A
/// transaction commits all of its writes and its decision's transitions together, or none.
///
/// What a store keeps, and for how long (the engine deletes the rest inside its decisions, when a
/// case closes and when a generation rotates; there is no background thread):
/// - connection records and each connection's generation and newest dead generation: one each;
/// - open cases with their capabilities (at most `maxReminders + 1` each) and the ledger entries
///   of their runs, for as long as they stay open;
/// - closed cases and their capabilities, until they have been closed for longer than
///   `RecoveryConfiguration.closedCaseRetention`;
/// - committed, reconciled-committed and failed ledger entries, for the retention window after
///   their last change (they make retries idempotent); unsettled ones until they settle;
/// - leases of the connection's current generation only (older ones are fenced by their
///   generation alone), and none issued before the retention window;
/// - one loss mark per lost worker and one refresh mark per (run, action), for the window.
///
/// `InMemoryRecoveryStore` serves the lab (the engine outlives the simulated workers); a real
/// integration plugs in a database whose transactions give the same all-or-nothing guarantee.
public protocol RecoveryStore: AnyObject {
    /// Runs one decision: `body` reads and writes through the transaction, then the store commits
    /// (returning `body`'s result) or, if `body` or the commit throws, keeps nothing of it.
    ///
    /// Transactions never nest, and a transaction object is never used after `body` returns.
    func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T
}

/// One open transaction of a `RecoveryStore`: the reads and writes of one engine decision.
///
/// Reads see the transaction's own writes. Every call may throw `RecoveryStoreError`; the
/// engine then abandons the decision and the store rolls the transaction back.
public protocol RecoveryStoreTransaction: AnyObject {
    // MARK: Connections and generations

    /// A registered connection.
    func connection(_ id: ConnectionID) throws(RecoveryStoreError) -> ConnectionRecord?
    /// Inserts or replaces a connection record.
    func save(_ connection: ConnectionRecord) throws(RecoveryStoreError)
    /// The connection's current lease generation (`.first` if never rotated).
    func generation(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration
    /// Stores a new generation; the engine only ever moves it forward.
    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError)
    /// The newest generation classified as a dead grant, if any: it is never used again.
    func deadGeneration(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration?
    /// Stores the newest dead generation.
    func setDeadGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError)

    // MARK: Leases and lost workers

    /// A stored lease with its revocation, by id.
    func lease(_ id: LeaseID) throws(RecoveryStoreError) -> LeaseRecord?
    /// The stored leases a worker holds, in any order.
    func leases(heldBy worker: WorkerID) throws(RecoveryStoreError) -> [LeaseRecord]
    /// Inserts or replaces a lease.
    func save(_ lease: LeaseRecord) throws(RecoveryStoreError)
    /// Deletes the connection's leases of generations older than `generation`.
    func deleteLeases(of connection: ConnectionID, olderThan generation: LeaseGeneration) throws(RecoveryStoreError)
    /// Deletes every lease issued before `cutoff`.
    func deleteLeases(issuedBefore cutoff: Instant) throws(RecoveryStoreError)
    /// When the worker was last declared lost, if it was.
    func lastLoss(of worker: WorkerID) throws(RecoveryStoreError) -> Instant?
    /// Stores when the worker was (last) declared lost.
    func setLastLoss(_ instant: Instant, of worker: WorkerID) throws(RecoveryStoreError)
    /// Deletes the loss marks set before `cutoff`.
    func deleteLosses(before cutoff: Instant) throws(RecoveryStoreError)

    // MARK: Cases and capabilities

    /// A case by id.
    func recoveryCase(_ id: CaseID) throws(RecoveryStoreError) -> RecoveryCase?
    /// The connection's newest case that is not closed, if any.
    func openCase(for connection: ConnectionID) throws(RecoveryStoreError) -> RecoveryCase?
    /// Every case that is not closed, ordered by id (a restarted engine's sweep).
    func openCases() throws(RecoveryStoreError) -> [RecoveryCase]
    /// Inserts or replaces a case.
    func save(_ recoveryCase: RecoveryCase) throws(RecoveryStoreError)
    /// Deletes the cases closed before `cutoff`, with their capabilities.
    func deleteCases(closedBefore cutoff: Instant) throws(RecoveryStoreError)
    /// A capability by id.
    func capability(_ id: CapabilityID) throws(RecoveryStoreError) -> CapabilityRecord?
    /// A capability by the digest of its value.
    func capability(digest: String) throws(RecoveryStoreError) -> CapabilityRecord?
    /// Inserts or replaces a capability.
    func save(_ capability: CapabilityRecord) throws(RecoveryStoreError)

    // MARK: The ledger and refresh marks

    /// A ledger entry by key.
    func ledgerEntry(_ key: IdempotencyKey) throws(RecoveryStoreError) -> LedgerEntry?
    /// Inserts or replaces a ledger entry.
    func save(_ entry: LedgerEntry) throws(RecoveryStoreError)
    /// Deletes the settled entries (`committed`, `reconciled-committed`, `failed`) last changed
    /// before `cutoff`, except those of a run that has a case not closed.
    func deleteSettledEntries(changedBefore cutoff: Instant) throws(RecoveryStoreError)
    /// The refresh mark of a run's action, if one of its attempts refreshed.
    func refreshMark(run: RunID, action: ActionKey) throws(RecoveryStoreError) -> RefreshMark?
    /// Inserts or replaces the mark of the mark's (run, action).
    func save(_ mark: RefreshMark) throws(RecoveryStoreError)
    /// Deletes the refresh marks set before `cutoff`.
    func deleteRefreshMarks(before cutoff: Instant) throws(RecoveryStoreError)

    // MARK: The decision's timeline

    /// Appends one of the decision's transitions, in emission order; a durable store writes them
    /// with the state so the timeline and the records never disagree. The engine hands them to
    /// its `TransitionRecorder` once the transaction commits.
    func record(_ transition: Transition) throws(RecoveryStoreError)
}

/// The newest step attempt of a run's action that refreshed: refresh once per attempt, then reclassify.
public struct RefreshMark: Hashable, Sendable {
    /// The run.
    public let run: RunID
    /// The action inside the run.
    public let action: ActionKey
    /// The attempt that refreshed; it and every older attempt get no further refresh.
    public let attempt: Int
    /// When the refresh was decided.
    public let markedAt: Instant

    /// Makes a mark (a store implementation rebuilds marks from its rows with this).
    public init(run: RunID, action: ActionKey, attempt: Int, markedAt: Instant) {
        self.run = run
        self.action = action
        self.attempt = attempt
        self.markedAt = markedAt
    }
}

import ReviveVocabulary

/// A `RecoveryStore` in memory: durable for the life of the process that holds it, and never throws.
///
/// A transaction writes in place and each table logs the rows it replaced; if the decision fails,
/// the log puts those rows back, so a failed decision leaves nothing behind (as a database
/// rollback would). It keeps no transition log: the engine's recorder holds the timeline.
/// Like the engine, it is single-threaded.
public final class InMemoryRecoveryStore: RecoveryStore {
    /// The tables, in memory the store allocates once and owns. Reached through a pointer, not
    /// kept as a stored property: a read of a table held in a class property copied the table's
    /// three references (a retain and a release each) around every lookup, on every read of
    /// every decision. Through the pointer, and walked by a call known to write nothing
    /// (`RowTable.walk`, `RowKey`), the table is read where it lies. The store is single-threaded
    /// (above) and transactions do not nest, so no two accesses overlap.
    fileprivate let rows: UnsafeMutablePointer<Rows>
    /// Whether the open transaction wrote: a decision that only read has nothing to commit.
    @exclusivity(unchecked) fileprivate var written = false
    @exclusivity(unchecked) private var inTransaction = false
    /// The last transaction's object, reopened for the next one when nothing else holds it (a
    /// held one stays closed): one object per decision was allocated and freed on every decision.
    @exclusivity(unchecked) private var spare: InMemoryTransaction?

    /// An empty store.
    public init() {
        rows = .allocate(capacity: 1)
        rows.initialize(to: Rows())
    }

    deinit {
        rows.deinitialize(count: 1)
        rows.deallocate()
    }

    /// A store holding the same records as this one, committed (a replica rebuilt from it).
    public func copy() -> InMemoryRecoveryStore {
        precondition(!inTransaction, "a store is copied between decisions")
        let copy = InMemoryRecoveryStore()
        copy.rows.pointee = rows.pointee.copied()
        return copy
    }

    /// Runs `body` on the rows; if it throws, puts back every row it wrote.
    public func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        precondition(!inTransaction, "transactions do not nest: one decision, one transaction")
        inTransaction = true
        if !isKnownUniquelyReferenced(&spare) { spare = InMemoryTransaction(store: self) }
        // Unowned (unsafe): `spare` holds the object strongly until this decision ends (nothing
        // replaces it meanwhile: transactions do not nest), and a strong local cost a retain and
        // a release of it on every decision of every play.
        unowned(unsafe) let transaction = spare.unsafelyUnwrapped
        transaction.isOpen = true
        defer {
            transaction.isOpen = false
            inTransaction = false
        }
        written = false
        do {
            let result = try body(transaction)
            if written { rows.pointee.commit() }
            return result
        } catch {
            if written { rows.pointee.rollback() }
            throw error
        }
    }
}

/// The in-memory store's transaction: reads and writes go straight to the rows, logged for rollback.
private final class InMemoryTransaction: RecoveryStoreTransaction {
    // Unowned: the store keeps this object for reuse, and a strong reference back would keep
    // both alive forever. The store outlives every use (`rows` checks `isOpen` first, and a
    // transaction is open only inside the store's own `transaction`).
    private unowned(unsafe) let store: InMemoryRecoveryStore
    @exclusivity(unchecked) var isOpen = true

    init(store: InMemoryRecoveryStore) { self.store = store }

    /// The rows, while the transaction is open: a kept transaction object is a bug in its user.
    /// Lent where they lie (see `InMemoryRecoveryStore.rows`): a getter copied all eleven tables
    /// on every read, and a read through the store's stored property still copied the table read.
    private var rows: UnsafeMutablePointer<Rows> {
        precondition(isOpen, "a transaction is used only inside its decision")
        return store.rows
    }

    /// The rows, to write: the store then has something to commit or roll back.
    private var writable: UnsafeMutablePointer<Rows> {
        precondition(isOpen, "a transaction is used only inside its decision")
        store.written = true
        return store.rows
    }

    // MARK: Connections and generations

    func connection(_ id: ConnectionID) -> ConnectionRecord? { rows.pointee.connections[id] }

    func save(_ connection: ConnectionRecord) { writable.pointee.setConnection(connection.id, connection) }

    func generation(of connection: ConnectionID) -> LeaseGeneration { rows.pointee.generations[connection] ?? .first }

    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) {
        // Checked on the row the write replaced (one lookup); a failed check stops the process either way.
        writable.pointee.setGeneration(connection, generation) { old in
            precondition(generation >= old ?? .first, "a lease generation never moves backwards")
        }
    }

    func deadGeneration(of connection: ConnectionID) -> LeaseGeneration? { rows.pointee.deadGenerations[connection] }

    func setDeadGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) {
        writable.pointee.setDeadGeneration(connection, generation)
    }

    // MARK: Leases and lost workers

    func lease(_ id: LeaseID) -> LeaseRecord? { rows.pointee.leases[id] }

    /// By lease id, as the SQLite and PostgreSQL stores list them: a table's own order is what its
    /// deletions left (a deleted row's place goes to the last row), which no reader may depend on.
    func leases(heldBy worker: WorkerID) -> [LeaseRecord] {
        rows.pointee.leases.values(where: { $0.lease.holder == worker }).sorted { $0.lease.id.rawValue < $1.lease.id.rawValue }
    }

    func save(_ lease: LeaseRecord) { writable.pointee.setLease(lease.lease.id, lease) }

    func deleteLeases(of connection: ConnectionID, olderThan generation: LeaseGeneration) {
        writable.pointee.deleteLeases { $0.lease.connection == connection && $0.lease.generation < generation }
    }

    func deleteLeases(issuedBefore cutoff: Instant) { writable.pointee.deleteLeases { $0.lease.issuedAt < cutoff } }

    func lastLoss(of worker: WorkerID) -> Instant? { rows.pointee.losses[worker] }

    func setLastLoss(_ instant: Instant, of worker: WorkerID) { writable.pointee.setLoss(worker, instant) }

    func deleteLosses(before cutoff: Instant) { writable.pointee.deleteLosses { $0 < cutoff } }

    // MARK: Cases and capabilities

    func recoveryCase(_ id: CaseID) -> RecoveryCase? { rows.pointee.cases[id] }

    func openCases() -> [RecoveryCase] {
        rows.pointee.cases.values(where: { $0.state != .closed }).sorted { $0.id.rawValue < $1.id.rawValue }
    }

    func openCase(for connection: ConnectionID) -> RecoveryCase? {
        rows.pointee.openCaseByConnection[connection].flatMap { rows.pointee.cases[$0] }
    }

    /// The connection's open-case pointer: a case that blocks the connection (awaiting a
    /// reconnect, or escalated) takes it; one awaiting its run's resume keeps it or takes an
    /// empty one, never another case's (a refusal counted on an old case must not hide the case
    /// the connection now waits on); a closing case clears it when it names that case.
    func save(_ recoveryCase: RecoveryCase) {
        writable.pointee.setCase(recoveryCase.id, recoveryCase)
        if recoveryCase.state == .awaitingResume {
            if rows.pointee.openCaseByConnection[recoveryCase.connection] == nil {
                writable.pointee.setOpenCase(recoveryCase.connection, recoveryCase.id)
            }
        } else if recoveryCase.state != .closed {
            writable.pointee.setOpenCase(recoveryCase.connection, recoveryCase.id)
        } else if rows.pointee.openCaseByConnection[recoveryCase.connection] == recoveryCase.id {
            writable.pointee.setOpenCase(recoveryCase.connection, nil)
        }
    }

    func deleteCases(closedBefore cutoff: Instant) {
        let expired = Set(rows.pointee.cases.values(where: { $0.state == .closed && $0.closedAt.map { $0 < cutoff } ?? false }).map(\.id))
        guard !expired.isEmpty else { return }
        writable.pointee.deleteCases { expired.contains($0.id) }
        for capability in rows.pointee.capabilities.values where expired.contains(capability.caseID) {
            writable.pointee.setCapability(capability.id, nil) { _ in }
            writable.pointee.setDigest(DigestKey(capability.digest), nil)
        }
    }

    func capability(_ id: CapabilityID) -> CapabilityRecord? { rows.pointee.capabilities[id] }

    func capability(digest: String) -> CapabilityRecord? { rows.pointee.capabilityByDigest[DigestKey(digest)].flatMap { rows.pointee.capabilities[$0] } }

    func save(_ capability: CapabilityRecord) {
        // The old row's field read in place: binding the row copied it (a retain per reference).
        writable.pointee.setCapability(capability.id, capability) { old in
            if let consumed = old?.consumedAt {
                precondition(consumed == capability.consumedAt, "a capability is consumed at most once")
            }
        }
        writable.pointee.setDigest(DigestKey(capability.digest), capability.id)
    }

    // MARK: The ledger and refresh marks

    func ledgerEntry(_ key: IdempotencyKey) -> LedgerEntry? { rows.pointee.ledger[key] }

    func save(_ entry: LedgerEntry) {
        // The old row's state read in place: binding the row copied it (its box and worker
        // retained and released) on every save of every decision.
        writable.pointee.setLedger(entry.key, entry) { old in
            if old?.state.isCommitted == true {
                precondition(entry.state.isCommitted, "a committed action never goes back to uncommitted")
            }
        }
    }

    func deleteSettledEntries(changedBefore cutoff: Instant) {
        // A local function, not a closure held in a constant: that one's context was allocated
        // on the heap on every prune (every rotation and every closed case of every play).
        func expired(_ entry: LedgerEntry) -> Bool { (entry.state.isCommitted || entry.state == .failed) && entry.changedAt < cutoff }
        // Most prunes find nothing old enough: the parked runs' set was built for them all the same.
        guard rows.pointee.ledger.contains(where: expired) else { return }
        // A parked run resumes from its checkpoint: its committed steps must stay known until its case closes.
        let parkedRuns = Set(rows.pointee.cases.values(where: { $0.state != .closed }).map(\.run))
        writable.pointee.deleteLedgerEntries { entry in expired(entry) && !parkedRuns.contains(entry.run) }
    }

    func refreshMark(run: RunID, action: ActionKey) -> RefreshMark? { rows.pointee.refreshMarks[RefreshKey(run: run, action: action)] }

    func save(_ mark: RefreshMark) { writable.pointee.setRefreshMark(RefreshKey(run: mark.run, action: mark.action), mark) }

    func deleteRefreshMarks(before cutoff: Instant) { writable.pointee.deleteRefreshMarks { $0.markedAt < cutoff } }

    // MARK: The decision's timeline

    /// Keeps nothing: in memory, the engine's recorder is the only timeline (so the engine's
    /// decisions do not call it at all: `EngineTransaction.tellsStore`).
    func record(_ transition: Transition) {}
}

import ReviveVocabulary

/// A `RecoveryStore` in memory: durable for the life of the process that holds it, and never throws.
///
/// A transaction writes in place and each table logs the rows it replaced; if the decision fails,
/// the log puts those rows back, so a failed decision leaves nothing behind (as a database
/// rollback would). It keeps no transition log: the engine's recorder holds the timeline.
/// Like the engine, it is single-threaded.
public final class InMemoryRecoveryStore: RecoveryStore {
    // Unchecked: the store is single-threaded (above) and transactions do not nest, so no two
    // accesses overlap; the runtime's exclusivity checks cost more than most reads they guarded.
    @exclusivity(unchecked) fileprivate var rows = Rows()
    /// Whether the open transaction wrote: a decision that only read has nothing to commit.
    @exclusivity(unchecked) fileprivate var written = false
    @exclusivity(unchecked) private var inTransaction = false
    /// The last transaction's object, reopened for the next one when nothing else holds it (a
    /// held one stays closed): one object per decision was allocated and freed on every decision.
    @exclusivity(unchecked) private var spare: InMemoryTransaction?

    /// An empty store.
    public init() {}

    /// A store holding the same records as this one, committed (a replica rebuilt from it).
    public func copy() -> InMemoryRecoveryStore {
        precondition(!inTransaction, "a store is copied between decisions")
        let copy = InMemoryRecoveryStore()
        copy.rows = rows
        return copy
    }

    private func openTransaction() -> InMemoryTransaction {
        if isKnownUniquelyReferenced(&spare), let spare {
            spare.isOpen = true
            return spare
        }
        let transaction = InMemoryTransaction(store: self)
        spare = transaction
        return transaction
    }

    /// Runs `body` on the rows; if it throws, puts back every row it wrote.
    public func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        precondition(!inTransaction, "transactions do not nest: one decision, one transaction")
        inTransaction = true
        let transaction = openTransaction()
        defer {
            transaction.isOpen = false
            inTransaction = false
        }
        written = false
        do {
            let result = try body(transaction)
            if written { rows.commit() }
            return result
        } catch {
            if written { rows.rollback() }
            throw error
        }
    }
}

/// The store's tables.
private struct Rows {
    // Room for a typical play's rows in the tables most plays fill (see `RowTable.init`).
    var connections = RowTable<ConnectionID, ConnectionRecord>(capacity: 2)
    var generations = RowTable<ConnectionID, LeaseGeneration>(capacity: 2)
    var deadGenerations = RowTable<ConnectionID, LeaseGeneration>()
    var leases = RowTable<LeaseID, LeaseRecord>(capacity: 8)
    var losses = RowTable<WorkerID, Instant>()
    var cases = RowTable<CaseID, RecoveryCase>()
    var openCaseByConnection = RowTable<ConnectionID, CaseID>()
    var capabilities = RowTable<CapabilityID, CapabilityRecord>()
    var capabilityByDigest = RowTable<String, CapabilityID>()
    var ledger = RowTable<IdempotencyKey, LedgerEntry>(capacity: 8)
    var refreshMarks = RowTable<RefreshKey, RefreshMark>()

    mutating func commit() {
        connections.commit()
        generations.commit()
        deadGenerations.commit()
        leases.commit()
        losses.commit()
        cases.commit()
        openCaseByConnection.commit()
        capabilities.commit()
        capabilityByDigest.commit()
        ledger.commit()
        refreshMarks.commit()
    }

    mutating func rollback() {
        connections.rollback()
        generations.rollback()
        deadGenerations.rollback()
        leases.rollback()
        losses.rollback()
        cases.rollback()
        openCaseByConnection.rollback()
        capabilities.rollback()
        capabilityByDigest.rollback()
        ledger.rollback()
        refreshMarks.rollback()
    }
}

/// A refresh mark's key: a run's action.
private struct RefreshKey: Hashable {
    let run: RunID
    let action: ActionKey
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
    /// Lent, not returned: a getter copied all eleven tables (a retain and a release each) on
    /// every read of every decision.
    private var rows: Rows {
        _read {
            precondition(isOpen, "a transaction is used only inside its decision")
            yield store.rows
        }
        _modify {
            precondition(isOpen, "a transaction is used only inside its decision")
            store.written = true
            yield &store.rows
        }
    }

    // MARK: Connections and generations

    func connection(_ id: ConnectionID) -> ConnectionRecord? { rows.connections[id] }

    func save(_ connection: ConnectionRecord) { rows.connections.set(connection.id, connection) }

    func generation(of connection: ConnectionID) -> LeaseGeneration { rows.generations[connection] ?? .first }

    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) {
        // Checked on the row the write replaced (one lookup); a failed check stops the process either way.
        rows.generations.set(connection, generation) { old in
            precondition(generation >= old ?? .first, "a lease generation never moves backwards")
        }
    }

    func deadGeneration(of connection: ConnectionID) -> LeaseGeneration? { rows.deadGenerations[connection] }

    func setDeadGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) {
        rows.deadGenerations.set(connection, generation)
    }

    // MARK: Leases and lost workers

    func lease(_ id: LeaseID) -> LeaseRecord? { rows.leases[id] }

    func leases(heldBy worker: WorkerID) -> [LeaseRecord] { rows.leases.values.filter { $0.lease.holder == worker } }

    func save(_ lease: LeaseRecord) { rows.leases.set(lease.lease.id, lease) }

    func deleteLeases(of connection: ConnectionID, olderThan generation: LeaseGeneration) {
        rows.leases.delete { $0.lease.connection == connection && $0.lease.generation < generation }
    }

    func deleteLeases(issuedBefore cutoff: Instant) { rows.leases.delete { $0.lease.issuedAt < cutoff } }

    func lastLoss(of worker: WorkerID) -> Instant? { rows.losses[worker] }

    func setLastLoss(_ instant: Instant, of worker: WorkerID) { rows.losses.set(worker, instant) }

    func deleteLosses(before cutoff: Instant) { rows.losses.delete { $0 < cutoff } }

    // MARK: Cases and capabilities

    func recoveryCase(_ id: CaseID) -> RecoveryCase? { rows.cases[id] }

    func openCases() -> [RecoveryCase] {
        rows.cases.values.filter { $0.state != .closed }.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    func openCase(for connection: ConnectionID) -> RecoveryCase? {
        rows.openCaseByConnection[connection].flatMap { rows.cases[$0] }
    }

    /// The connection's open-case pointer: a case that blocks the connection (awaiting a
    /// reconnect, or escalated) takes it; one awaiting its run's resume keeps it or takes an
    /// empty one, never another case's (a refusal counted on an old case must not hide the case
    /// the connection now waits on); a closing case clears it when it names that case.
    func save(_ recoveryCase: RecoveryCase) {
        rows.cases.set(recoveryCase.id, recoveryCase)
        if recoveryCase.state == .awaitingResume {
            if rows.openCaseByConnection[recoveryCase.connection] == nil {
                rows.openCaseByConnection.set(recoveryCase.connection, recoveryCase.id)
            }
        } else if recoveryCase.state != .closed {
            rows.openCaseByConnection.set(recoveryCase.connection, recoveryCase.id)
        } else if rows.openCaseByConnection[recoveryCase.connection] == recoveryCase.id {
            rows.openCaseByConnection.set(recoveryCase.connection, nil)
        }
    }

    func deleteCases(closedBefore cutoff: Instant) {
        let expired = Set(rows.cases.values.filter { $0.state == .closed && $0.closedAt.map { $0 < cutoff } ?? false }.map(\.id))
        guard !expired.isEmpty else { return }
        rows.cases.delete { expired.contains($0.id) }
        for capability in rows.capabilities.values where expired.contains(capability.caseID) {
            rows.capabilities.set(capability.id, nil)
            rows.capabilityByDigest.set(capability.digest, nil)
        }
    }

    func capability(_ id: CapabilityID) -> CapabilityRecord? { rows.capabilities[id] }

    func capability(digest: String) -> CapabilityRecord? { rows.capabilityByDigest[digest].flatMap { rows.capabilities[$0] } }

    func save(_ capability: CapabilityRecord) {
        rows.capabilities.set(capability.id, capability) { old in
            guard let old else { return }
            precondition(old.consumedAt == nil || old.consumedAt == capability.consumedAt, "a capability is consumed at most once")
        }
        rows.capabilityByDigest.set(capability.digest, capability.id)
    }

    // MARK: The ledger and refresh marks

    func ledgerEntry(_ key: IdempotencyKey) -> LedgerEntry? { rows.ledger[key] }

    func save(_ entry: LedgerEntry) {
        rows.ledger.set(entry.key, entry) { old in
            if let old, old.state.isCommitted {
                precondition(entry.state.isCommitted, "a committed action never goes back to uncommitted")
            }
        }
    }

    func deleteSettledEntries(changedBefore cutoff: Instant) {
        let expired = { (entry: LedgerEntry) in (entry.state.isCommitted || entry.state == .failed) && entry.changedAt < cutoff }
        // Most prunes find nothing old enough: the parked runs' set was built for them all the same.
        guard rows.ledger.values.contains(where: expired) else { return }
        // A parked run resumes from its checkpoint: its committed steps must stay known until its case closes.
        let parkedRuns = Set(rows.cases.values.filter { $0.state != .closed }.map(\.run))
        rows.ledger.delete { entry in expired(entry) && !parkedRuns.contains(entry.run) }
    }

    func refreshMark(run: RunID, action: ActionKey) -> RefreshMark? { rows.refreshMarks[RefreshKey(run: run, action: action)] }

    func save(_ mark: RefreshMark) { rows.refreshMarks.set(RefreshKey(run: mark.run, action: mark.action), mark) }

    func deleteRefreshMarks(before cutoff: Instant) { rows.refreshMarks.delete { $0.markedAt < cutoff } }

    // MARK: The decision's timeline

    /// Keeps nothing: in memory, the engine's recorder is the only timeline.
    func record(_ transition: Transition) {}
}

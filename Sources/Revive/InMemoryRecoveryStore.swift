import ReviveVocabulary

/// A `RecoveryStore` in memory: durable for the life of the process that holds it, and never throws.
///
/// A transaction writes in place and logs the row each write replaced; if the decision fails,
/// the log puts those rows back, so a failed decision leaves nothing behind (as a database
/// rollback would). It keeps no transition log: the engine's recorder holds the timeline.
/// Like the engine, it is single-threaded.
public final class InMemoryRecoveryStore: RecoveryStore {
    fileprivate var rows = Rows()
    private var inTransaction = false

    /// An empty store.
    public init() {}

    /// Runs `body` on the rows; if it throws, puts back every row it wrote.
    public func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        precondition(!inTransaction, "transactions do not nest: one decision, one transaction")
        inTransaction = true
        let transaction = InMemoryTransaction(store: self)
        defer {
            transaction.isOpen = false
            inTransaction = false
        }
        do {
            let result = try body(transaction)
            rows.commit()
            return result
        } catch {
            rows.rollback()
            throw error
        }
    }
}

/// The store's rows: plain dictionaries, plus the undo log of the open transaction.
private struct Rows {
    var connections: [ConnectionID: ConnectionRecord] = [:]
    var generations: [ConnectionID: LeaseGeneration] = [:]
    var deadGenerations: [ConnectionID: LeaseGeneration] = [:]
    var leases: [LeaseID: LeaseRecord] = [:]
    var losses: [WorkerID: Instant] = [:]
    var cases: [CaseID: RecoveryCase] = [:]
    var openCaseByConnection: [ConnectionID: CaseID] = [:]
    var capabilities: [CapabilityID: CapabilityRecord] = [:]
    var capabilityByDigest: [String: CapabilityID] = [:]
    var ledger: [IdempotencyKey: LedgerEntry] = [:]
    var refreshMarks: [RefreshKey: RefreshMark] = [:]
    /// How to put back each row the open transaction replaced, oldest first.
    var undo: [(inout Rows) -> Void] = []

    /// Writes (or, with nil, deletes) one row and logs the row it replaced.
    mutating func set<Key: Hashable, Value>(_ table: WritableKeyPath<Rows, [Key: Value]>, _ key: Key, _ value: Value?) {
        let old = self[keyPath: table][key]
        undo.append { rows in rows[keyPath: table][key] = old }
        self[keyPath: table][key] = value
    }

    /// Deletes every row of `table` that matches.
    mutating func delete<Key: Hashable, Value>(_ table: WritableKeyPath<Rows, [Key: Value]>, where matches: (Value) -> Bool) {
        for (key, value) in self[keyPath: table] where matches(value) { set(table, key, nil) }
    }

    mutating func commit() { undo.removeAll() }

    mutating func rollback() {
        let steps = undo
        undo.removeAll()
        for step in steps.reversed() { step(&self) }
    }
}

/// A refresh mark's key: a run's action.
private struct RefreshKey: Hashable {
    let run: RunID
    let action: ActionKey
}

/// The in-memory store's transaction: reads and writes go straight to the rows, logged for rollback.
private final class InMemoryTransaction: RecoveryStoreTransaction {
    private unowned let store: InMemoryRecoveryStore
    var isOpen = true

    init(store: InMemoryRecoveryStore) { self.store = store }

    /// The rows, while the transaction is open: a kept transaction object is a bug in its user.
    private var rows: Rows {
        get {
            precondition(isOpen, "a transaction is used only inside its decision")
            return store.rows
        }
        _modify {
            precondition(isOpen, "a transaction is used only inside its decision")
            yield &store.rows
        }
    }

    // MARK: Connections and generations

    func connection(_ id: ConnectionID) -> ConnectionRecord? { rows.connections[id] }

    func save(_ connection: ConnectionRecord) { rows.set(\.connections, connection.id, connection) }

    func generation(of connection: ConnectionID) -> LeaseGeneration { rows.generations[connection] ?? .first }

    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) {
        precondition(generation >= self.generation(of: connection), "a lease generation never moves backwards")
        rows.set(\.generations, connection, generation)
    }

    func deadGeneration(of connection: ConnectionID) -> LeaseGeneration? { rows.deadGenerations[connection] }

    func setDeadGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) {
        rows.set(\.deadGenerations, connection, generation)
    }

    // MARK: Leases and lost workers

    func lease(_ id: LeaseID) -> LeaseRecord? { rows.leases[id] }

    func leases(heldBy worker: WorkerID) -> [LeaseRecord] { rows.leases.values.filter { $0.lease.holder == worker } }

    func save(_ lease: LeaseRecord) { rows.set(\.leases, lease.lease.id, lease) }

    func deleteLeases(of connection: ConnectionID, olderThan generation: LeaseGeneration) {
        rows.delete(\.leases) { $0.lease.connection == connection && $0.lease.generation < generation }
    }

    func deleteLeases(issuedBefore cutoff: Instant) { rows.delete(\.leases) { $0.lease.issuedAt < cutoff } }

    func lastLoss(of worker: WorkerID) -> Instant? { rows.losses[worker] }

    func setLastLoss(_ instant: Instant, of worker: WorkerID) { rows.set(\.losses, worker, instant) }

    func deleteLosses(before cutoff: Instant) { rows.delete(\.losses) { $0 < cutoff } }

    // MARK: Cases and capabilities

    func recoveryCase(_ id: CaseID) -> RecoveryCase? { rows.cases[id] }

    func openCase(for connection: ConnectionID) -> RecoveryCase? {
        rows.openCaseByConnection[connection].flatMap { rows.cases[$0] }
    }

    func save(_ recoveryCase: RecoveryCase) {
        rows.set(\.cases, recoveryCase.id, recoveryCase)
        if recoveryCase.state != .closed {
            rows.set(\.openCaseByConnection, recoveryCase.connection, recoveryCase.id)
        } else if rows.openCaseByConnection[recoveryCase.connection] == recoveryCase.id {
            rows.set(\.openCaseByConnection, recoveryCase.connection, nil)
        }
    }

    func deleteCases(closedBefore cutoff: Instant) {
        let expired = Set(rows.cases.values.filter { $0.state == .closed && $0.closedAt.map { $0 < cutoff } ?? false }.map(\.id))
        guard !expired.isEmpty else { return }
        rows.delete(\.cases) { expired.contains($0.id) }
        for capability in rows.capabilities.values where expired.contains(capability.caseID) {
            rows.set(\.capabilities, capability.id, nil)
            rows.set(\.capabilityByDigest, capability.digest, nil)
        }
    }

    func capability(_ id: CapabilityID) -> CapabilityRecord? { rows.capabilities[id] }

    func capability(digest: String) -> CapabilityRecord? { rows.capabilityByDigest[digest].flatMap { rows.capabilities[$0] } }

    func save(_ capability: CapabilityRecord) {
        if let old = rows.capabilities[capability.id] {
            precondition(old.consumedAt == nil || old.consumedAt == capability.consumedAt, "a capability is consumed at most once")
        }
        rows.set(\.capabilities, capability.id, capability)
        rows.set(\.capabilityByDigest, capability.digest, capability.id)
    }

    // MARK: The ledger and refresh marks

    func ledgerEntry(_ key: IdempotencyKey) -> LedgerEntry? { rows.ledger[key] }

    func save(_ entry: LedgerEntry) {
        if let old = rows.ledger[entry.key], old.state.isCommitted {
            precondition(entry.state.isCommitted, "a committed action never goes back to uncommitted")
        }
        rows.set(\.ledger, entry.key, entry)
    }

    func deleteSettledEntries(changedBefore cutoff: Instant) {
        // A parked run resumes from its checkpoint: its committed steps must stay known until its case closes.
        let parkedRuns = Set(rows.cases.values.filter { $0.state != .closed }.map(\.run))
        rows.delete(\.ledger) { entry in
            (entry.state.isCommitted || entry.state == .failed) && entry.changedAt < cutoff && !parkedRuns.contains(entry.run)
        }
    }

    func refreshMark(run: RunID, action: ActionKey) -> RefreshMark? { rows.refreshMarks[RefreshKey(run: run, action: action)] }

    func save(_ mark: RefreshMark) { rows.set(\.refreshMarks, RefreshKey(run: mark.run, action: mark.action), mark) }

    func deleteRefreshMarks(before cutoff: Instant) { rows.delete(\.refreshMarks) { $0.markedAt < cutoff } }

    // MARK: The decision's timeline

    /// Keeps nothing: in memory, the engine's recorder is the only timeline.
    func record(_ transition: Transition) {}
}

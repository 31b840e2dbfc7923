import ReviveVocabulary

/// One write of an engine decision, as a value: what a `RecoveryStoreTransaction` was told to
/// change. A decision's writes, in order, are what the local fallback keeps in its journal and
/// what it copies to its replica; applied to another store's transaction they redo the decision
/// there without deciding it again (no id is drawn, no rule is read twice).
public enum StoreWrite: Hashable, Sendable {
    case saveConnection(ConnectionRecord)
    case setGeneration(LeaseGeneration, of: ConnectionID)
    case setDeadGeneration(LeaseGeneration, of: ConnectionID)
    case saveLease(LeaseRecord)
    case deleteLeases(of: ConnectionID, olderThan: LeaseGeneration)
    case deleteLeasesIssued(before: Instant)
    case setLastLoss(Instant, of: WorkerID)
    case deleteLosses(before: Instant)
    case saveCase(RecoveryCase)
    case deleteCases(closedBefore: Instant)
    case saveCapability(CapabilityRecord)
    case saveLedgerEntry(LedgerEntry)
    case deleteSettledEntries(changedBefore: Instant)
    case saveRefreshMark(RefreshMark)
    case deleteRefreshMarks(before: Instant)
    /// One of the decision's transitions, for the store's decision log.
    case record(Transition)

    /// Redoes the write in `transaction`.
    public func apply(to transaction: RecoveryStoreTransaction) throws(RecoveryStoreError) {
        switch self {
        case .saveConnection(let record): try transaction.save(record)
        case .setGeneration(let generation, let connection): try transaction.setGeneration(generation, of: connection)
        case .setDeadGeneration(let generation, let connection): try transaction.setDeadGeneration(generation, of: connection)
        case .saveLease(let lease): try transaction.save(lease)
        case .deleteLeases(let connection, let generation): try transaction.deleteLeases(of: connection, olderThan: generation)
        case .deleteLeasesIssued(let cutoff): try transaction.deleteLeases(issuedBefore: cutoff)
        case .setLastLoss(let instant, let worker): try transaction.setLastLoss(instant, of: worker)
        case .deleteLosses(let cutoff): try transaction.deleteLosses(before: cutoff)
        case .saveCase(let recoveryCase): try transaction.save(recoveryCase)
        case .deleteCases(let cutoff): try transaction.deleteCases(closedBefore: cutoff)
        case .saveCapability(let capability): try transaction.save(capability)
        case .saveLedgerEntry(let entry): try transaction.save(entry)
        case .deleteSettledEntries(let cutoff): try transaction.deleteSettledEntries(changedBefore: cutoff)
        case .saveRefreshMark(let mark): try transaction.save(mark)
        case .deleteRefreshMarks(let cutoff): try transaction.deleteRefreshMarks(before: cutoff)
        case .record(let transition): try transaction.record(transition)
        }
    }

    /// Whether the write changes records (not only the decision log).
    public var changesRecords: Bool {
        if case .record = self { return false }
        return true
    }
}

/// A transaction that passes every call to another and keeps the writes, in order.
final class RecordingTransaction: RecoveryStoreTransaction {
    private let inner: RecoveryStoreTransaction
    private(set) var writes: [StoreWrite] = []

    init(_ inner: RecoveryStoreTransaction) { self.inner = inner }

    private func write(_ change: StoreWrite) throws(RecoveryStoreError) {
        try change.apply(to: inner)
        writes.append(change)
    }

    func connection(_ id: ConnectionID) throws(RecoveryStoreError) -> ConnectionRecord? { try inner.connection(id) }
    func save(_ connection: ConnectionRecord) throws(RecoveryStoreError) { try write(.saveConnection(connection)) }
    func generation(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration { try inner.generation(of: connection) }
    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError) {
        try write(.setGeneration(generation, of: connection))
    }
    func deadGeneration(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration? { try inner.deadGeneration(of: connection) }
    func setDeadGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError) {
        try write(.setDeadGeneration(generation, of: connection))
    }

    func lease(_ id: LeaseID) throws(RecoveryStoreError) -> LeaseRecord? { try inner.lease(id) }
    func leases(heldBy worker: WorkerID) throws(RecoveryStoreError) -> [LeaseRecord] { try inner.leases(heldBy: worker) }
    func save(_ lease: LeaseRecord) throws(RecoveryStoreError) { try write(.saveLease(lease)) }
    func deleteLeases(of connection: ConnectionID, olderThan generation: LeaseGeneration) throws(RecoveryStoreError) {
        try write(.deleteLeases(of: connection, olderThan: generation))
    }
    func deleteLeases(issuedBefore cutoff: Instant) throws(RecoveryStoreError) { try write(.deleteLeasesIssued(before: cutoff)) }
    func lastLoss(of worker: WorkerID) throws(RecoveryStoreError) -> Instant? { try inner.lastLoss(of: worker) }
    func setLastLoss(_ instant: Instant, of worker: WorkerID) throws(RecoveryStoreError) { try write(.setLastLoss(instant, of: worker)) }
    func deleteLosses(before cutoff: Instant) throws(RecoveryStoreError) { try write(.deleteLosses(before: cutoff)) }

    func recoveryCase(_ id: CaseID) throws(RecoveryStoreError) -> RecoveryCase? { try inner.recoveryCase(id) }
    func openCase(for connection: ConnectionID) throws(RecoveryStoreError) -> RecoveryCase? { try inner.openCase(for: connection) }
    func openCases() throws(RecoveryStoreError) -> [RecoveryCase] { try inner.openCases() }
    func save(_ recoveryCase: RecoveryCase) throws(RecoveryStoreError) { try write(.saveCase(recoveryCase)) }
    func deleteCases(closedBefore cutoff: Instant) throws(RecoveryStoreError) { try write(.deleteCases(closedBefore: cutoff)) }
    func capability(_ id: CapabilityID) throws(RecoveryStoreError) -> CapabilityRecord? { try inner.capability(id) }
    func capability(digest: String) throws(RecoveryStoreError) -> CapabilityRecord? { try inner.capability(digest: digest) }
    func save(_ capability: CapabilityRecord) throws(RecoveryStoreError) { try write(.saveCapability(capability)) }

    func ledgerEntry(_ key: IdempotencyKey) throws(RecoveryStoreError) -> LedgerEntry? { try inner.ledgerEntry(key) }
    func save(_ entry: LedgerEntry) throws(RecoveryStoreError) { try write(.saveLedgerEntry(entry)) }
    func deleteSettledEntries(changedBefore cutoff: Instant) throws(RecoveryStoreError) {
        try write(.deleteSettledEntries(changedBefore: cutoff))
    }
    func refreshMark(run: RunID, action: ActionKey) throws(RecoveryStoreError) -> RefreshMark? { try inner.refreshMark(run: run, action: action) }
    func save(_ mark: RefreshMark) throws(RecoveryStoreError) { try write(.saveRefreshMark(mark)) }
    func deleteRefreshMarks(before cutoff: Instant) throws(RecoveryStoreError) { try write(.deleteRefreshMarks(before: cutoff)) }

    func record(_ transition: Transition) throws(RecoveryStoreError) { try write(.record(transition)) }
}

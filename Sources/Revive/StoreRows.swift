import ReviveVocabulary

// The in-memory store's tables and their one undo log (see `InMemoryRecoveryStore`).

/// The store's tables, written through the methods here, each of which logs the row it replaced.
///
/// One log for all eleven tables: each table's own log was an array allocated at its first
/// write in every play (ten or so a play), and a commit checked all eleven. Tables never share a
/// row, so putting the replaced rows back newest first undoes a transaction exactly as putting
/// each table's back in turn did.
struct Rows: ~Copyable {
    // Room for a typical play's rows in the tables most plays fill (see `RowTable.init`).
    private(set) var connections = RowTable<ConnectionID, ConnectionRecord>(capacity: 2)
    private(set) var generations = RowTable<ConnectionID, LeaseGeneration>(capacity: 2)
    private(set) var deadGenerations = RowTable<ConnectionID, LeaseGeneration>()
    private(set) var leases = RowTable<LeaseID, LeaseRecord>(capacity: 8)
    private(set) var losses = RowTable<WorkerID, Instant>()
    private(set) var cases = RowTable<CaseID, RecoveryCase>()
    private(set) var openCaseByConnection = RowTable<ConnectionID, CaseID>()
    private(set) var capabilities = RowTable<CapabilityID, CapabilityRecord>()
    private(set) var capabilityByDigest = RowTable<DigestKey, CapabilityID>()
    private(set) var ledger = RowTable<IdempotencyKey, LedgerEntry>(capacity: 8)
    private(set) var refreshMarks = RowTable<RefreshKey, RefreshMark>()
    /// The rows the open transaction replaced, oldest first (nil: the key had no row).
    private var undo = Log()

    /// A replaced row of one of the tables.
    private enum Undo {
        case connection(ConnectionID, ConnectionRecord?)
        case generation(ConnectionID, LeaseGeneration?)
        case deadGeneration(ConnectionID, LeaseGeneration?)
        case lease(LeaseID, LeaseRecord?)
        case loss(WorkerID, Instant?)
        case recoveryCase(CaseID, RecoveryCase?)
        case openCase(ConnectionID, CaseID?)
        case capability(CapabilityID, CapabilityRecord?)
        case digest(DigestKey, CapabilityID?)
        case ledger(IdempotencyKey, LedgerEntry?)
        case refreshMark(RefreshKey, RefreshMark?)
    }

    /// The log's rows, in memory the log owns: an array's append, pop and uniqueness checks moved
    /// each row (a hundred bytes) in and out again around every write of every decision, where
    /// here a row is written once in place and destroyed where it lies at the commit.
    /// Unchecked: the store is single-threaded and no access to the log overlaps another.
    private final class Log {
        @exclusivity(unchecked) private(set) var count = 0
        @exclusivity(unchecked) private var capacity = 0
        @exclusivity(unchecked) private var rows: UnsafeMutablePointer<Undo>?

        deinit {
            destroyRows()
            rows?.deallocate()
        }

        /// Destroys every row, newest first, each where it lies. One by one, not by
        /// `deinitialize(count:)`: that hands the rows to the runtime's `swift_arrayDestroy`,
        /// whose generic walk cost some 30 instructions a row on top of the row's own destroy
        /// (1,335 rows of a cold `run`).
        private func destroyRows() {
            guard let rows else { return }
            while count > 0 {
                count -= 1
                _ = (rows + count).move()
            }
        }

        /// Logs a row, moved in. Room for a few rows is taken at the first: grown from nothing,
        /// the log was reallocated at its first, second and third rows in every play.
        func append(_ row: consuming Undo) {
            if count == capacity { grow() }
            (rows! + count).initialize(to: row)
            count += 1
        }

        /// The newest row, moved out.
        func popLast() -> Undo? {
            guard count > 0 else { return nil }
            count -= 1
            return (rows! + count).move()
        }

        /// Forgets every row. A small log keeps its room for the next decision, a big one goes:
        /// one prune of a long run's expired leases logged 48,000 rows.
        func clear() {
            destroyRows()
            guard capacity > 64 else { return }
            rows?.deallocate()
            (rows, capacity) = (nil, 0)
        }

        private func grow() {
            let larger = UnsafeMutablePointer<Undo>.allocate(capacity: max(8, capacity * 2))
            if let rows {
                larger.moveInitialize(from: rows, count: count)
                rows.deallocate()
            }
            (rows, capacity) = (larger, max(8, capacity * 2))
        }
    }

    /// Tables holding copies of these rows, with a log of their own (see `InMemoryRecoveryStore.copy`).
    func copied() -> Rows {
        var copy = Rows()
        copy.connections = connections.copied()
        copy.generations = generations.copied()
        copy.deadGenerations = deadGenerations.copied()
        copy.leases = leases.copied()
        copy.losses = losses.copied()
        copy.cases = cases.copied()
        copy.openCaseByConnection = openCaseByConnection.copied()
        copy.capabilities = capabilities.copied()
        copy.capabilityByDigest = capabilityByDigest.copied()
        copy.ledger = ledger.copied()
        copy.refreshMarks = refreshMarks.copied()
        return copy
    }

    private mutating func log(_ row: consuming Undo) { undo.append(row) }

    // Writes: nil deletes. Each old row is checked, where a check is due, where it lies.

    mutating func setConnection(_ key: ConnectionID, _ value: ConnectionRecord?) { log(.connection(key, connections.replace(key, value))) }

    mutating func setGeneration(_ key: ConnectionID, _ value: LeaseGeneration?, checkingOld check: (LeaseGeneration?) -> Void) {
        let old = generations.replace(key, value)
        check(old)
        log(.generation(key, old))
    }

    mutating func setDeadGeneration(_ key: ConnectionID, _ value: LeaseGeneration?) {
        log(.deadGeneration(key, deadGenerations.replace(key, value)))
    }

    mutating func setLease(_ key: LeaseID, _ value: LeaseRecord?) { log(.lease(key, leases.replace(key, value))) }

    mutating func setLoss(_ key: WorkerID, _ value: Instant?) { log(.loss(key, losses.replace(key, value))) }

    mutating func setCase(_ key: CaseID, _ value: RecoveryCase?) { log(.recoveryCase(key, cases.replace(key, value))) }

    mutating func setOpenCase(_ key: ConnectionID, _ value: CaseID?) { log(.openCase(key, openCaseByConnection.replace(key, value))) }

    mutating func setCapability(_ key: CapabilityID, _ value: CapabilityRecord?, checkingOld check: (CapabilityRecord?) -> Void) {
        let old = capabilities.replace(key, value)
        check(old)
        log(.capability(key, old))
    }

    mutating func setDigest(_ key: DigestKey, _ value: CapabilityID?) { log(.digest(key, capabilityByDigest.replace(key, value))) }

    mutating func setLedger(_ key: IdempotencyKey, _ value: LedgerEntry?, checkingOld check: (LedgerEntry?) -> Void) {
        let old = ledger.replace(key, value)
        check(old)
        log(.ledger(key, old))
    }

    mutating func setRefreshMark(_ key: RefreshKey, _ value: RefreshMark?) { log(.refreshMark(key, refreshMarks.replace(key, value))) }

    // Deletions: each row deleted where the walk finds it and logged (the log is an object,
    // reached through a local: the table being written is part of `self`).

    mutating func deleteLeases(where matches: (LeaseRecord) -> Bool) {
        let log = undo
        leases.removeRows(where: matches) { log.append(.lease($0, $1)) }
    }

    mutating func deleteLosses(where matches: (Instant) -> Bool) {
        let log = undo
        losses.removeRows(where: matches) { log.append(.loss($0, $1)) }
    }

    mutating func deleteCases(where matches: (RecoveryCase) -> Bool) {
        let log = undo
        cases.removeRows(where: matches) { log.append(.recoveryCase($0, $1)) }
    }

    mutating func deleteLedgerEntries(where matches: (LedgerEntry) -> Bool) {
        let log = undo
        ledger.removeRows(where: matches) { log.append(.ledger($0, $1)) }
    }

    mutating func deleteRefreshMarks(where matches: (RefreshMark) -> Bool) {
        let log = undo
        refreshMarks.removeRows(where: matches) { log.append(.refreshMark($0, $1)) }
    }

    /// Forgets the replaced rows. Mutating, though it writes only the log: a method that is not
    /// is called on a copy of the tables, read out of the store's pointer (a retain and a
    /// release of every table's storage, on every commit).
    mutating func commit() {
        if undo.count > 0 { undo.clear() }
    }

    /// Puts every replaced row back, newest first.
    mutating func rollback() {
        defer { undo.clear() }
        while let row = undo.popLast() {
            switch row {
            case .connection(let key, let value): _ = connections.replace(key, value)
            case .generation(let key, let value): _ = generations.replace(key, value)
            case .deadGeneration(let key, let value): _ = deadGenerations.replace(key, value)
            case .lease(let key, let value): _ = leases.replace(key, value)
            case .loss(let key, let value): _ = losses.replace(key, value)
            case .recoveryCase(let key, let value): _ = cases.replace(key, value)
            case .openCase(let key, let value): _ = openCaseByConnection.replace(key, value)
            case .capability(let key, let value): _ = capabilities.replace(key, value)
            case .digest(let key, let value): _ = capabilityByDigest.replace(key, value)
            case .ledger(let key, let value): _ = ledger.replace(key, value)
            case .refreshMark(let key, let value): _ = refreshMarks.replace(key, value)
            }
        }
    }
}

/// A refresh mark's key: a run's action.
struct RefreshKey: RowKey {
    let run: RunID
    let action: ActionKey

    /// `==`, on the two strings (see `RowKey`).
    func sameRow(as other: RefreshKey) -> Bool { run.rawValue == other.run.rawValue && action.rawValue == other.action.rawValue }
}

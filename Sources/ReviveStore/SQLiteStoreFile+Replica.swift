import Revive
import ReviveVocabulary

/// Reading a play's records back out of a store file: how a process that starts over a store
/// another process used rebuilds its local fallback's replica (docs/store.md).
extension SQLiteStoreFile {
    /// A replica of `play`'s records in memory, read in one read transaction (a consistent
    /// snapshot even while other processes write the file), every row's sum checked.
    public func replica(of play: Int64) throws(RecoveryStoreError) -> InMemoryRecoveryStore {
        try run("beginning to read the play's records") { () throws(SQLiteError) in try database.execute("BEGIN") }
        let writes: [StoreWrite]
        do throws(RecoveryStoreError) {
            writes = try RecordTransaction(session: self, play: play).recordsAsWrites()
            try run("finishing the read") { () throws(SQLiteError) in try database.execute("COMMIT") }
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
        let replica = InMemoryRecoveryStore()
        try replica.transaction { (tx) throws(RecoveryStoreError) in
            for write in writes { try write.apply(to: tx) }
        }
        return replica
    }

    /// The fallback of a process that takes over `play` of this file after another process:
    /// the replica read from the file, with `journal`'s undrained entries on top; a drain the
    /// store's newest decision shows committed is forgotten from the journal first.
    public func resumeFallback(of play: Int64, journal: FallbackJournal) throws(RecoveryStoreError) -> LocalFallback {
        let store = SQLiteRecoveryStore.resume(play: play, in: self)
        let newest = try store.transitions(ofDecision: try store.committedDecisions())
        return try LocalFallback.resume(replica: try replica(of: play), journal: journal, newestDecision: newest)
    }
}

extension RecordTransaction {
    /// Every record of the play as the writes that recreate it in an empty store.
    func recordsAsWrites() throws(RecoveryStoreError) -> [StoreWrite] {
        var writes: [StoreWrite] = []
        for text in try records("connections", orderedBy: "id") { writes.append(.saveConnection(try RecordCodec.connection(text))) }
        for row in try sql("SELECT connection, current, dead, sum FROM generations WHERE play = ? ORDER BY connection", []) {
            guard let connection = row[0].text.map(ConnectionID.init), let current = row[1].integer,
                  row[3].text == RecordTransaction.generationSum(connection, current, row[2].integer),
                  let generation = LeaseGeneration(recorded: Int(current)) else {
                throw .corrupt("the generations of a connection in \(session.location) do not match their checksum")
            }
            writes.append(.setGeneration(generation, of: connection))
            if let dead = row[2].integer.flatMap({ LeaseGeneration(recorded: Int($0)) }) { writes.append(.setDeadGeneration(dead, of: connection)) }
        }
        for text in try records("leases", orderedBy: "id") { writes.append(.saveLease(try RecordCodec.lease(text))) }
        for row in try sql("SELECT worker FROM losses WHERE play = ? ORDER BY worker", []) {
            guard let worker = row[0].text.map(WorkerID.init), let at = try lastLoss(of: worker) else { continue }
            writes.append(.setLastLoss(at, of: worker))
        }
        writes += try casesAsWrites()
        for text in try records("capabilities", orderedBy: "id") { writes.append(.saveCapability(try RecordCodec.capability(text))) }
        for text in try records("ledger", orderedBy: "key") { writes.append(.saveLedgerEntry(try RecordCodec.ledgerEntry(text))) }
        for text in try records("refresh_marks", orderedBy: "run, action") { writes.append(.saveRefreshMark(try RecordCodec.refreshMark(text))) }
        return writes
    }

    /// The cases, closed ones first, then the open ones, then again each case a connection's
    /// open-case pointer names: saving a case that is not closed points its connection at it, so
    /// the pointers end as the file keeps them.
    private func casesAsWrites() throws(RecoveryStoreError) -> [StoreWrite] {
        var cases: [RecoveryCase] = []
        for text in try records("cases", orderedBy: "id") { cases.append(try RecordCodec.recoveryCase(text)) }
        var writes = cases.filter { $0.state == .closed }.map(StoreWrite.saveCase) + cases.filter { $0.state != .closed }.map(StoreWrite.saveCase)
        for row in try sql("SELECT case_id FROM open_cases WHERE play = ? ORDER BY connection", []) {
            guard let id = row[0].text, let pointed = cases.first(where: { $0.id.rawValue == id }) else {
                throw .corrupt("an open case in \(session.location) has no record")
            }
            writes.append(.saveCase(pointed))
        }
        return writes
    }

    /// The record text of every row of `table` in the play, sums checked.
    private func records(_ table: String, orderedBy order: String) throws(RecoveryStoreError) -> [String] {
        var result: [String] = []
        for row in try sql("SELECT record, sum FROM \(table) WHERE play = ? ORDER BY \(order)", []) {
            result.append(try checked(row, what: "a row of \(table)"))
        }
        return result
    }
}

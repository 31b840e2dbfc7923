import Revive
import ReviveVocabulary

/// Cases, capabilities, the ledger and refresh marks, in the decision's transaction.
extension SQLiteTransaction {
    // MARK: Cases and capabilities

    func recoveryCase(_ id: CaseID) throws(RecoveryStoreError) -> RecoveryCase? {
        try record("SELECT record, sum FROM cases WHERE play = ? AND id = ?", [.text(id.rawValue)], what: "case \(id)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.recoveryCase(text) }
    }

    func openCases() throws(RecoveryStoreError) -> [RecoveryCase] {
        var result: [RecoveryCase] = []
        for row in try sql("SELECT record, sum FROM cases WHERE play = ? AND state != 'closed' ORDER BY id", []) {
            result.append(try RecordCodec.recoveryCase(try checked(row, what: "an open case")))
        }
        return result
    }

    func openCase(for connection: ConnectionID) throws(RecoveryStoreError) -> RecoveryCase? {
        guard let id = try sql("SELECT case_id FROM open_cases WHERE play = ? AND connection = ?",
                               [.text(connection.rawValue)]).first?.first?.text else { return nil }
        guard let found = try recoveryCase(CaseID(id)) else { throw .corrupt("the open case \(id) of \(connection) has no record") }
        return found
    }

    /// Saves the case and keeps the connection's open-case pointer as the in-memory store does:
    /// the last case saved while not closed, cleared when that case closes.
    func save(_ recoveryCase: RecoveryCase) throws(RecoveryStoreError) {
        let text = RecordCodec.text(recoveryCase)
        try sql("""
            INSERT OR REPLACE INTO cases (play, id, connection, run, state, closed_at, record, sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(recoveryCase.id.rawValue), .text(recoveryCase.connection.rawValue), .text(recoveryCase.run.rawValue),
                  .text(recoveryCase.state.rawValue), recoveryCase.closedAt.map { .integer($0.milliseconds) } ?? .null,
                  .text(text), .text(SHA256.hexDigest(text))])
        if recoveryCase.state != .closed {
            try sql("INSERT OR REPLACE INTO open_cases (play, connection, case_id) VALUES (?, ?, ?)",
                    [.text(recoveryCase.connection.rawValue), .text(recoveryCase.id.rawValue)])
        } else {
            try sql("DELETE FROM open_cases WHERE play = ? AND connection = ? AND case_id = ?",
                    [.text(recoveryCase.connection.rawValue), .text(recoveryCase.id.rawValue)])
        }
    }

    func deleteCases(closedBefore cutoff: Instant) throws(RecoveryStoreError) {
        let condition = "state = 'closed' AND closed_at IS NOT NULL AND closed_at < ?"
        try sql("DELETE FROM capabilities WHERE play = ? AND case_id IN (SELECT id FROM cases WHERE play = ?1 AND \(condition))",
                [.integer(cutoff.milliseconds)])
        try sql("DELETE FROM cases WHERE play = ? AND \(condition)", [.integer(cutoff.milliseconds)])
    }

    func capability(_ id: CapabilityID) throws(RecoveryStoreError) -> CapabilityRecord? {
        try record("SELECT record, sum FROM capabilities WHERE play = ? AND id = ?", [.text(id.rawValue)], what: "capability \(id)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.capability(text) }
    }

    func capability(digest: String) throws(RecoveryStoreError) -> CapabilityRecord? {
        try record("SELECT record, sum FROM capabilities WHERE play = ? AND digest = ?", [.text(digest)], what: "a capability")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.capability(text) }
    }

    func save(_ capability: CapabilityRecord) throws(RecoveryStoreError) {
        if let old = try self.capability(capability.id), old.consumedAt != nil, old.consumedAt != capability.consumedAt {
            throw .conflict("capability \(capability.id) was already consumed")
        }
        let text = RecordCodec.text(capability)
        try sql("INSERT OR REPLACE INTO capabilities (play, id, case_id, digest, record, sum) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(capability.id.rawValue), .text(capability.caseID.rawValue), .text(capability.digest),
                 .text(text), .text(SHA256.hexDigest(text))])
    }

    // MARK: The ledger and refresh marks

    func ledgerEntry(_ key: IdempotencyKey) throws(RecoveryStoreError) -> LedgerEntry? {
        try record("SELECT record, sum FROM ledger WHERE play = ? AND key = ?", [.text(key.rawValue)], what: "ledger entry \(key)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.ledgerEntry(text) }
    }

    func save(_ entry: LedgerEntry) throws(RecoveryStoreError) {
        if let old = try ledgerEntry(entry.key), old.state.isCommitted, !entry.state.isCommitted {
            throw .conflict("ledger entry \(entry.key) is committed and cannot go back to \(entry.state.rawValue)")
        }
        let text = RecordCodec.text(entry)
        try sql("INSERT OR REPLACE INTO ledger (play, key, run, state, changed_at, record, sum) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.text(entry.key.rawValue), .text(entry.run.rawValue), .text(entry.state.rawValue),
                 .integer(entry.changedAt.milliseconds), .text(text), .text(SHA256.hexDigest(text))])
    }

    func deleteSettledEntries(changedBefore cutoff: Instant) throws(RecoveryStoreError) {
        // A parked run resumes from its checkpoint: its committed steps stay known until its case closes.
        try sql("""
            DELETE FROM ledger WHERE play = ?1 AND state IN ('committed', 'reconciled-committed', 'failed') AND changed_at < ?2
            AND run NOT IN (SELECT run FROM cases WHERE play = ?1 AND state != 'closed')
            """, [.integer(cutoff.milliseconds)])
    }

    func refreshMark(run: RunID, action: ActionKey) throws(RecoveryStoreError) -> RefreshMark? {
        try record("SELECT record, sum FROM refresh_marks WHERE play = ? AND run = ? AND action = ?",
                   [.text(run.rawValue), .text(action.rawValue)], what: "the refresh mark of \(run) \(action)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.refreshMark(text) }
    }

    func save(_ mark: RefreshMark) throws(RecoveryStoreError) {
        let text = RecordCodec.text(mark)
        try sql("INSERT OR REPLACE INTO refresh_marks (play, run, action, marked_at, record, sum) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(mark.run.rawValue), .text(mark.action.rawValue), .integer(mark.markedAt.milliseconds),
                 .text(text), .text(SHA256.hexDigest(text))])
    }

    func deleteRefreshMarks(before cutoff: Instant) throws(RecoveryStoreError) {
        try sql("DELETE FROM refresh_marks WHERE play = ? AND marked_at < ?", [.integer(cutoff.milliseconds)])
    }
}

import Revive
import ReviveVocabulary

/// Cases, capabilities, the ledger and refresh marks, in the decision's transaction.
extension RecordTransaction {
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
    /// a case that blocks the connection (awaiting a reconnect, or escalated) takes it; one
    /// awaiting its run's resume keeps it or takes an empty one, never another case's; a closing
    /// case clears it when it names that case.
    func save(_ recoveryCase: RecoveryCase) throws(RecoveryStoreError) {
        let text = RecordCodec.text(recoveryCase)
        try change(RecordTransaction.saveCase, [.text(recoveryCase.id.rawValue), .text(recoveryCase.connection.rawValue), .text(recoveryCase.run.rawValue),
                  .text(recoveryCase.state.rawValue), recoveryCase.closedAt.map { .integer($0.milliseconds) } ?? .null,
                  .text(text), .text(SHA256.hexDigest(text))])
        if recoveryCase.state == .awaitingResume {
            try change("INSERT INTO open_cases (play, connection, case_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [.text(recoveryCase.connection.rawValue), .text(recoveryCase.id.rawValue)])
        } else if recoveryCase.state != .closed {
            try change(RecordTransaction.saveOpenCase,
                    [.text(recoveryCase.connection.rawValue), .text(recoveryCase.id.rawValue)])
        } else {
            try change("DELETE FROM open_cases WHERE play = ? AND connection = ? AND case_id = ?",
                    [.text(recoveryCase.connection.rawValue), .text(recoveryCase.id.rawValue)])
        }
    }

    func deleteCases(closedBefore cutoff: Instant) throws(RecoveryStoreError) {
        let condition = "state = 'closed' AND closed_at IS NOT NULL AND closed_at < ?"
        try change("DELETE FROM capabilities WHERE play = ? AND case_id IN (SELECT id FROM cases WHERE play = ?1 AND \(condition))",
                [.integer(cutoff.milliseconds)])
        try change("DELETE FROM cases WHERE play = ? AND \(condition)", [.integer(cutoff.milliseconds)])
    }

    func capability(_ id: CapabilityID) throws(RecoveryStoreError) -> CapabilityRecord? {
        try record("SELECT record, sum FROM capabilities WHERE play = ? AND id = ?", [.text(id.rawValue)], what: "capability \(id)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.capability(text) }
    }

    func capability(digest: String) throws(RecoveryStoreError) -> CapabilityRecord? {
        try record("SELECT record, sum FROM capabilities WHERE play = ? AND digest = ?", [.text(digest)], what: "a capability")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.capability(text) }
    }

    /// Saves a capability; consuming one is an UPDATE conditional on the row this decision read
    /// (unconsumed), so of two decisions consuming the same capability at once exactly one wins.
    func save(_ capability: CapabilityRecord) throws(RecoveryStoreError) {
        let text = RecordCodec.text(capability)
        let values: [SQLiteValue] = [.text(capability.caseID.rawValue), .text(capability.digest), .text(text),
                                     .text(SHA256.hexDigest(text)), .text(capability.id.rawValue)]
        if blindCapabilityWrites {
            // The planted bug: the check so far commits as one transaction, and this write, in the
            // next, trusts it.
            if capability.consumedAt != nil, let afterCapabilityCheck { try afterCapabilityCheck(capability) }
            try change(RecordTransaction.saveCapability, [values[4], values[0], values[1], values[2], values[3]])
            return
        }
        guard let old = try sql("SELECT record, sum FROM capabilities WHERE play = ? AND id = ?", [.text(capability.id.rawValue)]).first
        else {
            guard try change("INSERT INTO capabilities (play, case_id, digest, record, sum, id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             values) == 1 else { throw .conflict("another decision saved capability \(capability.id) first") }
            return
        }
        let previous = try RecordCodec.capability(try checked(old, what: "capability \(capability.id)"))
        if previous.consumedAt != nil, previous.consumedAt != capability.consumedAt {
            throw .conflict("capability \(capability.id) was already consumed")
        }
        guard try change("UPDATE capabilities SET case_id = ?2, digest = ?3, record = ?4, sum = ?5 WHERE play = ?1 AND id = ?6 AND sum = ?7",
                         values + [old[1]]) == 1 else {
            throw .conflict("another decision changed capability \(capability.id) first (it may have consumed it)")
        }
    }

    private static let saveCase = Upsert.statement("cases", keys: ["id"],
                                                   columns: ["connection", "run", "state", "closed_at", "record", "sum"])
    private static let saveOpenCase = Upsert.statement("open_cases", keys: ["connection"], columns: ["case_id"])
    private static let saveCapability = Upsert.statement("capabilities", keys: ["id"], columns: ["case_id", "digest", "record", "sum"])
    private static let saveEntry = Upsert.statement("ledger", keys: ["key"], columns: ["run", "state", "changed_at", "record", "sum"])
    private static let saveMark = Upsert.statement("refresh_marks", keys: ["run", "action"], columns: ["marked_at", "record", "sum"])

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
        try change(RecordTransaction.saveEntry, [.text(entry.key.rawValue), .text(entry.run.rawValue), .text(entry.state.rawValue),
                 .integer(entry.changedAt.milliseconds), .text(text), .text(SHA256.hexDigest(text))])
    }

    func deleteSettledEntries(changedBefore cutoff: Instant) throws(RecoveryStoreError) {
        // A parked run resumes from its checkpoint: its committed steps stay known until its case closes.
        try change("""
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
        try change(RecordTransaction.saveMark, [.text(mark.run.rawValue), .text(mark.action.rawValue), .integer(mark.markedAt.milliseconds),
                 .text(text), .text(SHA256.hexDigest(text))])
    }

    func deleteRefreshMarks(before cutoff: Instant) throws(RecoveryStoreError) {
        try change("DELETE FROM refresh_marks WHERE play = ? AND marked_at < ?", [.integer(cutoff.milliseconds)])
    }
}

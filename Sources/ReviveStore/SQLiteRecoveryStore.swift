import Revive
import ReviveVocabulary

/// A `RecoveryStore` on SQLite: one play's engine state in a store file.
///
/// Each engine decision is one `BEGIN IMMEDIATE … COMMIT` transaction that writes the decision's
/// records and, in the same transaction, its transitions to the decision log, chained by digest.
/// If the decision or the commit fails, SQLite rolls all of it back. Nothing the engine needs
/// after a restart lives in this object: an engine made over a store reopened on the same file
/// and play carries on where the last one stopped.
public final class SQLiteRecoveryStore: RecoveryStore {
    let file: SQLiteStoreFile
    /// The play this store's rows belong to.
    public let play: Int64
    private var inTransaction = false

    init(file: SQLiteStoreFile, play: Int64) {
        self.file = file
        self.play = play
    }

    /// Reopens a play already in the file (a restarted engine).
    public static func resume(play: Int64, in file: SQLiteStoreFile) -> SQLiteRecoveryStore {
        SQLiteRecoveryStore(file: file, play: play)
    }

    /// The decisions this play has committed so far.
    public func committedDecisions() throws(RecoveryStoreError) -> Int {
        try file.run("counting decisions") { () throws(SQLiteError) in
            Int(try file.database.query("SELECT count(*) FROM decisions WHERE play = ?", [.integer(play)]).first?.first?.integer ?? 0)
        }
    }

    public func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        precondition(!inTransaction, "transactions do not nest: one decision, one transaction")
        inTransaction = true
        defer { inTransaction = false }
        let database = file.database
        try file.run("beginning a decision") { () throws(SQLiteError) in try database.execute("BEGIN IMMEDIATE") }
        let transaction = SQLiteTransaction(store: self)
        defer { transaction.isOpen = false }
        do {
            let result = try body(transaction)
            try appendDecision(transaction.transitions)
            try file.run("committing a decision") { () throws(SQLiteError) in try database.execute("COMMIT") }
            return result
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// Appends the decision to the play's log: its transitions, chained to the one before.
    private func appendDecision(_ transitions: [Transition]) throws(RecoveryStoreError) {
        let body = "[" + transitions.map(RecordCodec.text).joined(separator: ",") + "]"
        try file.run("logging a decision") { () throws(SQLiteError) in
            let last = try file.database.query("SELECT seq, digest FROM decisions WHERE play = ? ORDER BY seq DESC LIMIT 1",
                                               [.integer(play)]).first
            let seq = (last?[0].integer ?? 0) + 1
            let digest = SQLiteStoreFile.chain(last?[1].text ?? "", body)
            try file.database.query("INSERT INTO decisions (play, seq, body, digest) VALUES (?, ?, ?, ?)",
                                    [.integer(play), .integer(seq), .text(body), .text(digest)])
        }
    }
}

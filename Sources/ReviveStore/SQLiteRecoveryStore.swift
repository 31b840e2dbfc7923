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
    /// The last committed decision's number and digest (nil: not read from the file yet).
    private var last: (seq: Int64, digest: String)?
    /// Called with the decision's number right before its COMMIT (`false`) and right after it
    /// (`true`): the hook `explore --kill` uses to SIGKILL the process at a commit point.
    public var commitHook: ((_ decision: Int, _ committed: Bool) -> Void)?

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
            let logged = try appendDecision(transaction.transitions)
            commitHook?(Int(logged.seq), false)
            try file.run("committing a decision") { () throws(SQLiteError) in try database.execute("COMMIT") }
            last = logged
            commitHook?(Int(logged.seq), true)
            return result
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// Appends the decision to the play's log: its transitions, chained to the one before.
    private func appendDecision(_ transitions: [Transition]) throws(RecoveryStoreError) -> (seq: Int64, digest: String) {
        let body = "[" + transitions.map(RecordCodec.text).joined(separator: ",") + "]"
        return try file.run("logging a decision") { () throws(SQLiteError) -> (seq: Int64, digest: String) in
            let previous: (seq: Int64, digest: String)
            if let last {
                previous = last
            } else {
                let row = try file.database.query("SELECT seq, digest FROM decisions WHERE play = ? ORDER BY seq DESC LIMIT 1",
                                                  [.integer(play)]).first
                previous = (row?[0].integer ?? 0, row?[1].text ?? "")
            }
            let logged = (seq: previous.seq + 1, digest: SQLiteStoreFile.chain(previous.digest, body))
            try file.database.query("INSERT INTO decisions (play, seq, body, digest) VALUES (?, ?, ?, ?)",
                                    [.integer(play), .integer(logged.seq), .text(body), .text(logged.digest)])
            return logged
        }
    }

    /// The transitions of committed decision `seq` of this play, as the decision log keeps them.
    public func transitions(ofDecision seq: Int) throws(RecoveryStoreError) -> [Transition] {
        let body = try file.run("reading a decision") { () throws(SQLiteError) in
            try file.database.query("SELECT body FROM decisions WHERE play = ? AND seq = ?", [.integer(play), .integer(Int64(seq))])
                .first?.first?.text
        }
        guard let body else { return [] }
        guard case .array(let items)? = try? JSONValue.parse(body) else { throw .corrupt("decision \(seq)'s log entry is not a JSON array") }
        var result: [Transition] = []
        for item in items { result.append(try RecordCodec.transition(item.compactText)) }
        return result
    }
}

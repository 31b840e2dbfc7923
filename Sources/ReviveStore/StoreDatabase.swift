import Revive

/// A database many processes may share as one recovery store: a `StoreSession` with its
/// transaction control and its decision log.
protocol StoreDatabase: StoreSession {
    /// Opens a decision's transaction.
    func begin() throws(RecoveryStoreError)
    /// Commits it; a lost race found at commit is `.conflict`.
    func commit() throws(RecoveryStoreError)
    /// Drops it (never fails: a broken connection has dropped it already).
    func rollback()
    /// Appends one committed decision's transitions (as JSON) to a play's decision log.
    func appendDecision(play: Int64, body: String) throws(RecoveryStoreError)
}

extension SQLiteStoreFile: StoreDatabase {
    func begin() throws(RecoveryStoreError) {
        try run("beginning a decision") { () throws(SQLiteError) in try database.execute("BEGIN IMMEDIATE") }
    }

    func commit() throws(RecoveryStoreError) {
        try run("committing a decision") { () throws(SQLiteError) in try database.execute("COMMIT") }
    }

    func rollback() { try? database.execute("ROLLBACK") }

    /// Reads the chain's tail inside the transaction (no cache: another process may have written
    /// since); `BEGIN IMMEDIATE` holds the file's write lock, so the tail cannot move meanwhile.
    func appendDecision(play: Int64, body: String) throws(RecoveryStoreError) {
        try run("logging a decision") { () throws(SQLiteError) in
            let row = try database.query("SELECT seq, digest FROM decisions WHERE play = ? ORDER BY seq DESC LIMIT 1", [.integer(play)]).first
            let (seq, previous) = (row?[0].integer ?? 0, row?[1].text ?? "")
            try database.query("INSERT INTO decisions (play, seq, body, digest) VALUES (?, ?, ?, ?)",
                               [.integer(play), .integer(seq + 1), .text(body), .text(SQLiteStoreFile.chain(previous, body))])
        }
    }

    /// A store on one play of this file that other processes may share (`stress`): unlike
    /// `SQLiteRecoveryStore`, it caches nothing between decisions.
    public func sharedStore(play: Int64) -> SharedRecoveryStore { SharedRecoveryStore(database: self, play: play) }
}

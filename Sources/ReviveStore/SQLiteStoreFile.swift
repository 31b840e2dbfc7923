import Revive
import ReviveVocabulary

/// One store file: opened, migrated and checked once, then shared by the plays written to it.
///
/// Opening it sets WAL journaling and `synchronous=FULL` (a committed decision survives a crash
/// of the process and of the machine), checks SQLite's own structure (`quick_check`) and the
/// digest chain of every play's decision log, and refuses a file written by a newer schema.
/// Every failure is a `RecoveryStoreError` that says what to do; nothing is silently empty.
public final class SQLiteStoreFile {
    let database: SQLiteDatabase
    /// The path it was opened at.
    public var path: String { database.path }
    /// The connection itself, for measurements beside the store's own work (`bench --store`).
    public var rawDatabase: SQLiteDatabase { database }

    /// Opens (creating) the store file at `path` and checks it. Another process's write lock is
    /// waited for up to `busyTimeoutMilliseconds`, then reported as a conflict.
    public init(path: String, busyTimeoutMilliseconds: Int = 5_000) throws(RecoveryStoreError) {
        do {
            database = try SQLiteDatabase(path: path)
            try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            let mode = try database.query("PRAGMA journal_mode = WAL").first?.first?.text
            guard mode == "wal" else { throw SQLiteError(code: SQLiteDatabase.Code.readOnly, message: "cannot switch to WAL journaling") }
            try database.execute("PRAGMA synchronous = FULL")
            let check = try database.query("PRAGMA quick_check").compactMap { $0.first?.text }
            guard check == ["ok"] else {
                throw RecoveryStoreError.corrupt("\(path): SQLite's integrity check says \(check.prefix(3).joined(separator: "; "))")
            }
        } catch let error as SQLiteError {
            throw SQLiteStoreFile.storeError(error, path: path, doing: "opening the store")
        } catch let error as RecoveryStoreError {
            throw error
        } catch {
            throw .unavailable("\(path): \(error)")
        }
        try migrate()
        try verifyChains()
    }

    /// Brings the schema to `StoreSchema.version`, one migration per transaction.
    private func migrate() throws(RecoveryStoreError) {
        let found = try run("reading the schema version") { () throws(SQLiteError) in
            Int(try database.query("PRAGMA user_version").first?.first?.integer ?? 0)
        }
        guard found <= StoreSchema.version else {
            throw RecoveryStoreError(code: .unavailable, message: "\(path) was written with store schema \(found), newer than this "
                + "revive-lab reads (\(StoreSchema.version)); use the revive-lab that wrote it, or another file")
        }
        for version in found..<StoreSchema.version {
            try run("migrating the store to schema \(version + 1)") { () throws(SQLiteError) in
                try database.writeTransaction { () throws(SQLiteError) in
                    try database.execute(StoreSchema.migrations[version])
                    try database.execute("PRAGMA user_version = \(version + 1)")
                }
            }
        }
    }

    /// Recomputes every play's decision chain: a decision row changed, dropped or reordered
    /// behind SQLite's back breaks it.
    private func verifyChains() throws(RecoveryStoreError) {
        let rows = try run("reading the decision log") { () throws(SQLiteError) in
            try database.query("SELECT play, seq, body, digest FROM decisions ORDER BY play, seq")
        }
        var play: Int64 = -1
        var previous = ""
        var expected: Int64 = 1
        for row in rows {
            guard let rowPlay = row[0].integer, let seq = row[1].integer, let body = row[2].text, let digest = row[3].text else {
                throw .corrupt("\(path): a decision log row has the wrong types")
            }
            if rowPlay != play { (play, previous, expected) = (rowPlay, "", 1) }
            guard seq == expected, SQLiteStoreFile.chain(previous, body) == digest else {
                throw .corrupt("\(path): play \(play)'s decision log breaks its digest chain at decision \(seq) "
                    + "(changed, missing or out of order); restore the file from a backup")
            }
            (previous, expected) = (digest, expected + 1)
        }
    }

    /// The digest that follows `previous` for a decision whose transitions are `body`.
    static func chain(_ previous: String, _ body: String) -> String { SHA256.hexDigest(previous + "\n" + body) }

    /// Starts a play and returns the store the engine uses for it.
    public func beginPlay(scenario: String, seed: UInt64, mode: String) throws(RecoveryStoreError) -> SQLiteRecoveryStore {
        let play = try run("starting a play") { () throws(SQLiteError) -> Int64 in
            try database.query("INSERT INTO plays (scenario, seed, mode) VALUES (?, ?, ?)",
                               [.text(scenario), .integer(Int64(bitPattern: seed)), .text(mode)])
            return try database.query("SELECT last_insert_rowid()").first?.first?.integer ?? 0
        }
        return SQLiteRecoveryStore(file: self, play: play)
    }

    /// Runs SQLite work, turning its errors into the store's.
    func run<T>(_ doing: String, _ body: () throws(SQLiteError) -> T) throws(RecoveryStoreError) -> T {
        do {
            return try body()
        } catch {
            throw SQLiteStoreFile.storeError(error, path: path, doing: doing)
        }
    }

    /// SQLite's failure in the store's words: what happened to FILE and what to do.
    public static func storeError(_ error: SQLiteError, path: String, doing: String) -> RecoveryStoreError {
        let what = "\(path): \(doing): \(error.message)"
        switch error.primary {
        case SQLiteDatabase.Code.busy, SQLiteDatabase.Code.locked:
            return .conflict("\(what); another process holds the store file: wait for it, or use another file")
        case SQLiteDatabase.Code.readOnly:
            return .unavailable("\(what); the file or its folder is read-only: make it writable, or use another file")
        case SQLiteDatabase.Code.full:
            return .unavailable("\(what); the disk is full: free space, then run again")
        case SQLiteDatabase.Code.corrupt, SQLiteDatabase.Code.notADatabase:
            return .corrupt("\(what); the file is not an intact revive-lab store")
        case SQLiteDatabase.Code.cannotOpen:
            return .unavailable("\(what); check the path and its permissions")
        default:
            return .unavailable(what)
        }
    }
}

extension SQLiteValue {
    /// Text, or NULL for nil.
    static func optional(_ text: String?) -> SQLiteValue { text.map { .text($0) } ?? .null }
}

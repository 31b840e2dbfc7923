import Revive
import ReviveVocabulary

/// A `LocalFallback`'s journal in a SQLite file of its own, beside the store: the decisions an
/// engine took while its shared store was away survive the process, so the one that takes over
/// drains them (`SQLiteStoreFile.resumeFallback(of:journal:)`).
///
/// Like the store file it uses WAL journaling and `synchronous=FULL`, and keeps each entry with
/// its SHA-256. Each `append` is one transaction, committed before the engine answers its
/// caller; `drained(through:)` deletes the entries once the drain committed in the shared store.
/// Entries are keyed by the store's play, so one journal file serves every play of its store.
/// It is a separate file, not a table of the store, because the store may be the thing that is
/// unreachable (on another disk, or a PostgreSQL server).
public final class SQLiteFallbackJournal: FallbackJournal {
    private let database: SQLiteDatabase
    /// The path it was opened at.
    public var path: String { database.path }
    /// The play whose journal this is.
    public let play: Int64
    public private(set) var entries: [JournalEntry] = []
    public private(set) var lastNumber = 0

    /// The journal file kept beside the store file at `storePath`. Not `FILE-journal`: SQLite
    /// names a rollback journal so, and would take ours for one.
    public static func path(besideStore storePath: String) -> String { storePath + ".fallback-journal" }

    /// Opens (creating) the journal file at `path` and reads `play`'s undrained entries back.
    /// For a play the store has just begun (`freshPlay`), whatever the file holds under its id
    /// was left by an earlier store file that reused the id (the store was deleted, its journal
    /// not): it cannot be drained anywhere, so it is dropped and numbering starts over.
    public init(path: String, play: Int64, freshPlay: Bool = false, busyTimeoutMilliseconds: Int = 5_000) throws(RecoveryStoreError) {
        self.play = play
        do {
            database = try SQLiteDatabase(path: path)
        } catch {
            throw SQLiteStoreFile.storeError(error, path: path, doing: "opening the fallback journal")
        }
        try run("opening the fallback journal") { () throws(SQLiteError) in
            try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            guard try database.query("PRAGMA journal_mode = WAL").first?.first?.text == "wal" else {
                throw SQLiteError(code: SQLiteDatabase.Code.readOnly, message: "cannot switch to WAL journaling")
            }
            try database.execute("PRAGMA synchronous = FULL")
        }
        try migrate()
        if freshPlay {
            try run("starting the play's journal") { () throws(SQLiteError) in
                try database.writeTransaction { () throws(SQLiteError) in
                    _ = try database.query("DELETE FROM entries WHERE play = ?", [.integer(play)])
                    _ = try database.query("DELETE FROM numbers WHERE play = ?", [.integer(play)])
                }
            }
        }
        try load()
    }

    private static let schemaVersion = 1

    private func migrate() throws(RecoveryStoreError) {
        let found = try run("reading the journal's version") { () throws(SQLiteError) in
            Int(try database.query("PRAGMA user_version").first?.first?.integer ?? 0)
        }
        guard found <= SQLiteFallbackJournal.schemaVersion else {
            throw .unavailable("\(path) was written by a newer revive-lab (journal schema \(found)); drain it with that one")
        }
        guard found == 0 else { return }
        try run("creating the journal's tables") { () throws(SQLiteError) in
            try database.writeTransaction { () throws(SQLiteError) in
                try database.execute("""
                    CREATE TABLE entries (play INTEGER NOT NULL, number INTEGER NOT NULL, body TEXT NOT NULL, sum TEXT NOT NULL,
                        PRIMARY KEY (play, number));
                    CREATE TABLE numbers (play INTEGER PRIMARY KEY, last INTEGER NOT NULL);
                    PRAGMA user_version = 1;
                    """)
            }
        }
    }

    /// Reads the play's undrained entries and its highest number, every entry's sum checked.
    private func load() throws(RecoveryStoreError) {
        let (rows, last) = try run("reading the journal") { () throws(SQLiteError) in
            (try database.query("SELECT number, body, sum FROM entries WHERE play = ? ORDER BY number", [.integer(play)]),
             try database.query("SELECT last FROM numbers WHERE play = ?", [.integer(play)]).first?.first?.integer ?? 0)
        }
        for row in rows {
            guard let number = row[0].integer, let body = row[1].text, row[2].text == SHA256.hexDigest("\(number)|\(body)") else {
                throw .corrupt("\(path): a journal entry of play \(play) does not match its checksum; restore the file from a backup")
            }
            entries.append(JournalEntry(number: Int(number), writes: try RecordCodec.writes(body)))
        }
        lastNumber = max(Int(last), entries.last?.number ?? 0)
    }

    /// Commits the entry (and the highest number) to the file before it is kept in memory.
    public func append(_ entry: JournalEntry) throws(RecoveryStoreError) {
        let body = RecordCodec.text(entry.writes)
        let number = Int64(entry.number)
        try run("journaling a decision") { () throws(SQLiteError) in
            try database.writeTransaction { () throws(SQLiteError) in
                try database.query("INSERT INTO entries (play, number, body, sum) VALUES (?, ?, ?, ?)",
                                   [.integer(play), .integer(number), .text(body), .text(SHA256.hexDigest("\(number)|\(body)"))])
                try database.query("INSERT INTO numbers (play, last) VALUES (?, ?) ON CONFLICT (play) DO UPDATE SET last = max(last, excluded.last)",
                                   [.integer(play), .integer(number)])
            }
        }
        entries.append(entry)
        lastNumber = max(lastNumber, entry.number)
    }

    /// Forgets the entries in memory first (the shared store has them, whatever the file says),
    /// then deletes them from the file.
    public func drained(through number: Int) throws(RecoveryStoreError) {
        entries.removeAll { $0.number <= number }
        try run("forgetting drained entries") { () throws(SQLiteError) in
            try database.writeTransaction { () throws(SQLiteError) in
                _ = try database.query("DELETE FROM entries WHERE play = ? AND number <= ?", [.integer(play), .integer(Int64(number))])
            }
        }
    }

    private func run<T>(_ doing: String, _ body: () throws(SQLiteError) -> T) throws(RecoveryStoreError) -> T {
        do {
            return try body()
        } catch {
            throw SQLiteStoreFile.storeError(error, path: path, doing: doing)
        }
    }
}

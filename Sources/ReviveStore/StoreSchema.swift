/// The store's tables, versioned with SQLite's `user_version`; each migration moves one version up.
///
/// Every table is keyed by `play` first: one file holds many plays, also of scenarios that reuse
/// run ids. A record table keeps the whole record as JSON text (`record`) with its SHA-256
/// (`sum`, checked on every read, so a page damaged behind SQLite's back is caught), plus the
/// columns it is searched by. `decisions` is the engine's decision log: one row per committed
/// decision, its transitions as JSON, chained by digest. `history` is every transition of every
/// play (the engine's and the world's), indexed for `revive-lab history` and for `sqlite3`; a
/// finished play's row in `plays` keeps its outcome and its whole JSONL record (docs/store.md).
enum StoreSchema {
    /// The version this build writes and reads.
    static let version = 2

    /// The migrations, in order: `migrations[n]` moves a file from version n to n + 1.
    static let migrations: [String] = [
        """
        CREATE TABLE plays (id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, seed INTEGER NOT NULL, mode TEXT NOT NULL,
            outcome TEXT, passed INTEGER, jsonl TEXT);
        CREATE TABLE connections (play INTEGER NOT NULL, id TEXT NOT NULL, record TEXT NOT NULL, sum TEXT NOT NULL,
            PRIMARY KEY (play, id));
        CREATE TABLE generations (play INTEGER NOT NULL, connection TEXT NOT NULL, current INTEGER NOT NULL,
            dead INTEGER, sum TEXT NOT NULL, PRIMARY KEY (play, connection));
        CREATE TABLE leases (play INTEGER NOT NULL, id TEXT NOT NULL, connection TEXT NOT NULL, generation INTEGER NOT NULL,
            holder TEXT NOT NULL, issued_at INTEGER NOT NULL, record TEXT NOT NULL, sum TEXT NOT NULL, PRIMARY KEY (play, id));
        CREATE INDEX leases_by_holder ON leases (play, holder);
        CREATE TABLE losses (play INTEGER NOT NULL, worker TEXT NOT NULL, at INTEGER NOT NULL, sum TEXT NOT NULL,
            PRIMARY KEY (play, worker));
        CREATE TABLE cases (play INTEGER NOT NULL, id TEXT NOT NULL, connection TEXT NOT NULL, run TEXT NOT NULL,
            state TEXT NOT NULL, closed_at INTEGER, record TEXT NOT NULL, sum TEXT NOT NULL, PRIMARY KEY (play, id));
        CREATE TABLE open_cases (play INTEGER NOT NULL, connection TEXT NOT NULL, case_id TEXT NOT NULL,
            PRIMARY KEY (play, connection));
        CREATE TABLE capabilities (play INTEGER NOT NULL, id TEXT NOT NULL, case_id TEXT NOT NULL, digest TEXT NOT NULL,
            record TEXT NOT NULL, sum TEXT NOT NULL, PRIMARY KEY (play, id));
        CREATE UNIQUE INDEX capabilities_by_digest ON capabilities (play, digest);
        CREATE TABLE ledger (play INTEGER NOT NULL, key TEXT NOT NULL, run TEXT NOT NULL, state TEXT NOT NULL,
            changed_at INTEGER NOT NULL, record TEXT NOT NULL, sum TEXT NOT NULL, PRIMARY KEY (play, key));
        CREATE TABLE refresh_marks (play INTEGER NOT NULL, run TEXT NOT NULL, action TEXT NOT NULL, marked_at INTEGER NOT NULL,
            record TEXT NOT NULL, sum TEXT NOT NULL, PRIMARY KEY (play, run, action));
        CREATE TABLE decisions (play INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, digest TEXT NOT NULL,
            PRIMARY KEY (play, seq));
        CREATE TABLE history (play INTEGER NOT NULL, seq INTEGER NOT NULL, time_ms INTEGER NOT NULL, name TEXT NOT NULL,
            actor TEXT NOT NULL, run TEXT, step TEXT, connection TEXT, case_id TEXT, class TEXT, record TEXT NOT NULL,
            PRIMARY KEY (play, seq));
        CREATE INDEX history_by_run ON history (run, play, seq);
        CREATE INDEX history_by_connection ON history (connection, play, seq);
        CREATE INDEX history_by_case ON history (case_id, play, seq);
        CREATE INDEX history_by_class ON history (class, play, seq);
        CREATE INDEX history_by_name ON history (name, play, seq);
        CREATE INDEX history_by_time ON history (time_ms, play, seq);
        """,
        // Version 2: the prunes every rotation and decision runs read by index, not by scanning
        // the table: on PostgreSQL at SERIALIZABLE a scan locks the whole table against every new
        // lease or case, and concurrent decisions kept losing races to it (`stress`).
        """
        CREATE INDEX leases_by_connection ON leases (play, connection, generation);
        CREATE INDEX leases_by_issue ON leases (play, issued_at);
        CREATE INDEX cases_by_closing ON cases (play, state, closed_at);
        """,
    ]
}

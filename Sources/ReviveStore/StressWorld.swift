#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveVocabulary

/// The simulated provider's and owners' state for `stress`, in the same database as the engine's
/// store, so that its races between processes are real: rotating refresh tokens (each redeemable
/// once), the effects of mutating calls (one row per execution, so a repeat shows), the owners'
/// inbox of reconnect requests, and each run's progress. Statements run one by one (autocommit),
/// on a connection of their own, never inside an engine decision.
public final class StressWorld {
    let session: StoreSession
    private let postgres: PostgresStore?
    /// The play the stress runs share.
    public let play: Int64
    #if REVIVE_PLANTED_BUGS
    /// The planted `unlocked-refresh`: refreshes take no lock, so two processes may redeem one token.
    public var plantUnlockedRefresh = false
    #endif

    /// Opens its own connection to the store at `location` (a PostgreSQL URL or a SQLite file).
    public init(location: String, play: Int64, libpqPath: String? = nil) throws(RecoveryStoreError) {
        if PostgresURL.isPostgres(location) {
            let store = try PostgresStore(url: try PostgresURL(location), libraryPath: libpqPath)
            (session, postgres) = (store, store)
        } else {
            (session, postgres) = (try SQLiteStoreFile(path: location), nil)
        }
        self.play = play
    }

    /// Creates the world's tables if they are missing (every process may call it at once).
    public func prepare() throws(RecoveryStoreError) {
        // PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent one: serialize them.
        try postgres?.begin()
        do {
            try postgres.map { (store) throws(RecoveryStoreError) in
                _ = try store.rows("SELECT pg_advisory_xact_lock(727465766977)", [], doing: "creating stress tables")
            }
            for table in StressWorld.tables { _ = try session.changed("CREATE TABLE IF NOT EXISTS \(table)", [], doing: "creating stress tables") }
            try postgres?.commit()
        } catch {
            postgres?.rollback()
            throw error
        }
    }

    static let tables = [
        "stress_tokens (play BIGINT NOT NULL, connection TEXT NOT NULL, generation BIGINT NOT NULL, redeemed BIGINT NOT NULL, "
            + "PRIMARY KEY (play, connection, generation))",
        "stress_refreshes (play BIGINT NOT NULL, connection TEXT NOT NULL, generation BIGINT NOT NULL, process BIGINT NOT NULL, outcome TEXT NOT NULL)",
        "stress_effects (play BIGINT NOT NULL, key TEXT NOT NULL, run TEXT NOT NULL, process BIGINT NOT NULL)",
        "stress_inbox (play BIGINT NOT NULL, capability TEXT NOT NULL, connection TEXT NOT NULL, case_id TEXT NOT NULL, "
            + "PRIMARY KEY (play, capability))",
        "stress_runs (play BIGINT NOT NULL, run TEXT NOT NULL, process BIGINT NOT NULL, state TEXT NOT NULL, attempt BIGINT NOT NULL, "
            + "case_id TEXT, PRIMARY KEY (play, run))",
        "stress_locks (play BIGINT NOT NULL, connection TEXT NOT NULL, pid BIGINT NOT NULL, shared BIGINT NOT NULL, "
            + "PRIMARY KEY (play, connection, pid))",
        "stress_expired (play BIGINT NOT NULL, connection TEXT NOT NULL, generation BIGINT NOT NULL, "
            + "PRIMARY KEY (play, connection, generation))",
    ] + StressWorld.scenarioTables

    @discardableResult
    func rows(_ sql: String, _ values: [SQLiteValue]) throws(RecoveryStoreError) -> [[SQLiteValue]] {
        try retryingBusy { () throws(RecoveryStoreError) in try session.rows(sql, [.integer(play)] + values, doing: "the stress world") }
    }

    @discardableResult
    func change(_ sql: String, _ values: [SQLiteValue]) throws(RecoveryStoreError) -> Int {
        try retryingBusy { () throws(RecoveryStoreError) in try session.changed(sql, [.integer(play)] + values, doing: "the stress world") }
    }

    /// Runs one statement of the world's own, again when it met a busy database: a statement that
    /// gave up waiting for SQLite's file lock (5 s, on a loaded machine with many writers) did
    /// nothing, so it is safe to repeat; the store's own decisions retry the same way.
    private func retryingBusy<T>(_ statement: () throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        var attempt = 0
        while true {
            do {
                return try statement()
            } catch where error.code == .conflict && postgres == nil && attempt < 10 {
                attempt += 1
            }
        }
    }

    // MARK: Refresh tokens

    /// Takes the connection's token lock, waiting for other processes: exclusive for a refresh,
    /// shared for a reconnect (reconnects may race each other, which is what `stress` tests, but
    /// never a refresh under way). PostgreSQL's session advisory locks are freed by the server if
    /// their holder dies; on SQLite each holder is a row naming its pid, dropped once that process is gone.
    public func lockRefresh(_ connection: String, shared: Bool = false) throws(RecoveryStoreError) {
        #if REVIVE_PLANTED_BUGS
        if plantUnlockedRefresh { return }
        #endif
        if postgres != nil {
            let function = shared ? "pg_advisory_lock_shared" : "pg_advisory_lock"
            try session.rows("SELECT \(function)(?)", [.integer(StressWorld.lockKey(play, connection))], doing: "a refresh lock")
            return
        }
        let me = Int64(getpid())
        for _ in 0..<20_000 {
            let taken = try change("""
                INSERT INTO stress_locks (play, connection, pid, shared) SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
                (SELECT 1 FROM stress_locks WHERE play = ?1 AND connection = ?2 AND (shared = 0 OR ?4 = 0))
                """, [.text(connection), .integer(me), .integer(shared ? 1 : 0)])
            if taken == 1 { return }
            for holder in try rows("SELECT pid FROM stress_locks WHERE play = ? AND connection = ?", [.text(connection)])
            where kill(pid_t(holder.first?.integer ?? 0), 0) != 0 {
                try change("DELETE FROM stress_locks WHERE play = ? AND connection = ? AND pid = ?", [.text(connection), holder[0]])
            }
            usleep(1_000)
        }
        throw .conflict("the token lock of \(connection) stayed taken for 20 s")
    }

    /// Frees the connection's token lock (of the kind taken).
    public func unlockRefresh(_ connection: String, shared: Bool = false) throws(RecoveryStoreError) {
        #if REVIVE_PLANTED_BUGS
        if plantUnlockedRefresh { return }
        #endif
        if postgres != nil {
            let function = shared ? "pg_advisory_unlock_shared" : "pg_advisory_unlock"
            try session.rows("SELECT \(function)(?)", [.integer(StressWorld.lockKey(play, connection))], doing: "a refresh lock")
        } else {
            try change("DELETE FROM stress_locks WHERE play = ? AND connection = ? AND pid = ?", [.text(connection), .integer(Int64(getpid()))])
        }
    }

    /// A stable 63-bit key for an advisory lock (FNV-1a).
    static func lockKey(_ play: Int64, _ connection: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(play)|\(connection)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash >> 1)
    }

    /// The engine's current generation of a connection, as committed.
    public func committedGeneration(_ connection: String) throws(RecoveryStoreError) -> Int {
        Int(try rows("SELECT current FROM generations WHERE play = ? AND connection = ?", [.text(connection)]).first?.first?.integer ?? 1)
    }

    /// Issues the token pair of a generation (first grant, refresh or reconnect).
    public func issueToken(_ connection: String, generation: Int) throws(RecoveryStoreError) {
        try change("INSERT INTO stress_tokens (play, connection, generation, redeemed) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
                   [.text(connection), .integer(Int64(generation))])
    }

    /// Redeems a generation's refresh token: one conditional UPDATE, so it succeeds once.
    public func redeem(_ connection: String, generation: Int) throws(RecoveryStoreError) -> Bool {
        try change("UPDATE stress_tokens SET redeemed = redeemed + 1 WHERE play = ? AND connection = ? AND generation = ? AND redeemed = 0",
                   [.text(connection), .integer(Int64(generation))]) == 1
    }

    /// Logs one refresh attempt: `won`, `reread` (the generation had rotated: no call made) or
    /// `winner-died` (the token was redeemed by a process killed before it recorded the rotation).
    public func logRefresh(_ connection: String, generation: Int, process: Int, outcome: String) throws(RecoveryStoreError) {
        try change("INSERT INTO stress_refreshes (play, connection, generation, process, outcome) VALUES (?, ?, ?, ?, ?)",
                   [.text(connection), .integer(Int64(generation)), .integer(Int64(process)), .text(outcome)])
    }

    // MARK: Effects, the inbox and runs

    /// Marks a generation's access token expired: from now on every call with it is refused, in
    /// every process, until a refresh rotates the generation (as a real token expires for all).
    public func expire(_ connection: String, generation: Int) throws(RecoveryStoreError) {
        try change("INSERT INTO stress_expired (play, connection, generation) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                   [.text(connection), .integer(Int64(generation))])
    }

    /// Whether a generation's access token has expired.
    public func isExpired(_ connection: String, generation: Int) throws(RecoveryStoreError) -> Bool {
        try rows("SELECT 1 FROM stress_expired WHERE play = ? AND connection = ? AND generation = ?",
                 [.text(connection), .integer(Int64(generation))]).first != nil
    }

    /// Performs a mutating call's effect at the provider (every execution is a row).
    public func applyEffect(key: String, run: String, process: Int) throws(RecoveryStoreError) {
        try change("INSERT INTO stress_effects (play, key, run, process) VALUES (?, ?, ?, ?)", [.text(key), .text(run), .integer(Int64(process))])
    }

    /// Whether the provider holds an effect with this key (a lookup by idempotency key).
    public func hasEffect(key: String) throws(RecoveryStoreError) -> Bool {
        try rows("SELECT 1 FROM stress_effects WHERE play = ? AND key = ? LIMIT 1", [.text(key)]).first != nil
    }

    /// Delivers a reconnect request to the connection owner's inbox.
    public func post(capabilityValue: String, connection: String, caseID: String) throws(RecoveryStoreError) {
        try change("INSERT INTO stress_inbox (play, capability, connection, case_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   [.text(capabilityValue), .text(connection), .text(caseID)])
    }

    /// The requests whose case still awaits a reconnect: any process's owner may answer them.
    public func openRequests() throws(RecoveryStoreError) -> [(value: String, connection: String, caseID: String)] {
        try rows("""
            SELECT i.capability, i.connection, i.case_id FROM stress_inbox i JOIN cases c ON c.play = i.play AND c.id = i.case_id
            WHERE i.play = ? AND c.state = 'awaiting-reconnect' ORDER BY i.capability
            """, []).map { ($0[0].text ?? "", $0[1].text ?? "", $0[2].text ?? "") }
    }

    /// A case's state as committed (nil: no such case).
    public func caseState(_ caseID: String) throws(RecoveryStoreError) -> String? {
        try rows("SELECT state FROM cases WHERE play = ? AND id = ?", [.text(caseID)]).first?.first?.text
    }

    /// Records where a run stands: `running`, `parked` (on `caseID`) or `completed`.
    public func setRun(_ run: String, process: Int, state: String, attempt: Int, caseID: String?) throws(RecoveryStoreError) {
        try change(Upsert.statement("stress_runs", keys: ["run"], columns: ["process", "state", "attempt", "case_id"]),
                   [.text(run), .integer(Int64(process)), .text(state), .integer(Int64(attempt)), .optional(caseID)])
    }

    /// Where a run stands (nil: never started).
    public func run(_ run: String) throws(RecoveryStoreError) -> (state: String, attempt: Int, caseID: String?)? {
        try rows("SELECT state, attempt, case_id FROM stress_runs WHERE play = ? AND run = ?", [.text(run)]).first
            .map { ($0[0].text ?? "", Int($0[1].integer ?? 0), $0[2].text) }
    }

    /// Runs any read-only query of the final check.
    public func query(_ sql: String) throws(RecoveryStoreError) -> [[SQLiteValue]] { try rows(sql, []) }
}

extension StressWorld {
    /// The connection's open case, if any.
    public func openCase(_ connection: String) throws(RecoveryStoreError) -> String? {
        try rows("SELECT case_id FROM open_cases WHERE play = ? AND connection = ?", [.text(connection)]).first?.first?.text
    }

    /// When a capability expires (nil: no such capability).
    public func capabilityExpiry(_ id: String) throws(RecoveryStoreError) -> Instant? {
        guard let text = try rows("SELECT record FROM capabilities WHERE play = ? AND id = ?", [.text(id)]).first?.first?.text else { return nil }
        return try RecordCodec.capability(text).expiresAt
    }
}

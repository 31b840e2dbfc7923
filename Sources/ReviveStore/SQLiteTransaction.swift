import Revive
import ReviveVocabulary

/// One decision's reads and writes on the store file, inside the store's open SQLite transaction.
final class SQLiteTransaction: RecoveryStoreTransaction {
    private let store: SQLiteRecoveryStore
    /// The decision's transitions, in emission order, logged with the commit.
    private(set) var transitions: [Transition] = []
    var isOpen = true

    init(store: SQLiteRecoveryStore) { self.store = store }

    private var play: SQLiteValue { .integer(store.play) }

    /// Runs one statement with the play bound first.
    @discardableResult
    func sql(_ text: String, _ values: [SQLiteValue]) throws(RecoveryStoreError) -> [[SQLiteValue]] {
        precondition(isOpen, "a transaction is never used after its decision")
        let file = store.file
        return try file.run("a decision") { () throws(SQLiteError) in try file.database.query(text, [play] + values) }
    }

    /// The record text of the single row `text` selects as (record, sum), its sum checked.
    func record(_ text: String, _ values: [SQLiteValue], what: String) throws(RecoveryStoreError) -> String? {
        guard let row = try sql(text, values).first else { return nil }
        return try checked(row, what: what)
    }

    func checked(_ row: [SQLiteValue], what: String) throws(RecoveryStoreError) -> String {
        guard row.count == 2, let record = row[0].text, let sum = row[1].text, SHA256.hexDigest(record) == sum else {
            throw .corrupt("\(what) in \(store.file.path) does not match its checksum")
        }
        return record
    }

    // MARK: Connections and generations

    func connection(_ id: ConnectionID) throws(RecoveryStoreError) -> ConnectionRecord? {
        try record("SELECT record, sum FROM connections WHERE play = ? AND id = ?", [.text(id.rawValue)], what: "connection \(id)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.connection(text) }
    }

    func save(_ connection: ConnectionRecord) throws(RecoveryStoreError) {
        let text = RecordCodec.text(connection)
        try sql("INSERT OR REPLACE INTO connections (play, id, record, sum) VALUES (?, ?, ?, ?)",
                [.text(connection.id.rawValue), .text(text), .text(SHA256.hexDigest(text))])
    }

    /// (current, dead) of a connection, its sum checked.
    private func generations(_ connection: ConnectionID) throws(RecoveryStoreError) -> (LeaseGeneration, LeaseGeneration?) {
        guard let row = try sql("SELECT current, dead, sum FROM generations WHERE play = ? AND connection = ?",
                                [.text(connection.rawValue)]).first else { return (.first, nil) }
        let current = row[0].integer ?? 0
        let dead = row[1].integer
        guard row[2].text == SQLiteTransaction.generationSum(connection, current, dead),
              let generation = LeaseGeneration(recorded: Int(current)) else {
            throw .corrupt("the generations of \(connection) in \(store.file.path) do not match their checksum")
        }
        return (generation, dead.flatMap { LeaseGeneration(recorded: Int($0)) })
    }

    private static func generationSum(_ connection: ConnectionID, _ current: Int64, _ dead: Int64?) -> String {
        SHA256.hexDigest("\(connection.rawValue)|\(current)|\(dead.map(String.init) ?? "-")")
    }

    private func setGenerations(_ connection: ConnectionID, current: LeaseGeneration, dead: LeaseGeneration?) throws(RecoveryStoreError) {
        let (c, d) = (Int64(current.value), dead.map { Int64($0.value) })
        try sql("INSERT OR REPLACE INTO generations (play, connection, current, dead, sum) VALUES (?, ?, ?, ?, ?)",
                [.text(connection.rawValue), .integer(c), d.map { .integer($0) } ?? .null,
                 .text(SQLiteTransaction.generationSum(connection, c, d))])
    }

    func generation(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration { try generations(connection).0 }

    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError) {
        let (current, dead) = try generations(connection)
        guard generation >= current else { throw .conflict("generation of \(connection) would move back from \(current) to \(generation)") }
        try setGenerations(connection, current: generation, dead: dead)
    }

    func deadGeneration(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration? { try generations(connection).1 }

    func setDeadGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError) {
        try setGenerations(connection, current: try generations(connection).0, dead: generation)
    }

    // MARK: Leases and lost workers

    func lease(_ id: LeaseID) throws(RecoveryStoreError) -> LeaseRecord? {
        try record("SELECT record, sum FROM leases WHERE play = ? AND id = ?", [.text(id.rawValue)], what: "lease \(id)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.lease(text) }
    }

    func leases(heldBy worker: WorkerID) throws(RecoveryStoreError) -> [LeaseRecord] {
        var result: [LeaseRecord] = []
        for row in try sql("SELECT record, sum FROM leases WHERE play = ? AND holder = ? ORDER BY id", [.text(worker.rawValue)]) {
            result.append(try RecordCodec.lease(try checked(row, what: "a lease of \(worker)")))
        }
        return result
    }

    func save(_ lease: LeaseRecord) throws(RecoveryStoreError) {
        let text = RecordCodec.text(lease)
        try sql("""
            INSERT OR REPLACE INTO leases (play, id, connection, generation, holder, issued_at, record, sum)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(lease.lease.id.rawValue), .text(lease.lease.connection.rawValue), .integer(Int64(lease.lease.generation.value)),
                  .text(lease.lease.holder.rawValue), .integer(lease.lease.issuedAt.milliseconds), .text(text), .text(SHA256.hexDigest(text))])
    }

    func deleteLeases(of connection: ConnectionID, olderThan generation: LeaseGeneration) throws(RecoveryStoreError) {
        try sql("DELETE FROM leases WHERE play = ? AND connection = ? AND generation < ?",
                [.text(connection.rawValue), .integer(Int64(generation.value))])
    }

    func deleteLeases(issuedBefore cutoff: Instant) throws(RecoveryStoreError) {
        try sql("DELETE FROM leases WHERE play = ? AND issued_at < ?", [.integer(cutoff.milliseconds)])
    }

    func lastLoss(of worker: WorkerID) throws(RecoveryStoreError) -> Instant? {
        guard let row = try sql("SELECT at, sum FROM losses WHERE play = ? AND worker = ?", [.text(worker.rawValue)]).first else { return nil }
        guard let at = row[0].integer, row[1].text == SHA256.hexDigest("\(worker.rawValue)|\(at)") else {
            throw .corrupt("the loss mark of \(worker) in \(store.file.path) does not match its checksum")
        }
        return Instant(milliseconds: at)
    }

    func setLastLoss(_ instant: Instant, of worker: WorkerID) throws(RecoveryStoreError) {
        try sql("INSERT OR REPLACE INTO losses (play, worker, at, sum) VALUES (?, ?, ?, ?)",
                [.text(worker.rawValue), .integer(instant.milliseconds), .text(SHA256.hexDigest("\(worker.rawValue)|\(instant.milliseconds)"))])
    }

    func deleteLosses(before cutoff: Instant) throws(RecoveryStoreError) {
        try sql("DELETE FROM losses WHERE play = ? AND at < ?", [.integer(cutoff.milliseconds)])
    }

    // MARK: The decision's timeline

    func record(_ transition: Transition) throws(RecoveryStoreError) { transitions.append(transition) }
}

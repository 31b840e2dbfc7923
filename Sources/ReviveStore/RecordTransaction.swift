import Revive
import ReviveVocabulary

/// One decision's reads and writes on the record tables, inside the store's open transaction:
/// the same statements on a SQLite file and on PostgreSQL.
///
/// Two writes settle races between processes in the statement itself, whatever the isolation:
/// rotating a generation is a compare-and-set against the generation this decision read, and
/// consuming a capability is an UPDATE conditional on the unconsumed row this decision read. A
/// write that finds the row changed since throws `.conflict`, and the store retries the whole
/// decision, which then reads the newer records.
final class RecordTransaction: RecoveryStoreTransaction {
    let session: StoreSession
    let play: Int64
    /// The decision's transitions, in emission order, logged with the commit.
    private(set) var transitions: [Transition] = []
    var isOpen = true
    /// Called right before a capability's consumption is written: the planted bug
    /// `split-consumption` commits the check there, so the read and the write fall into two
    /// transactions. Nil unless that bug is planted (debug builds only).
    var afterCapabilityCheck: ((CapabilityRecord) throws(RecoveryStoreError) -> Void)?
    /// Whether a capability is saved without checking it is still the one read (the same planted bug).
    var blindCapabilityWrites = false

    init(session: StoreSession, play: Int64) {
        self.session = session
        self.play = play
    }

    /// Runs one statement with the play bound first.
    @discardableResult
    func sql(_ text: String, _ values: [SQLiteValue]) throws(RecoveryStoreError) -> [[SQLiteValue]] {
        precondition(isOpen, "a transaction is never used after its decision")
        return try session.rows(text, [.integer(play)] + values, doing: "a decision")
    }

    /// Runs one write with the play bound first; returns the rows it changed.
    @discardableResult
    func change(_ text: String, _ values: [SQLiteValue]) throws(RecoveryStoreError) -> Int {
        precondition(isOpen, "a transaction is never used after its decision")
        return try session.changed(text, [.integer(play)] + values, doing: "a decision")
    }

    /// The record text of the single row `text` selects as (record, sum), its sum checked.
    func record(_ text: String, _ values: [SQLiteValue], what: String) throws(RecoveryStoreError) -> String? {
        guard let row = try sql(text, values).first else { return nil }
        return try checked(row, what: what)
    }

    func checked(_ row: [SQLiteValue], what: String) throws(RecoveryStoreError) -> String {
        guard row.count >= 2, let record = row[0].text, let sum = row[1].text, SHA256.hexDigest(record) == sum else {
            throw .corrupt("\(what) in \(session.location) does not match its checksum")
        }
        return record
    }

    // MARK: Connections and generations

    func connection(_ id: ConnectionID) throws(RecoveryStoreError) -> ConnectionRecord? {
        try record("SELECT record, sum FROM connections WHERE play = ? AND id = ?", [.text(id.rawValue)], what: "connection \(id)")
            .map { (text) throws(RecoveryStoreError) in try RecordCodec.connection(text) }
    }

    private static let saveConnection = Upsert.statement("connections", keys: ["id"], columns: ["record", "sum"])

    func save(_ connection: ConnectionRecord) throws(RecoveryStoreError) {
        let text = RecordCodec.text(connection)
        try change(RecordTransaction.saveConnection, [.text(connection.id.rawValue), .text(text), .text(SHA256.hexDigest(text))])
    }

    /// (current, dead, sum) of a connection, its sum checked; the sum is nil when no row exists yet.
    private func generations(_ connection: ConnectionID) throws(RecoveryStoreError) -> (LeaseGeneration, LeaseGeneration?, String?) {
        guard let row = try sql("SELECT current, dead, sum FROM generations WHERE play = ? AND connection = ?",
                                [.text(connection.rawValue)]).first else { return (.first, nil, nil) }
        let current = row[0].integer ?? 0
        let dead = row[1].integer
        guard let sum = row[2].text, sum == RecordTransaction.generationSum(connection, current, dead),
              let generation = LeaseGeneration(recorded: Int(current)) else {
            throw .corrupt("the generations of \(connection) in \(session.location) do not match their checksum")
        }
        return (generation, dead.flatMap { LeaseGeneration(recorded: Int($0)) }, sum)
    }

    static func generationSum(_ connection: ConnectionID, _ current: Int64, _ dead: Int64?) -> String {
        SHA256.hexDigest("\(connection.rawValue)|\(current)|\(dead.map(String.init) ?? "-")")
    }

    /// Compare-and-set: writes the generations only if they are still the ones read (`expected`,
    /// the row's sum, nil for no row); another decision that moved them first makes this one retry.
    private func setGenerations(_ connection: ConnectionID, current: LeaseGeneration, dead: LeaseGeneration?,
                                expected: String?) throws(RecoveryStoreError) {
        let (c, d) = (Int64(current.value), dead.map { Int64($0.value) })
        let values: [SQLiteValue] = [.integer(c), d.map { .integer($0) } ?? .null, .text(RecordTransaction.generationSum(connection, c, d))]
        let changed: Int
        if let expected {
            changed = try change("UPDATE generations SET current = ?2, dead = ?3, sum = ?4 WHERE play = ?1 AND connection = ?5 AND sum = ?6",
                                 values + [.text(connection.rawValue), .text(expected)])
        } else {
            changed = try change("INSERT INTO generations (play, current, dead, sum, connection) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                 values + [.text(connection.rawValue)])
        }
        guard changed == 1 else { throw .conflict("another decision moved the generation of \(connection) first") }
    }

    func generation(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration { try generations(connection).0 }

    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError) {
        let (current, dead, sum) = try generations(connection)
        guard generation >= current else { throw .conflict("generation of \(connection) would move back from \(current) to \(generation)") }
        try setGenerations(connection, current: generation, dead: dead, expected: sum)
    }

    func deadGeneration(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration? { try generations(connection).1 }

    func setDeadGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) throws(RecoveryStoreError) {
        let (current, _, sum) = try generations(connection)
        try setGenerations(connection, current: current, dead: generation, expected: sum)
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

    private static let saveLease = Upsert.statement("leases", keys: ["id"],
                                                    columns: ["connection", "generation", "holder", "issued_at", "record", "sum"])

    func save(_ lease: LeaseRecord) throws(RecoveryStoreError) {
        let text = RecordCodec.text(lease)
        try change(RecordTransaction.saveLease, [
            .text(lease.lease.id.rawValue), .text(lease.lease.connection.rawValue), .integer(Int64(lease.lease.generation.value)),
            .text(lease.lease.holder.rawValue), .integer(lease.lease.issuedAt.milliseconds), .text(text), .text(SHA256.hexDigest(text)),
        ])
    }

    func deleteLeases(of connection: ConnectionID, olderThan generation: LeaseGeneration) throws(RecoveryStoreError) {
        try change("DELETE FROM leases WHERE play = ? AND connection = ? AND generation < ?",
                   [.text(connection.rawValue), .integer(Int64(generation.value))])
    }

    func deleteLeases(issuedBefore cutoff: Instant) throws(RecoveryStoreError) {
        try change("DELETE FROM leases WHERE play = ? AND issued_at < ?", [.integer(cutoff.milliseconds)])
    }

    func lastLoss(of worker: WorkerID) throws(RecoveryStoreError) -> Instant? {
        guard let row = try sql("SELECT at, sum FROM losses WHERE play = ? AND worker = ?", [.text(worker.rawValue)]).first else { return nil }
        guard let at = row[0].integer, row[1].text == SHA256.hexDigest("\(worker.rawValue)|\(at)") else {
            throw .corrupt("the loss mark of \(worker) in \(session.location) does not match its checksum")
        }
        return Instant(milliseconds: at)
    }

    private static let saveLoss = Upsert.statement("losses", keys: ["worker"], columns: ["at", "sum"])

    func setLastLoss(_ instant: Instant, of worker: WorkerID) throws(RecoveryStoreError) {
        try change(RecordTransaction.saveLoss, [.text(worker.rawValue), .integer(instant.milliseconds),
                                                 .text(SHA256.hexDigest("\(worker.rawValue)|\(instant.milliseconds)"))])
    }

    func deleteLosses(before cutoff: Instant) throws(RecoveryStoreError) {
        try change("DELETE FROM losses WHERE play = ? AND at < ?", [.integer(cutoff.milliseconds)])
    }

    // MARK: The decision's timeline

    func record(_ transition: Transition) throws(RecoveryStoreError) { transitions.append(transition) }
}

import Revive

/// What a play's durable state says, as `explore --kill` compares it across a kill: the cases and
/// their states, the ledger's entries and their states, each connection's generation, and the
/// capabilities consumed.
public struct StoreSnapshot: Hashable, Sendable {
    /// Case id → state.
    public var cases: [String: String] = [:]
    /// Idempotency key → ledger state.
    public var ledger: [String: String] = [:]
    /// Connection → current generation.
    public var generations: [String: Int] = [:]
    /// Ids of the capabilities consumed.
    public var consumed: Set<String> = []
    /// Decisions committed.
    public var decisions = 0

    /// Makes an empty snapshot.
    public init() {}
}

extension SQLiteStoreFile {
    /// The play's durable state now.
    public func snapshot(of play: Int64) throws(RecoveryStoreError) -> StoreSnapshot {
        try run("reading the play's state") { () throws(SQLiteError) -> StoreSnapshot in
            var snapshot = StoreSnapshot()
            let id = SQLiteValue.integer(play)
            for row in try database.query("SELECT id, state FROM cases WHERE play = ?", [id]) {
                if let key = row[0].text, let state = row[1].text { snapshot.cases[key] = state }
            }
            for row in try database.query("SELECT key, state FROM ledger WHERE play = ?", [id]) {
                if let key = row[0].text, let state = row[1].text { snapshot.ledger[key] = state }
            }
            for row in try database.query("SELECT connection, current FROM generations WHERE play = ?", [id]) {
                if let key = row[0].text, let current = row[1].integer { snapshot.generations[key] = Int(current) }
            }
            for row in try database.query("SELECT id, record FROM capabilities WHERE play = ?", [id]) {
                if let key = row[0].text, let record = row[1].text, record.contains("\"consumedAt\"") { snapshot.consumed.insert(key) }
            }
            snapshot.decisions = Int(try database.query("SELECT count(*) FROM decisions WHERE play = ?", [id]).first?.first?.integer ?? 0)
            return snapshot
        }
    }
}

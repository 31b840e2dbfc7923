#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveVocabulary

/// A `RecoveryStore` on a database that many processes share (PostgreSQL, or a SQLite file
/// under `stress`): one transaction per engine decision, and a decision that loses a race to
/// another process is retried from the start.
///
/// The database settles each race: a conditional UPDATE or compare-and-set in the statement
/// (`RecordTransaction`), a serialization failure or deadlock at PostgreSQL's SERIALIZABLE
/// isolation, or SQLite's file lock. The loser's transaction is rolled back whole and the engine's
/// decision runs again on the newer records (reading, for example, that the capability is used
/// or the generation has rotated), so nothing of a lost attempt is kept or recorded. Alone on
/// its store it never retries, which keeps its timelines identical to the in-memory store's.
public final class SharedRecoveryStore: RecoveryStore {
    let database: StoreDatabase
    /// The play this store's rows belong to.
    public let play: Int64
    private var inTransaction = false
    /// How many decisions were retried after a lost race (for `stress`'s report).
    public private(set) var retries = 0
    /// The committed decisions.
    public private(set) var decisions = 0
    /// Called with the number of decisions committed so far, right after each commit (the
    /// point `stress` kills a process at).
    public var afterCommit: ((Int) -> Void)?
    /// Called on each decision's transaction before the engine's body runs: only a planted bug
    /// sets it (`PlantedSplit.swift`, debug builds); nil in release builds.
    var consumptionHook: ((RecordTransaction) -> Void)?
    /// How often a decision is tried before its conflict is reported (the backoff adds up to some
    /// 7 s: a decision that loses that many races in a row is stuck, not unlucky).
    static let attempts = 200

    init(database: StoreDatabase, play: Int64) {
        self.database = database
        self.play = play
    }

    public func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        precondition(!inTransaction, "transactions do not nest: one decision, one transaction")
        inTransaction = true
        defer { inTransaction = false }
        var attempt = 1
        while true {
            do {
                let result = try once(body)
                decisions += 1
                afterCommit?(decisions)
                return result
            } catch where error.code == .conflict && attempt < SharedRecoveryStore.attempts {
                retries += 1
                // Back off a little longer each time, and by a different amount in each process
                // (drawn from its pid), so losers of one race do not meet again in lockstep.
                let base = UInt32(min(attempt, 20) * 1_000)
                usleep(base + (UInt32(truncatingIfNeeded: getpid()) &* 2_654_435_761 &+ UInt32(attempt) &* 40_503) % base)
                attempt += 1
            }
        }
    }

    private func once<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        try database.begin()
        let transaction = RecordTransaction(session: database, play: play)
        consumptionHook?(transaction)
        defer { transaction.isOpen = false }
        do {
            let result = try body(transaction)
            try database.appendDecision(play: play, body: "[" + transaction.transitions.map(RecordCodec.text).joined(separator: ",") + "]")
            try database.commit()
            return result
        } catch {
            database.rollback()
            throw error
        }
    }
}

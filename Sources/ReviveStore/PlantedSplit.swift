#if REVIVE_PLANTED_BUGS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive

/// The store's planted bug (debug builds only; a release build cannot contain it): capability
/// consumption as a read in one transaction and a write in another, the write trusting the read.
///
/// Between the two, a barrier makes two processes that check the same capability interleave:
/// both read it unconsumed, then the first writes and commits, then the second writes over it
/// and rotates the generation again. `revive-lab stress --plant split-consumption` must catch it.
public enum StorePlantedBug: String, CaseIterable, Sendable {
    /// Check a capability in one transaction and consume it in the next.
    case splitConsumption = "split-consumption"
    /// Refresh without the connection's lock: no single flight across processes.
    case unlockedRefresh = "unlocked-refresh"
}

extension SharedRecoveryStore {
    /// Switches the planted bug on for this store; `process` orders the two processes at the barrier.
    public func plantSplitConsumption(process: Int) {
        let (database, play) = (self.database, self.play)
        consumptionHook = { transaction in
            transaction.blindCapabilityWrites = true
            transaction.afterCapabilityCheck = { (capability) throws(RecoveryStoreError) in
                try database.commit()
                try SplitBarrier.meet(database, play: play, capability: capability, process: process)
                try database.begin()
            }
        }
    }
}

/// Where two processes that checked the same capability meet before either consumes it.
enum SplitBarrier {
    /// Waits (at most about a second) for a second process to arrive; then the later arrival
    /// waits until the first has committed its consumption, so the write lands on a used capability.
    static func meet(_ database: StoreDatabase, play: Int64, capability: CapabilityRecord, process: Int) throws(RecoveryStoreError) {
        let doing = "the planted bug's barrier"
        // Several processes may create it at once; the losers' failure is harmless (autocommit).
        _ = try? database.changed("CREATE TABLE IF NOT EXISTS split_barrier (play BIGINT NOT NULL, capability TEXT NOT NULL, "
            + "process BIGINT NOT NULL, PRIMARY KEY (play, capability, process))", [], doing: doing)
        _ = try database.changed("INSERT INTO split_barrier (play, capability, process) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                 [.integer(play), .text(capability.id.rawValue), .integer(Int64(process))], doing: doing)
        var arrivals: [Int64] = []
        for _ in 0..<300 {
            arrivals = try database.rows("SELECT process FROM split_barrier WHERE play = ? AND capability = ? ORDER BY process",
                                         [.integer(play), .text(capability.id.rawValue)], doing: doing).compactMap { $0.first?.integer }
            if arrivals.count >= 2 { break }
            usleep(3_000)
        }
        guard arrivals.count >= 2, arrivals.first != Int64(process) else { return }
        for _ in 0..<300 {
            let row = try database.rows("SELECT record FROM capabilities WHERE play = ? AND id = ?",
                                        [.integer(play), .text(capability.id.rawValue)], doing: doing).first
            if let text = row?.first?.text, (try? RecordCodec.capability(text))?.consumedAt != nil { return }
            usleep(3_000)
        }
    }
}
#endif

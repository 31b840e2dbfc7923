import Revive
import ReviveVocabulary

/// Where `explore --kill` kills the lab's process: right before, or right after, the commit of
/// engine decision `decision` (numbered from the play's first decision, the connections'
/// registrations included, as the store's decision log numbers them).
public struct KillPoint: Hashable, Sendable {
    /// The decision's number in the play.
    public var decision: Int
    /// Killed after its COMMIT (the decision stands, unreported) or before (it never happened).
    public var afterCommit: Bool

    /// Makes a kill point.
    public init(decision: Int, afterCommit: Bool) {
        self.decision = decision
        self.afterCommit = afterCommit
    }

    /// `before commit 7`, `after commit 7`.
    public var label: String { "\(afterCommit ? "after" : "before") commit \(decision)" }
}

/// What the restarted process takes over from the killed one.
public struct Restart {
    /// The durable store the killed process committed to, reopened.
    public var store: RecoveryStore
    /// The transitions of the decision committed at the kill but never reported (killed after
    /// its commit): they are history, read back from the store's decision log.
    public var committedAtKill: [Transition]

    /// Makes a restart.
    public init(store: RecoveryStore, committedAtKill: [Transition]) {
        self.store = store
        self.committedAtKill = committedAtKill
    }
}

/// Plays the killed process's part again, deterministically, in memory: every decision before
/// the kill point runs as it did; at the kill point the process dies (before the commit, or
/// after it) and no engine call answers any more until the world restarts on the durable store.
final class KillSwitchStore: RecoveryStore {
    /// The killed process's committed state, as the durable store holds it at the kill.
    let inner = InMemoryRecoveryStore()
    let point: KillPoint
    private(set) var decisions = 0
    private(set) var killed = false

    init(point: KillPoint) { self.point = point }

    static let death = RecoveryStoreError.unavailable("the lab's process was killed")

    func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        guard !killed else { throw KillSwitchStore.death }
        decisions += 1
        guard decisions < point.decision else {
            // Before its commit the decision never happened; after it, it stands in the durable
            // store (read back on restart), but the caller never hears of it: either way, no answer.
            // After it, the copy here commits it too (drawing its ids), so that it stays the durable
            // store's twin and the ids a restarted process draws follow the decision's own.
            if point.afterCommit { _ = try? inner.transaction(body) }
            killed = true
            throw KillSwitchStore.death
        }
        return try inner.transaction(body)
    }
}

import Revive
import ReviveVocabulary

/// The lab's `store-unavailable` fault: Revive's shared store, behind a switch that answers every
/// transaction with `.unavailable` until the outage ends, as a database behind a broken network
/// does. Nothing reaches the store meanwhile, so no decision is numbered or committed there.
final class StoreOutage: RecoveryStore {
    /// The shared store (replaced when the lab's process restarts over the durable one).
    var inner: RecoveryStore
    /// When the store answers again; nil while it is reachable.
    var downUntil: Instant?
    /// The lab's virtual clock (`.zero` until the wiring that owns this switch is built). Set
    /// once, then only read (one play, one thread, see `Timeline`): no dynamic exclusivity check.
    @exclusivity(unchecked) var clock: () -> Instant = { .zero }

    init(inner: RecoveryStore) {
        self.inner = inner
    }

    /// Whether the store is unreachable now.
    var isDown: Bool { downUntil.map { clock() < $0 } ?? false }

    func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        if isDown { throw RecoveryStoreError.unavailable("the lab's store-unavailable fault: the shared store does not answer") }
        return try inner.transaction(body)
    }
}

/// The local replica of a killed process (`explore --kill`): it dies with the process, like the
/// shared store's connection, so a dead engine decides nothing locally either.
final class KilledWithProcess: RecoveryStore {
    let inner: InMemoryRecoveryStore
    private let alive: () -> Bool

    init(_ inner: InMemoryRecoveryStore, alive: @escaping () -> Bool) {
        self.inner = inner
        self.alive = alive
    }

    func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        guard alive() else { throw KillSwitchStore.death }
        return try inner.transaction(body)
    }
}

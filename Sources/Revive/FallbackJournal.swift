/// Where a `LocalFallback` keeps the decisions it took on its replica until they are drained into
/// the shared store. An integration plugs in its own (a file beside the store, a local database);
/// the engine needs only these three calls.
///
/// `append` must keep the entry before it returns: the engine answers its caller right after,
/// and a decision the caller acted on must not be lost with the process. `drained(through:)` is
/// called once the drain's transaction committed in the shared store; an implementation that
/// cannot record it still drops the entries from `entries` (the shared store has them) and
/// throws, and a process that takes over finds the drain in the store's decision log
/// (`LocalFallback.forgetDrained(recordedIn:)`).
public protocol FallbackJournal: AnyObject {
    /// The entries not drained yet, oldest first.
    var entries: [JournalEntry] { get }
    /// The highest entry number ever appended (0: none), so that numbers go on after a drain
    /// and after a restart: `journal=N` names one decision over the fallback's life.
    var lastNumber: Int { get }
    /// Keeps one decision taken on the replica, durably for a journal that outlives the process.
    func append(_ entry: JournalEntry) throws(RecoveryStoreError)
    /// Forgets the entries numbered up to `number`: they reached the shared store.
    func drained(through number: Int) throws(RecoveryStoreError)
}

/// The default journal: an array, gone with the process. Enough for a fallback whose replica is in
/// memory too (a process that dies loses both, and the shared store is the truth again).
public final class InMemoryFallbackJournal: FallbackJournal {
    public private(set) var entries: [JournalEntry]
    public private(set) var lastNumber: Int

    /// A journal holding `entries` (undrained, oldest first), numbered on after `lastNumber`
    /// (by default, after the last entry).
    public init(_ entries: [JournalEntry] = [], lastNumber: Int = 0) {
        self.entries = entries
        self.lastNumber = max(lastNumber, entries.last?.number ?? 0)
    }

    public func append(_ entry: JournalEntry) {
        entries.append(entry)
        lastNumber = max(lastNumber, entry.number)
    }

    public func drained(through number: Int) {
        entries.removeAll { $0.number <= number }
    }
}

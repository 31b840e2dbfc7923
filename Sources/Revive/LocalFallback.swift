import ReviveVocabulary

/// One decision the engine took while its shared store was unreachable: its number in the
/// journal and its writes (records and transitions) in order.
public struct JournalEntry: Hashable, Sendable {
    /// The entry's number, counted from 1 over the fallback's life (`journal=N` on its transitions).
    public let number: Int
    /// What the decision wrote, in order; drained into the shared store as they are.
    public let writes: [StoreWrite]
}

/// Where an engine keeps deciding while its shared store is unreachable: a **replica** of the
/// shared store's records, kept by the engine itself (every committed decision is copied to it),
/// and a **journal** of the decisions it took on the replica alone.
///
/// A decision whose shared transaction fails with `RecoveryStoreError.Code.unavailable` is taken
/// on the replica and journaled (its transitions carry `journal=N`; the first is
/// `store.unavailable`). Before its next decision against the shared store the engine drains the
/// journal into it, in order, in one transaction that also records `store.drained`. Decisions
/// that are safe only against the shared store (rotating a generation, consuming a capability,
/// opening a second case for a run) are not taken on the replica: the engine records
/// `store.waiting` and throws `.unavailable`, and the caller calls again.
///
/// The replica is only as good as the decisions it saw: give an engine a fallback from its
/// first decision on an empty store, or rebuild the replica from the shared store and the
/// journal (`init(replica:journal:)`) when a process starts over a store another one used.
/// This class is in memory: a journal that must survive the process belongs in a file beside the
/// store, written before the engine answers. Single-threaded, like the engine.
public final class LocalFallback {
    /// The engine's copy of the shared store's records, plus what the journal holds.
    public let replica: RecoveryStore
    /// The journaled decisions not drained yet, oldest first.
    public private(set) var pending: [JournalEntry]
    /// The next entry's number.
    public private(set) var nextNumber: Int
    /// A copy to the replica failed: it missed a decision, so nothing more is decided on it.
    public internal(set) var replicaIsStale = false

    /// A fallback over `replica` (empty by default) holding `journal`'s undrained entries; entries
    /// are numbered on from `nextNumber` (by default, after the journal's last).
    public init(replica: RecoveryStore = InMemoryRecoveryStore(), journal: [JournalEntry] = [], nextNumber: Int? = nil) {
        self.replica = replica
        self.pending = journal
        self.nextNumber = max(nextNumber ?? 1, (journal.last?.number ?? 0) + 1)
    }

    /// Whether the engine is on its replica: some decisions wait in the journal.
    public var isJournaling: Bool { !pending.isEmpty }

    /// Keeps a decision taken on the replica.
    func append(_ writes: [StoreWrite]) {
        pending.append(JournalEntry(number: nextNumber, writes: writes))
        nextNumber += 1
    }

    /// A number for a decision that records nothing (a read on the replica): none is used up.
    var upcomingNumber: Int { nextNumber }

    /// Forgets the entries up to `number`: they reached the shared store (a drain committed, or a
    /// restarted process found the drain in the store's decision log).
    public func forgetDrained(through number: Int) {
        pending.removeAll { $0.number <= number }
    }

    /// The entries the newest `store.drained` among `transitions` says reached the shared store,
    /// forgotten: how a process that took over a store finds a drain its predecessor committed
    /// but never heard of (read the store's newest decision back and pass its transitions).
    public func forgetDrained(recordedIn transitions: [Transition]) {
        for transition in transitions.reversed() where transition.name == .storeDrained {
            guard let range = transition.notes.first(where: { $0.name == "journal" })?.value,
                  let last = range.split(separator: "-").last.flatMap({ Int($0) }) else { continue }
            forgetDrained(through: last)
            return
        }
    }
}

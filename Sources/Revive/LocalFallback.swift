import ReviveVocabulary

/// One decision the engine took while its shared store was unreachable: its number in the
/// journal and its writes (records and transitions) in order.
public struct JournalEntry: Hashable, Sendable {
    /// The entry's number, counted from 1 over the fallback's life (`journal=N` on its transitions).
    public let number: Int
    /// What the decision wrote, in order; drained into the shared store as they are.
    public let writes: [StoreWrite]

    /// An entry as a journal keeps it (a `FallbackJournal` reading its file back builds these).
    public init(number: Int, writes: [StoreWrite]) {
        self.number = number
        self.writes = writes
    }
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
/// journal when a process starts over a store another one used (`resume(replica:journal:newestDecision:)`).
/// The journal is a `FallbackJournal`: in memory by default; one that must survive the process
/// is a file beside the store, written before the engine answers (ReviveStore's
/// `SQLiteFallbackJournal`). Single-threaded, like the engine.
public final class LocalFallback {
    /// The engine's copy of the shared store's records, plus what the journal holds.
    public let replica: RecoveryStore
    /// Where the journaled decisions are kept until they are drained.
    public let journal: FallbackJournal
    /// The next entry's number.
    public private(set) var nextNumber: Int
    /// A copy to the replica failed: it missed a decision, so nothing more is decided on it.
    public internal(set) var replicaIsStale = false

    /// A fallback over `replica` (empty by default) holding `journal`'s undrained entries in
    /// memory; entries are numbered on from `nextNumber` (by default, after the journal's last).
    public convenience init(replica: RecoveryStore = InMemoryRecoveryStore(), journal: [JournalEntry] = [], nextNumber: Int? = nil) {
        self.init(replica: replica, journal: InMemoryFallbackJournal(journal), nextNumber: nextNumber)
    }

    /// A fallback over `replica` keeping its journal in `journal` (which may already hold
    /// undrained entries, read back from its file); entries are numbered on from `nextNumber`
    /// (by default, after the highest number the journal ever kept).
    public init(replica: RecoveryStore, journal: FallbackJournal, nextNumber: Int? = nil) {
        self.replica = replica
        self.journal = journal
        self.nextNumber = max(nextNumber ?? 1, journal.lastNumber + 1)
    }

    /// The fallback of a process that starts over a shared store another process used: `replica`
    /// holds the shared store's records (read out of it), `newestDecision` the transitions of the
    /// store's newest decision. A drain found there is forgotten from the journal; what is still
    /// journaled is not in the shared store, so its records go on top of the replica.
    public static func resume(replica: RecoveryStore, journal: FallbackJournal,
                              newestDecision: [Transition], nextNumber: Int? = nil) throws(RecoveryStoreError) -> LocalFallback {
        let fallback = LocalFallback(replica: replica, journal: journal, nextNumber: nextNumber)
        try fallback.forgetDrained(recordedIn: newestDecision)
        let pending = fallback.pending
        try replica.transaction { (tx) throws(RecoveryStoreError) in
            for entry in pending {
                for write in entry.writes where write.changesRecords { try write.apply(to: tx) }
            }
        }
        return fallback
    }

    /// The journaled decisions not drained yet, oldest first.
    public var pending: [JournalEntry] { journal.entries }

    /// Whether the engine is on its replica: some decisions wait in the journal.
    public var isJournaling: Bool { !journal.entries.isEmpty }

    /// Keeps a decision taken on the replica, in the journal, before the engine answers.
    func append(_ writes: [StoreWrite]) throws(RecoveryStoreError) {
        try journal.append(JournalEntry(number: nextNumber, writes: writes))
        nextNumber += 1
    }

    /// A number for a decision that records nothing (a read on the replica): none is used up.
    var upcomingNumber: Int { nextNumber }

    /// Forgets the entries up to `number`: they reached the shared store (a drain committed, or a
    /// restarted process found the drain in the store's decision log). Throws when the journal
    /// could not record it; the entries are forgotten all the same (see `FallbackJournal`).
    public func forgetDrained(through number: Int) throws(RecoveryStoreError) {
        try journal.drained(through: number)
    }

    /// The entries the newest `store.drained` among `transitions` says reached the shared store,
    /// forgotten: how a process that took over a store finds a drain its predecessor committed
    /// but never heard of (read the store's newest decision back and pass its transitions).
    public func forgetDrained(recordedIn transitions: [Transition]) throws(RecoveryStoreError) {
        for transition in transitions.reversed() where transition.name == .storeDrained {
            guard let range = transition.notes.first(where: { $0.name == "journal" })?.value,
                  let last = range.split(separator: "-").last.flatMap({ Int($0) }) else { continue }
            try forgetDrained(through: last)
            return
        }
    }
}

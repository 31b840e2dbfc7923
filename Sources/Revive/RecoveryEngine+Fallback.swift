import ReviveVocabulary

/// Deciding while the shared store is unreachable (see `LocalFallback`): every decision drains
/// the journal first, then runs on the shared store and is copied to the replica; when the shared
/// store answers `.unavailable`, the decision runs on the replica and is journaled instead.
extension RecoveryEngine {
    /// Runs one decision: on the shared store, or, with a fallback, on the local replica while the
    /// store is unreachable. `time` is the decision's instant (nil for a read, which, while the
    /// journal holds decisions, answers from the replica: the newest view the engine has).
    func decide<T>(at time: Instant? = nil, _ body: (EngineTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        guard let fallback else { return try decideShared(body) }
        if fallback.isJournaling {
            guard let time else { return try decideLocally(fallback, at: nil, body) }
            do throws(RecoveryStoreError) { try drain(fallback, at: time) } catch {
                guard error.code == .unavailable else { throw error }
                return try decideLocally(fallback, at: time, body)
            }
        }
        do throws(RecoveryStoreError) { return try decideShared(copyingTo: fallback, body) } catch {
            guard error.code == .unavailable else { throw error }
            return try decideLocally(fallback, at: time, body)
        }
    }

    /// Drains the journal into the shared store now (the integration calls it when its health
    /// check sees the store back; every decision drains first anyway). Returns how many decisions
    /// it drained: 0 with no fallback or an empty journal; throws `.unavailable` while the store is away.
    @discardableResult
    public func drainJournal(at time: Instant) throws(RecoveryStoreError) -> Int {
        guard let fallback, fallback.isJournaling else { return 0 }
        let count = fallback.pending.count
        try drain(fallback, at: time)
        return count
    }

    /// A decision on the shared store whose records are then copied to the replica.
    private func decideShared<T>(copyingTo fallback: LocalFallback,
                                 _ body: (EngineTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        var committed: [Transition] = []
        var writes: [StoreWrite] = []
        let result = try store.transaction { (transaction) throws(RecoveryStoreError) -> T in
            let recording = RecordingTransaction(transaction)
            let decision = EngineTransaction(recording)
            let result = try body(decision)
            (committed, writes) = (decision.takeTransitions(), recording.writes.filter(\.changesRecords))
            return result
        }
        handOver(&committed)
        // The decision stands whatever the copy does; a replica that missed it cannot be decided on.
        if !writes.isEmpty {
            do throws(RecoveryStoreError) {
                try fallback.replica.transaction { (replica) throws(RecoveryStoreError) in
                    for write in writes { try write.apply(to: replica) }
                }
            } catch { fallback.replicaIsStale = true }
        }
        return result
    }

    /// A decision on the replica, journaled; one that needs the shared store records `store.waiting` and throws.
    private func decideLocally<T>(_ fallback: LocalFallback, at time: Instant?,
                                  _ body: (EngineTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        guard !fallback.replicaIsStale else {
            throw RecoveryStoreError.unavailable("the store is unreachable and the local replica missed a decision")
        }
        var committed: [Transition] = []
        var writes: [StoreWrite] = []
        var waiting: (reason: String, fill: (inout Transition) -> Void)?
        let number = fallback.upcomingNumber
        do throws(RecoveryStoreError) {
            let result = try fallback.replica.transaction { (transaction) throws(RecoveryStoreError) -> T in
                let recording = RecordingTransaction(transaction)
                let decision = EngineTransaction(recording, journalEntry: number)
                do throws(RecoveryStoreError) {
                    if !fallback.isJournaling, let time { try announceFallback(in: decision, at: time) }
                    let result = try body(decision)
                    (committed, writes) = (decision.takeTransitions(), recording.writes)
                    return result
                } catch {
                    waiting = decision.waitReason
                    throw error
                }
            }
            if !writes.isEmpty {
                // Journaled before the engine answers; a journal that cannot keep it leaves the
                // replica one decision ahead of it, so nothing more is decided on the replica.
                do throws(RecoveryStoreError) { try fallback.append(writes) } catch {
                    fallback.replicaIsStale = true
                    throw error
                }
            }
            handOver(&committed)
            return result
        } catch {
            guard let waiting, let time else { throw error }
            // The wait is a decision of its own, on the journal: the timeline shows who waits for what.
            try decideLocally(fallback, at: time) { (decision) throws(RecoveryStoreError) in
                try decision.emit(.storeWaiting, at: time, run: nil) { t in
                    t.reason = waiting.reason
                    waiting.fill(&t)
                }
            }
            throw error
        }
    }

    /// `store.unavailable`, the first line of a journal.
    private func announceFallback(in decision: EngineTransaction, at time: Instant) throws(RecoveryStoreError) {
        try decision.emit(.storeUnavailable, at: time, run: nil) { t in
            t.reason = RecoveryStoreError.Code.unavailable.rawValue
        }
    }

    /// Writes every journaled decision into the shared store, in order, in one transaction with
    /// its `store.drained`; then forgets them. All or nothing: a drain cut short leaves them all.
    private func drain(_ fallback: LocalFallback, at time: Instant) throws(RecoveryStoreError) {
        let entries = fallback.pending
        guard let first = entries.first, let last = entries.last else { return }
        let lines = entries.reduce(0) { $0 + $1.writes.filter { !$0.changesRecords }.count }
        var drained = Transition(time: time, actor: .revive, name: .storeDrained)
        drained.notes = [.init("journal", first.number == last.number ? "\(first.number)" : "\(first.number)-\(last.number)"),
                         .init("decisions", String(entries.count)), .init("transitions", String(lines))]
        try store.transaction { (transaction) throws(RecoveryStoreError) in
            for entry in entries {
                for write in entry.writes { try write.apply(to: transaction) }
            }
            try transaction.record(drained)
        }
        recorder.record(drained)
        // The drain stands; a journal that cannot say so has forgotten the entries all the same,
        // and its error stops this decision (the caller learns its journal is broken).
        try fallback.forgetDrained(through: last.number)
    }
}

import Revive
import ReviveVocabulary

/// `store-unavailable` in the lab: the shared store's switch goes off for a while; callers the
/// engine told to wait call again when it is back.
extension Player {
    /// Takes the shared store away until `lasting` from now.
    func startStoreOutage(lasting: Span) {
        guard let outage = world.storeOutage else { return }
        let until = now.advanced(by: lasting)
        outage.downUntil = max(outage.downUntil ?? until, until)
        world.queue.schedule(.storeBack, at: until)
    }

    /// The shared store answers again: the integration's health check has the engine drain its
    /// journal, then every caller that waited calls again, in the order they waited.
    func storeBack() {
        guard let outage = world.storeOutage, !outage.isDown else { return }
        outage.downUntil = nil
        _ = world.engine { () throws(RecoveryStoreError) in try recovery.drainJournal(at: now) }
        var waiting = world.whenStoreBack
        world.whenStoreBack = []
        while !world.processKilled, !waiting.isEmpty {
            let next = waiting.removeFirst()
            next.call()
            // A kill cut it short: it got no answer, so it is still waiting, with those after it.
            if world.processKilled { waiting.insert(next, at: 0) }
        }
        world.whenStoreBack = waiting + world.whenStoreBack
    }

    /// The fallback of the process that takes over after a kill: its journal survives (a file
    /// beside the store, written before the engine answered: the lab keeps the replayed one), and
    /// its replica is rebuilt from the durable store with the journal on top. A drain the killed
    /// process committed but never heard of is found in the store's decision log and forgotten.
    func fallbackAfterRestart(_ old: LocalFallback, durable: InMemoryRecoveryStore, committedAtKill: [Transition]) -> LocalFallback {
        let journal = InMemoryFallbackJournal(old.pending, lastNumber: old.nextNumber - 1)
        do throws(RecoveryStoreError) {
            return try LocalFallback.resume(replica: durable.copy(), journal: journal, newestDecision: committedAtKill,
                                            nextNumber: old.nextNumber)
        } catch {
            // In memory neither the replica nor the journal throws; if one did, the play stops on it.
            world.fail(error)
            return LocalFallback(replica: durable.copy(), journal: journal, nextNumber: old.nextNumber)
        }
    }

    /// An event whose engine call had to wait, and whose handler did not say how to go on: it is
    /// handled again when the store is back (a timer fires again, a caller calls again).
    func callAgainWhenStoreIsBack(_ event: SimEvent) {
        var byWorker = false
        if case .phase = event { byWorker = true }
        world.callAgainWhenStoreIsBack(byWorker: byWorker) { [unowned self] in self.world.queue.schedule(event, at: self.now) }
    }
}

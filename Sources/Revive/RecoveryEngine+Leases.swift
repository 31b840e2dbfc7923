import ReviveVocabulary

/// Leases and fencing: who may call a provider with a connection's credential, and when not.
extension RecoveryEngine {
    /// Issues a lease on the connection's current generation to a worker; `known` is that
    /// generation when the caller has read it in this decision already.
    func issueLease(connection: ConnectionID, generation known: LeaseGeneration? = nil, context: ActionContext, at time: Instant,
                    in tx: EngineTransaction) throws(RecoveryStoreError) -> Lease {
        let id = LeaseID(ids.nextID(prefix: "lease_"))
        let generation: LeaseGeneration
        if let known { generation = known } else { generation = try tx.store.generation(of: connection) }
        let lease = Lease(id: id, connection: connection, generation: generation,
                          holder: context.worker, run: context.run, issuedAt: time)
        try tx.store.save(LeaseRecord(lease: lease, revoked: false))
        try tx.emit(.leaseIssued, at: time, context: context) { t in
            t.connection = connection.rawValue
            t.generation = lease.generation.value
            t.lease = lease.id.rawValue
        }
        return lease
    }

    /// Decides whether a call with `lease` may reach the provider; a refusal is recorded as `lease.fenced`.
    ///
    /// When allowed and `key` is given, the action's ledger entry moves to `executing`.
    func authorizeCall(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant,
                       in tx: EngineTransaction) throws(RecoveryStoreError) -> CallAuthorization {
        let transaction = tx.store
        let current = try transaction.generation(of: lease.connection)
        var reason: FenceReason?
        // The most fundamental reason first: a rotation outranks a dead grant, which outranks a lost holder.
        if lease.generation < current {
            reason = .staleGeneration
        } else if let dead = try transaction.deadGeneration(of: lease.connection), lease.generation <= dead {
            reason = .deadGrant
        } else if try holderLost(lease, in: tx) {
            reason = .holderLost
        }
        if reason != nil && planted(.noFencing) { reason = nil }
        if let reason {
            try tx.emit(.leaseFenced, at: time, context: context) { t in
                t.connection = lease.connection.rawValue
                t.generation = lease.generation.value
                t.lease = lease.id.rawValue
                t.key = key?.rawValue
                t.reason = reason.rawValue
                t.notes.append(.init("current", current.description))
            }
            return .fenced(reason: reason)
        }
        if let key, var entry = try transaction.ledgerEntry(key), !(entry.state.isCommitted && planted(.noFencing)) {
            // Only a planted bug lets a zombie through to an action that is already committed.
            precondition(!entry.state.isCommitted, "a committed action is never executed again")
            let settleAfter = try transaction.connection(lease.connection)?.idempotency.settleAfter ?? .zero
            entry.send(by: context.worker, at: time, settlesAt: time.advanced(by: context.callTimeout).advanced(by: settleAfter))
            try transaction.save(entry)
        }
        return .allowed
    }

    /// Whether the lease's holder was declared lost after the lease was issued.
    func holderLost(_ lease: Lease, in tx: EngineTransaction) throws(RecoveryStoreError) -> Bool {
        if let record = try tx.store.lease(lease.id) { return record.revoked }
        // The lease was pruned (an older generation, or older than the retention window): its
        // holder's last loss still revokes it. Issued in the very instant of the loss counts as
        // before it, so a doubt fences rather than lets a lost worker through.
        guard let lost = try tx.store.lastLoss(of: lease.holder) else { return false }
        return lease.issuedAt <= lost
    }

    /// Revokes every lease a lost worker holds: if it comes back, its calls are fenced.
    ///
    /// Returns the recovery cases lost with the worker: none, since every case lives in the store
    /// and any live worker can complete it (the baseline integration, which keeps cases in a
    /// worker's memory, returns the ones it lost).
    @discardableResult
    public func workerLost(_ worker: WorkerID, at time: Instant) throws(RecoveryStoreError) -> [CaseID] {
        try decide(at: time) { (tx) throws(RecoveryStoreError) in
            let transaction = tx.store
            for var record in try transaction.leases(heldBy: worker) where !record.revoked {
                record.revoked = true
                try transaction.save(record)
            }
            // The mark outlives the leases pruned at a rotation, whose late answers must stay fenced too.
            try transaction.setLastLoss(time, of: worker)
            return []
        }
    }
}

import ReviveVocabulary

/// The action ledger: a mutating action's intent, execution, outcome and reconciliation.
extension RecoveryEngine {
    /// Records the intent to run a mutating action, or says it must be reconciled or skipped first.
    func prepareAction(connection: ConnectionID, context: ActionContext, key known: IdempotencyKey? = nil, at time: Instant,
                       in tx: EngineTransaction) throws(RecoveryStoreError) -> ActionPreparation {
        let transaction = tx.store
        // `known`: the context's key, when the caller has already derived it (each derivation builds a string).
        let key = known ?? IdempotencyKey(run: context.run, action: context.action)
        guard var entry = try transaction.ledgerEntry(key) else {
            try transaction.save(LedgerEntry(key: key, run: context.run, action: context.action, connection: connection,
                                          state: .intended, executingWorker: nil, changedAt: time))
            try tx.emit(.actionIntended, at: time, context: context) { t in
                t.connection = connection.rawValue
                t.key = key.rawValue
            }
            return .execute(key)
        }
        switch entry.state {
        case .intended, .reconciledAbsent, .failed:
            return .execute(key)
        case .committed, .reconciledCommitted:
            return .alreadyCommitted(key)
        case .unknown, .executing:
            if planted(.skipReconciliation) { return .execute(key) }
            if entry.state == .executing {
                // A call went out and no outcome was ever recorded (its worker was lost): unknown.
                let previous = entry.executingWorker
                entry.move(to: .unknown, at: time)
                try transaction.save(entry)
                try tx.emit(.actionUnknown, at: time, context: context) { t in
                    t.connection = connection.rawValue
                    t.key = key.rawValue
                    t.reason = "no-outcome-recorded"
                    if let previous { t.notes.append(.init("sent-by", previous.rawValue)) }
                }
            }
            return try settle(entry, context: context, at: time, in: tx)
        }
    }

    /// What an action whose outcome is unknown may do now, by what its provider promises: a
    /// `lookup` provider's answer is trusted only once every call sent may no longer land
    /// (before that the action waits); a `dedupe` provider takes the same key again while it
    /// keeps it; a `none` provider (or a `dedupe` one past its key retention) leaves it to an operator.
    private func settle(_ entry: LedgerEntry, context: ActionContext, at time: Instant,
                        in tx: EngineTransaction) throws(RecoveryStoreError) -> ActionPreparation {
        let promise = try tx.store.connection(entry.connection)?.idempotency ?? IdempotencyPromise()
        switch promise.mode {
        case .none:
            return .askOperator(rule: "no-lookup")
        case .dedupe:
            // Past its retention the provider forgot the key: a resend could apply twice.
            if let first = entry.firstSentAt, time >= first.advanced(by: promise.keyRetention) {
                return .askOperator(rule: "key-retention-passed")
            }
            return .execute(entry.key)
        case .lookup:
            if let settlesAt = entry.settlesAt, time < settlesAt, !planted(.reconcileInFlight) {
                try tx.emit(.actionWaiting, at: time, context: context) { t in
                    t.connection = entry.connection.rawValue
                    t.key = entry.key.rawValue
                    t.reason = "earlier-call-may-land"
                    t.notes.append(.init("until", DurationText.clock(settlesAt)))
                }
                return .wait(until: settlesAt)
            }
            return .reconcile(entry.key)
        }
    }

    /// Records what a lookup by idempotency key found at the provider.
    func recordReconciliation(_ answer: ReconcileAnswer, key: IdempotencyKey, context: ActionContext, at time: Instant,
                              in tx: EngineTransaction) throws(RecoveryStoreError) {
        guard var entry = try tx.store.ledgerEntry(key) else { preconditionFailure("reconciling an action that was never intended") }
        precondition(entry.state == .unknown, "only an unknown action is reconciled")
        entry.move(to: answer == .committed ? .reconciledCommitted : .reconciledAbsent, at: time)
        try tx.store.save(entry)
        try tx.emit(.actionReconciled, at: time, context: context) { t in
            t.connection = entry.connection.rawValue
            t.key = key.rawValue
            t.result = answer.rawValue
        }
    }

    /// Records a successful answer; a mutating action's entry becomes `committed`.
    func recordSuccess(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant,
                       in tx: EngineTransaction) throws(RecoveryStoreError) {
        guard let key, var entry = try tx.store.ledgerEntry(key) else { return }
        guard !entry.state.isCommitted else { return }
        entry.move(to: .committed, at: time)
        try tx.store.save(entry)
        try tx.emit(.actionCommitted, at: time, context: context) { t in
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.key = key.rawValue
        }
    }

    /// Records that a call got no answer before its timeout (a mutation's outcome becomes
    /// `unknown`), then classifies the timeout like any failure.
    func recordNoAnswer(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant,
                        in tx: EngineTransaction) throws(RecoveryStoreError) -> FailureStep {
        if let key, var entry = try tx.store.ledgerEntry(key), entry.state == .executing {
            entry.move(to: .unknown, at: time)
            try tx.store.save(entry)
            try tx.emit(.actionUnknown, at: time, context: context) { t in
                t.connection = lease.connection.rawValue
                t.key = key.rawValue
                t.reason = "no-answer"
            }
        }
        return try classifyFailure(nil, operation: .timeout, lease: lease, key: key, context: context, at: time, in: tx)
    }

    /// Marks a mutating action as given up (its run failed).
    func recordGivenUp(key: IdempotencyKey, context: ActionContext, at time: Instant,
                       in tx: EngineTransaction) throws(RecoveryStoreError) {
        // An action whose outcome is unknown may have happened: the ledger never calls it failed.
        guard var entry = try tx.store.ledgerEntry(key), !entry.state.isCommitted, entry.state != .unknown else { return }
        entry.move(to: .failed, at: time)
        try tx.store.save(entry)
        try tx.emit(.actionFailed, at: time, context: context) { t in
            t.connection = entry.connection.rawValue
            t.key = key.rawValue
        }
    }
}

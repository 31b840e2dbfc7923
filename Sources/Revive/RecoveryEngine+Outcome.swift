import ReviveVocabulary

/// Mutations whose outcome only an operator can settle.
///
/// The engine opens an `outcome_unknown` case when it cannot learn on its own whether an
/// ambiguous mutation happened: the provider offers no lookup (`none`), every lookup failed until
/// the runtime's retry policy gave up, or a `dedupe` provider's key outlived its retention. The run
/// parks and an operator is asked; nothing is resent before the answer.
extension RecoveryEngine {
    /// Parks the ticket's run on an `outcome_unknown` case (recorded as `failure.classified`,
    /// `case.opened`, `run.parked` and `operator.alerted`, in this decision).
    func askOperatorWhetherItHappened(_ ticket: ActionTicket, rule: String, at time: Instant,
                                      in tx: EngineTransaction) throws(RecoveryStoreError) -> (RecoveryCase, ReconnectRequest) {
        let classification = Classification(failureClass: .outcomeUnknown, rule: rule, confidence: .high,
                                            retryAfter: nil, neededScopes: [], unwrappedFrom: nil)
        let context = ticket.request.context
        try tx.emit(.failureClassified, at: time, context: context) { t in
            t.connection = ticket.lease.connection.rawValue
            t.generation = ticket.lease.generation.value
            t.key = ticket.idempotencyKey.rawValue
            t.failureClass = .outcomeUnknown
            t.notes.append(.init("rule", rule))
            t.notes.append(.init("confidence", Confidence.high.rawValue))
            t.notes.append(.init("op", FailedOperation.reconcile.rawValue))
        }
        let decision = try park(classification, signal: nil, lease: ticket.lease, key: ticket.idempotencyKey,
                                context: context, at: time, in: tx)
        guard case .parked(let recoveryCase, let request) = decision else { preconditionFailure("parking always parks") }
        return (recoveryCase, request)
    }

    /// Called when the runtime's retry policy gives up on an action whose lookups kept failing:
    /// while its outcome is still unknown, the run parks on an `outcome_unknown` case for an
    /// operator (rule `lookups-failed`) instead of failing with an effect that may have happened.
    /// Returns nil when the outcome is known (the run may fail as the policy says).
    public func escalateUnknownOutcome(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionVerdict? {
        guard let key = ticket.ledgerKey else { return nil }
        return try decide(at: time) { (tx) throws(RecoveryStoreError) -> ActionVerdict? in
            guard try tx.store.ledgerEntry(key)?.state == .unknown else { return nil }
            let (recoveryCase, request) = try askOperatorWhetherItHappened(ticket, rule: "lookups-failed", at: time, in: tx)
            return .parked(recoveryCase, request)
        }
    }

    /// An operator says, with the alert's capability, whether the action of an `outcome_unknown`
    /// case happened at the provider. The ledger takes the answer as a reconciliation
    /// (`action.reconciled by=operator`), the case is resolved, and the run resumes from its
    /// checkpoint: the step is skipped when it happened, and sent once more with the same key when
    /// it did not.
    ///
    /// "It did not happen" is refused (`may-still-land`, the capability stays usable) while a call
    /// sent for the action may still land: nothing is resent before every earlier call settled.
    public func presentOperatorConfirm(capabilityValue: String?, connection: ConnectionID, happened: Bool,
                                       at time: Instant) throws(RecoveryStoreError) -> ReconnectOutcome {
        try decide(at: time) { (tx) throws(RecoveryStoreError) -> ReconnectOutcome in
            var (capability, recoveryCase): (CapabilityRecord, RecoveryCase)
            switch try checkCapability(capabilityValue, for: connection, path: .operatorConfirm, at: time, in: tx) {
            case .refused(let refusal): return try refuse(refusal, on: .operatorConfirm, connection: connection, at: time, in: tx)
            case .accepted(let found, let open): (capability, recoveryCase) = (found, open)
            }
            let entry = try recoveryCase.idempotencyKey.flatMap { (key) throws(RecoveryStoreError) in try tx.store.ledgerEntry(key) }
            if !happened, let settlesAt = entry?.settlesAt, time < settlesAt {
                let refusal = CapabilityRefusal(reason: "may-still-land", capability: capability, recoveryCase: recoveryCase)
                return try refuse(refusal, on: .operatorConfirm, connection: connection, at: time, in: tx)
            }
            try consumeForOperator(&capability, of: recoveryCase, at: time, in: tx)
            if var entry, entry.state == .unknown {
                entry.move(to: happened ? .reconciledCommitted : .reconciledAbsent, at: time)
                try tx.store.save(entry)
                try tx.emit(.actionReconciled, at: time, run: recoveryCase.run) { t in
                    t.connection = connection.rawValue
                    t.step = entry.action.rawValue
                    t.key = entry.key.rawValue
                    t.result = (happened ? ReconcileAnswer.committed : .absent).rawValue
                    t.notes.append(.init("by", "operator"))
                }
            }
            return try resolveForOperator(&recoveryCase, with: capability, notes: [.init("happened", happened ? "yes" : "no")],
                                          at: time, in: tx)
        }
    }
}

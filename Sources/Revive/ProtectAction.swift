import ReviveVocabulary

/// What one execution of a protected action returned.
public enum ActionAttempt<Output> {
    /// The provider answered with success.
    case succeeded(Output)
    /// The provider answered with an error signal.
    case failed(ProviderSignal)
    /// No answer came back before the caller's timeout: the outcome is unknown.
    case noAnswer
}

/// What `protectAction` decided.
public enum ProtectedOutcome<Output> {
    /// The action is done: the output, or nil when reconciliation found the effect already there.
    case completed(Output?)
    /// A transient or rate-limited failure: let the runtime's retry policy schedule another attempt.
    case retryLater(Classification)
    /// The run is parked on a recovery case; the request went to its owner (or operator).
    case parked(RecoveryCase, ReconnectRequest)
    /// The caller's lease was stale or revoked: this worker must stop (another one owns the run).
    case fenced(FenceReason)
    /// An earlier call may still land at the provider: run the step again at this instant (the
    /// runtime's timer, not a retry: nothing failed).
    case waitUntil(Instant)
}

extension RecoveryEngine {
    /// Most immediate re-executions (after a refresh or a lease reload) within one protected call.
    public static let immediateRetryLimit = 3

    /// Runs one provider call under Revive's protection: lease, ledger, fencing, classification,
    /// reconciliation and parking, for embedding in a real runtime's step.
    ///
    /// `execute` receives the lease (no token: the credential is attached by the provider gateway)
    /// and the action's idempotency key, stable across attempts, resumes and workers. `reconcile`
    /// looks the key up at the provider when an earlier call's outcome was lost. A store failure
    /// throws `RecoveryStoreError` from the decision it hit; the decisions before it stand.
    public func protectAction<Output>(
        run: RunID, checkpoint: String?, connection: ConnectionID, action: ActionKey, mutating: Bool,
        worker: WorkerID, attempt: Int = 1, at time: Instant,
        execute: (Lease, IdempotencyKey) -> ActionAttempt<Output>,
        reconcile: (IdempotencyKey) -> ReconcileAnswer
    ) throws(RecoveryStoreError) -> ProtectedOutcome<Output> {
        let request = ActionRequest(run: run, action: action, attempt: attempt, worker: worker, checkpoint: checkpoint,
                                    connection: connection, mutating: mutating)
        var ticket: ActionTicket
        switch try beginAction(request, at: time) {
        case .alreadyDone: return .completed(nil)
        case .wait(let until, _): return .waitUntil(until)
        case .parked(let recoveryCase, let request): return .parked(recoveryCase, request)
        case .call(let begun): ticket = begun
        case .lookUp(let begun):
            guard case .call(let cleared) = try recordLookup(reconcile(begun.idempotencyKey), for: begun, at: time) else {
                return .completed(nil)
            }
            ticket = cleared
        }
        for _ in 0...RecoveryEngine.immediateRetryLimit {
            if case .fenced(let reason) = try clearForSend(ticket, at: time) { return .fenced(reason) }
            let output: Output?
            let outcome: ActionOutcome
            switch execute(ticket.lease, ticket.idempotencyKey) {
            case .succeeded(let value): (output, outcome) = (value, .succeeded)
            case .failed(let signal): (output, outcome) = (nil, .failed(signal))
            case .noAnswer: (output, outcome) = (nil, .noAnswer)
            }
            switch try finishAction(ticket, outcome, at: time) {
            case .completed: return .completed(output)
            case .retryNow(let fresh): ticket = fresh
            case .retryLater(let classification): return .retryLater(classification)
            case .parked(let recoveryCase, let reconnect): return .parked(recoveryCase, reconnect)
            }
        }
        return .retryLater(classifier.classify(nil, context: ClassificationContext(provider: nil, operation: .timeout)))
    }
}

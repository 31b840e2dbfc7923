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
}

extension RecoveryEngine {
    /// Most immediate re-executions (after a refresh or a lease reload) within one protected call.
    public static let immediateRetryLimit = 3

    /// Runs one provider call under Revive's protection: lease, ledger, fencing, classification,
    /// reconciliation and parking, for embedding in a real runtime's step.
    ///
    /// `execute` receives the lease (no token: the credential is attached by the provider gateway)
    /// and the action's idempotency key, stable across attempts, resumes and workers. `reconcile`
    /// looks the key up at the provider when an earlier call's outcome was lost.
    public func protectAction<Output>(
        run: RunID, checkpoint: String?, connection: ConnectionID, action: ActionKey, mutating: Bool,
        worker: WorkerID, attempt: Int = 1, at time: Instant,
        execute: (Lease, IdempotencyKey) -> ActionAttempt<Output>,
        reconcile: (IdempotencyKey) -> ReconcileAnswer
    ) -> ProtectedOutcome<Output> {
        let context = ActionContext(run: run, action: action, attempt: attempt, worker: worker, checkpoint: checkpoint)
        var lease = issueLease(connection: connection, context: context, at: time)
        var key = IdempotencyKey(run: run, action: action)
        var ledgerKey: IdempotencyKey?
        if mutating {
            switch prepareAction(connection: connection, context: context, at: time) {
            case .execute(let prepared):
                key = prepared
            case .alreadyCommitted:
                return .completed(nil)
            case .reconcile(let prepared):
                key = prepared
                let answer = reconcile(prepared)
                recordReconciliation(answer, key: prepared, context: context, at: time)
                if answer == .committed { return .completed(nil) }
            }
            ledgerKey = key
        }
        for _ in 0...RecoveryEngine.immediateRetryLimit {
            if case .fenced(let reason) = authorizeCall(with: lease, key: ledgerKey, context: context, at: time) {
                return .fenced(reason)
            }
            let decision: FailureDecision
            switch execute(lease, key) {
            case .succeeded(let output):
                recordSuccess(with: lease, key: ledgerKey, context: context, at: time)
                return .completed(output)
            case .failed(let signal):
                decision = handleFailure(signal, operation: .call, lease: lease, key: ledgerKey, context: context, at: time)
            case .noAnswer:
                decision = recordNoAnswer(with: lease, key: ledgerKey, context: context, at: time)
            }
            switch decision {
            case .retryNow(let fresh): lease = fresh
            case .retryLater(let classification): return .retryLater(classification)
            case .parked(let recoveryCase, let request): return .parked(recoveryCase, request)
            }
        }
        return .retryLater(classifier.classify(nil, context: ClassificationContext(provider: nil, operation: .timeout)))
    }
}

import Revive
import ReviveVocabulary

/// What the simulated runtime calls when its steps meet credentials: the real Revive engine, or
/// the naive integration the baseline (`--without-revive`) plays instead.
protocol RecoveryIntegration: AnyObject {
    func register(_ connection: ConnectionRecord, at time: Instant)
    func currentGeneration(of connection: ConnectionID) -> LeaseGeneration
    func recoveryCase(_ id: CaseID) -> RecoveryCase?
    func issueLease(connection: ConnectionID, context: ActionContext, at time: Instant) -> Lease
    func prepareAction(connection: ConnectionID, context: ActionContext, at time: Instant) -> ActionPreparation
    func recordReconciliation(_ answer: ReconcileAnswer, key: IdempotencyKey, context: ActionContext, at time: Instant)
    func authorizeCall(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant) -> CallAuthorization
    func recordSuccess(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant)
    func recordNoAnswer(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant) -> FailureDecision
    func recordGivenUp(key: IdempotencyKey, context: ActionContext, at time: Instant)
    func handleFailure(_ signal: ProviderSignal?, operation: FailedOperation, lease: Lease, key: IdempotencyKey?,
                       context: ActionContext, at time: Instant) -> FailureDecision
    func capabilityExpired(_ id: CapabilityID, at time: Instant) -> ReconnectRequest?
    func presentReconnect(capabilityValue: String?, grant: PendingGrant, at time: Instant) -> ReconnectOutcome
    func presentOperatorFix(capabilityValue: String?, connection: ConnectionID, at time: Instant) -> ReconnectOutcome
    func closeCase(_ id: CaseID, resumedOn worker: WorkerID, at time: Instant)
    func recordRefreshElsewhere(of connection: ConnectionID, by holder: String, run: RunID?, at time: Instant) -> LeaseGeneration
    /// The runtime declared a worker lost; returns the cases that were lost with it (none for Revive).
    func workerLost(_ worker: WorkerID, at time: Instant) -> [CaseID]
}

extension RecoveryEngine: RecoveryIntegration {
    func workerLost(_ worker: WorkerID, at time: Instant) -> [CaseID] {
        workerLost(worker)
        return []
    }
}

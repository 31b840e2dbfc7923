import Revive
import ReviveVocabulary

/// What the simulated runtime calls when its steps meet credentials: the real Revive engine
/// through its public API alone, or the naive integration the baseline (`--without-revive`)
/// plays instead.
///
/// The engine conforms with an empty extension in this (another) module, so every requirement
/// here is a public engine operation with its public signature: the lab proves the API that an
/// embedding integration uses. Each mutating step goes through the action API (`beginAction`,
/// `recordLookup`, `clearForSend`, `finishAction`, which `protectAction` wraps in one call).
protocol RecoveryIntegration: AnyObject {
    func register(_ connection: ConnectionRecord, at time: Instant)
    func currentGeneration(of connection: ConnectionID) -> LeaseGeneration
    func recoveryCase(_ id: CaseID) -> RecoveryCase?
    func beginAction(_ request: ActionRequest, at time: Instant) -> ActionStart
    func recordLookup(_ answer: ReconcileAnswer, for ticket: ActionTicket, at time: Instant) -> ActionStart
    func clearForSend(_ ticket: ActionTicket, at time: Instant) -> CallAuthorization
    func finishAction(_ ticket: ActionTicket, _ outcome: ActionOutcome, at time: Instant) -> ActionVerdict
    func abandonAction(_ ticket: ActionTicket, at time: Instant)
    func capabilityExpired(_ id: CapabilityID, at time: Instant) -> ReconnectRequest?
    func presentReconnect(capabilityValue: String?, grant: PendingGrant, at time: Instant) -> ReconnectOutcome
    func presentOperatorFix(capabilityValue: String?, connection: ConnectionID, at time: Instant) -> ReconnectOutcome
    func closeCase(_ id: CaseID, resumedOn worker: WorkerID, at time: Instant)
    func recordRefreshElsewhere(of connection: ConnectionID, by holder: String, run: RunID?, at time: Instant) -> LeaseGeneration
    /// The runtime declared a worker lost; returns the recovery cases that were lost with it.
    func workerLost(_ worker: WorkerID, at time: Instant) -> [CaseID]
}

extension RecoveryEngine: RecoveryIntegration {}

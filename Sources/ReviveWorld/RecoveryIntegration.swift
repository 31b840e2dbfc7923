import Revive
import ReviveVocabulary

/// What the simulated runtime calls when its steps meet credentials: the real Revive engine
/// through its public API alone, or the naive integration the baseline (`--without-revive`)
/// plays instead.
///
/// The engine conforms with an empty extension in this (another) module, so every requirement
/// here is a public engine operation with its public signature: the lab proves the API that an
/// embedding integration uses. Every requirement throws the store's typed error, as the engine's
/// operations do; the naive baseline never throws. Each mutating step goes through the action API (`beginAction`,
/// `recordLookup`, `clearForSend`, `finishAction`, which `protectAction` wraps in one call).
protocol RecoveryIntegration: AnyObject {
    func register(_ connection: ConnectionRecord, at time: Instant) throws(RecoveryStoreError)
    func currentGeneration(of connection: ConnectionID) throws(RecoveryStoreError) -> LeaseGeneration
    func recoveryCase(_ id: CaseID) throws(RecoveryStoreError) -> RecoveryCase?
    func beginAction(_ request: ActionRequest, at time: Instant) throws(RecoveryStoreError) -> ActionStart
    func recordLookup(_ answer: ReconcileAnswer, for ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionStart
    func lookupFailed(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionVerdict
    func continueAction(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionStart
    func clearForSend(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> CallAuthorization
    func finishAction(_ ticket: ActionTicket, _ outcome: ActionOutcome, at time: Instant) throws(RecoveryStoreError) -> ActionVerdict
    func abandonAction(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError)
    func reminderDue(_ id: CapabilityID, at time: Instant) throws(RecoveryStoreError) -> ReconnectRequest?
    func capabilityExpired(_ id: CapabilityID, at time: Instant) throws(RecoveryStoreError) -> ReconnectRequest?
    func presentReconnect(capabilityValue: String?, grant: PendingGrant, at time: Instant) throws(RecoveryStoreError) -> ReconnectOutcome
    func presentOperatorFix(capabilityValue: String?, connection: ConnectionID, at time: Instant) throws(RecoveryStoreError) -> ReconnectOutcome
    func presentOperatorConfirm(capabilityValue: String?, connection: ConnectionID, happened: Bool, at time: Instant) throws(RecoveryStoreError) -> ReconnectOutcome
    func escalateUnknownOutcome(_ ticket: ActionTicket, at time: Instant) throws(RecoveryStoreError) -> ActionVerdict?
    func recoverAfterRestart(at time: Instant) throws(RecoveryStoreError) -> RestartWork
    func closeCase(_ id: CaseID, resumedOn worker: WorkerID, at time: Instant) throws(RecoveryStoreError)
    func recordRefreshElsewhere(of connection: ConnectionID, by holder: String, run: RunID?, at time: Instant) throws(RecoveryStoreError) -> LeaseGeneration
    /// The runtime declared a worker lost; returns the recovery cases that were lost with it.
    func workerLost(_ worker: WorkerID, at time: Instant) throws(RecoveryStoreError) -> [CaseID]
    /// The shared store is back: write what was decided locally into it (nothing to do without a journal).
    @discardableResult
    func drainJournal(at time: Instant) throws(RecoveryStoreError) -> Int
}

extension RecoveryEngine: RecoveryIntegration {}

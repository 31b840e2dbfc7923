/// The rules every timeline is checked against (the recovery contract's invariants), plus liveness.
public enum Invariant: String, Sendable, CaseIterable, Comparable {
    case sameRun = "same-run"
    case checkpointResume = "checkpoint-resume"
    case effectOnce = "effect-once"
    case reconcileBeforeRetry = "reconcile-before-retry"
    case identityBound = "identity-bound"
    case capabilitySingleUse = "capability-single-use"
    case fencedGenerations = "fenced-generations"
    case noDeadRetry = "no-dead-retry"
    case durableCase = "durable-case"
    case tokenCustody = "token-custody"
    case liveness

    public static func < (a: Invariant, b: Invariant) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The rule in one sentence.
    public var rule: String {
        switch self {
        case .sameRun: return "recovery continues the existing logical run; no replacement run is started"
        case .checkpointResume: return "no step completed before the checkpoint executes again"
        case .effectOnce: return "each mutating action's effect happens at most once, under one idempotency key"
        case .reconcileBeforeRetry: return "an action whose outcome is unknown is not re-executed before reconciliation says absent"
        case .identityBound: return "the run only continues under the pinned subject and tenant"
        case .capabilitySingleUse: return "a capability is consumed at most once, before it expires, for its own case"
        case .fencedGenerations: return "after a rotation, no call made with an older lease generation succeeds"
        case .noDeadRetry: return "a dead grant is never used again; a transient or refreshable failure never parks the run"
        case .durableCase: return "a recovery case outlives the worker that opened it; any live worker can complete it"
        case .tokenCustody: return "no token or secret value appears in the timeline"
        case .liveness: return "when every case was answered by the right owner, the run completes"
        }
    }
}

/// The transition names the lab records, with their meanings (a public interface: add, never rename).
public enum TransitionCatalog {
    /// Every name and its meaning, in the order the README lists them.
    public static let entries: [(name: String, meaning: String)] = [
        ("run.started", "the logical run began"),
        ("run.completed", "the run finished its last step"),
        ("run.failed", "the run gave up (retry policy exhausted or non-retryable)"),
        ("run.parked", "Revive parked the run at its checkpoint"),
        ("run.resumed", "the same run continued from its checkpoint"),
        ("run.rescheduled", "the runtime moved the run to another worker"),
        ("run.waiting", "the run waits for a live worker"),
        ("step.started", "a step attempt began on a worker"),
        ("step.completed", "a step attempt finished"),
        ("checkpoint.saved", "the checkpoint after a completed step"),
        ("retry.scheduled", "the runtime will try the step again after a backoff"),
        ("result.discarded", "the runtime ignored a late result from a worker it had declared lost"),
        ("lease.issued", "a credential lease was handed to a worker"),
        ("lease.rotated", "the connection's generation was bumped after a verified reconnect"),
        ("lease.fenced", "a call with a stale or revoked lease was refused"),
        ("token.refreshed", "a refreshable failure healed without a human"),
        ("provider.called", "a worker's call reached the provider"),
        ("provider.failed", "the provider answered a call or refresh with an error signal"),
        ("effect.applied", "the provider changed the remote world"),
        ("failure.classified", "Revive decided the class of a failure"),
        ("case.opened", "the durable recovery case was opened"),
        ("case.closed", "the case's run resumed; the case is done"),
        ("case.escalated", "every reminder expired unanswered; an operator is told"),
        ("reconnect.requested", "the owner was asked (to reconnect, re-authenticate, consent, grant scopes, connect or fix the account), with a fresh capability"),
        ("operator.alerted", "an operator was alerted (configuration or policy), with a fresh capability to confirm the fix"),
        ("operator.fixed", "an operator fixed the configuration or policy and presented the alert's capability"),
        ("case.resolved", "an operator's fix was accepted; the capability was consumed"),
        ("reconnect.presented", "someone completed the provider's authorization flow and presented a capability"),
        ("reconnect.verified", "the reconnect matched the pinned identity; the capability was consumed"),
        ("reconnect.rejected", "the reconnect came back as someone else"),
        ("capability.expired", "a capability's lifetime ran out unused"),
        ("capability.refused", "an expired, used, unknown or foreign capability was presented"),
        ("action.intended", "the ledger recorded a mutating action before its call"),
        ("action.committed", "the ledger recorded the action's effect"),
        ("action.unknown", "the action's outcome was lost"),
        ("action.reconciled", "a lookup by idempotency key found the effect (committed) or not (absent)"),
        ("action.failed", "the action was given up with its run"),
        ("worker.started", "a worker came online"),
        ("worker.lost", "a worker stopped heart-beating and was declared lost"),
        ("worker.returned", "a stalled or lost worker came back and carried on"),
        ("event.skipped", "a scenario event could not apply (for example nothing to reuse)"),
        ("fault.injected", "the lab injected a scenario fault (actor `lab`)"),
        ("connection.pinned", "a connection was registered with its pinned subject and tenant"),
        ("case.lost", "a recovery context kept in a worker's memory died with it (only without Revive)"),
    ]

    /// The names alone, for validating `on`, `expect.timeline` and `expect.absent`.
    public static let names: Set<String> = Set(entries.map(\.name))
}

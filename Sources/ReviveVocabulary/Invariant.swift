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
    case historyComplete = "history-complete"
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
        case .historyComplete: return "after a fallback, everything recorded locally reaches the durable history exactly once, in order, and nothing that needs the durable side is decided without it"
        case .liveness: return "when every case was answered by the right owner, the run completes"
        }
    }
}

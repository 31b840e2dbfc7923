// The meanings of the transition names, and the names of the local fallback (kept apart to keep
// each switch short).

extension TransitionName {
    /// The name's meaning, in a sentence for people (empty for an unrecognized name).
    public var meaning: String {
        switch self {
        case .runStarted: return "the logical run began"
        case .runCompleted: return "the run finished its last step"
        case .runFailed: return "the run gave up (retry policy exhausted or non-retryable)"
        case .runParked: return "Revive parked the run at its checkpoint"
        case .runResumed: return "the same run continued from its checkpoint"
        case .runRescheduled: return "the run moved to another worker: the runtime's decision, or (LangGraph, format 2) Revive's or an operator's `invoke(None)`"
        case .runWaiting: return "the run waits for a live worker, or (LangGraph, format 2) a thread whose node gave up waits for `invoke(None)`"
        case .stepStarted: return "a step attempt began on a worker"
        case .stepCompleted: return "a step attempt finished"
        case .checkpointSaved: return "the checkpoint after a completed step (LangGraph, format 2: also the input and START checkpoints)"
        case .retryScheduled: return "the runtime will try the step again after a backoff"
        case .resultDiscarded: return "the runtime ignored a late result from a worker it had declared lost"
        case .leaseIssued: return "a credential lease was handed to a worker"
        case .leaseRotated: return "the connection's generation was bumped after a verified reconnect"
        case .leaseFenced: return "a call with a stale or revoked lease was refused"
        case .tokenRefreshed: return "a refreshable failure healed without a human"
        case .providerCalled: return "a worker's call reached the provider"
        case .providerFailed: return "the provider answered a call or refresh with an error signal"
        case .effectApplied: return "the provider changed the remote world"
        case .failureClassified: return "Revive decided the class of a failure"
        case .caseOpened: return "the durable recovery case was opened"
        case .caseClosed: return "the case's run resumed; the case is done"
        case .caseEscalated: return "the last reminder's capability expired unanswered; an operator is told"
        case .reconnectRequested: return "the owner was asked (to reconnect, re-authenticate, consent, grant scopes, connect or fix the account), with a fresh capability"
        case .operatorAlerted: return "an operator was alerted (configuration or policy), with a fresh capability to confirm the fix"
        case .operatorFixed: return "an operator fixed the configuration or policy and presented the alert's capability"
        case .caseResolved: return "an operator's fix or answer was accepted; the capability was consumed"
        case .reconnectPresented: return "someone completed the provider's authorization flow and presented a capability"
        case .reconnectVerified: return "the reconnect matched the pinned identity; the capability was consumed"
        case .reconnectRejected: return "the reconnect came back as someone else"
        case .capabilityExpired: return "a capability's lifetime ran out unused"
        case .capabilityRefused: return "an expired, used, superseded, unknown or foreign capability was presented"
        case .actionIntended: return "the ledger recorded a mutating action before its call"
        case .actionCommitted: return "the ledger recorded the action's effect"
        case .actionUnknown: return "the action's outcome was lost"
        case .actionReconciled: return "a lookup by idempotency key found the effect (committed) or not (absent)"
        case .actionFailed: return "the action was given up with its run"
        case .workerStarted: return "a worker came online"
        case .workerLost: return "a worker was declared lost: its heartbeats stopped (format 1), its activity timed out (Temporal, format 2), or Revive's lease on its attempt expired (LangGraph, format 2)"
        case .workerReturned: return "a stalled or lost worker came back and carried on"
        case .eventSkipped: return "a scenario event could not apply (for example nothing to reuse)"
        case .faultInjected: return "the lab injected a scenario fault (actor `lab`)"
        case .connectionPinned: return "a connection was registered with its pinned subject and tenant"
        case .caseLost: return "a recovery context kept in a worker's memory died with it (only without Revive)"
        case .actionWaiting: return "an earlier call may still land at the provider; the action waits until it has settled"
        case .requestAbandoned: return "the provider stopped processing a request at its declared bound; nothing was applied"
        case .requestDeduplicated: return "a dedupe provider answered a repeated idempotency key with the first request's saved answer"
        case .lookupFailed: return "a lookup by idempotency key was refused or timed out; nothing was learned"
        case .operatorConfirmed: return "an operator said whether an action whose outcome was unknown happened, presenting the alert's capability"
        case .checkpointLost: return "a crash lost a checkpoint that was not written yet (LangGraph's async or exit durability); its step may run again"
        case .unrecognized: return ""
        default: return fallbackMeaning
        }
    }

    /// The spelling of a name of the local fallback (`store.*`, `runtime.*`).
    var fallbackSpelling: String {
        switch self {
        case .storeUnavailable: return "store.unavailable"
        case .storeWaiting: return "store.waiting"
        case .storeDrained: return "store.drained"
        case .runtimeUnavailable: return "runtime.unavailable"
        case .runtimeWaiting: return "runtime.waiting"
        case .runtimeUploaded: return "runtime.uploaded"
        default: return ""
        }
    }

    /// The ordinal of a name of the local fallback (inlinable with `ordinal`).
    @inlinable
    var fallbackOrdinal: Int {
        switch self {
        case .storeUnavailable: return 50
        case .storeWaiting: return 51
        case .storeDrained: return 52
        case .runtimeUnavailable: return 53
        case .runtimeWaiting: return 54
        case .runtimeUploaded: return 55
        default: return -1
        }
    }

    /// The meaning of a name of the local fallback.
    var fallbackMeaning: String {
        switch self {
        case .storeUnavailable: return "Revive's shared store could not be reached; the engine decides on its local replica and journals each decision (`journal=N`)"
        case .storeWaiting: return "a decision safe only against the shared store (a rotation, a capability's consumption, a second case for a run) waits for it"
        case .storeDrained: return "the local journal was written into the shared store, in order, in one transaction, before the engine's next decision"
        case .runtimeUnavailable: return "the runtime's durable engine could not be reached; the worker runs reads and local steps locally (`local=N`)"
        case .runtimeWaiting: return "a mutating step, or the run's completion, waits for the runtime's durable engine"
        case .runtimeUploaded: return "the worker switched back to the durable engine on its first step after it returned and uploaded its local history"
        default: return ""
        }
    }
}

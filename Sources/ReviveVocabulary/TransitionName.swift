/// The name of a timeline transition, such as `lease.rotated`.
///
/// The raw values are the spellings that timelines, JSONL records, golden files and scenario
/// files use (a public interface: add names, never rename them). A timeline recorded by another
/// version or another tool may carry a name this version does not know: it is kept, spelling and
/// all, as `.unrecognized`, so that reading such a record never fails on a name.
public enum TransitionName: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// The logical run began.
    case runStarted
    /// The run finished its last step.
    case runCompleted
    /// The run gave up (retry policy exhausted or non-retryable).
    case runFailed
    /// Revive parked the run at its checkpoint.
    case runParked
    /// The same run continued from its checkpoint.
    case runResumed
    /// The runtime moved the run to another worker.
    case runRescheduled
    /// The run waits for a live worker.
    case runWaiting
    /// A step attempt began on a worker.
    case stepStarted
    /// A step attempt finished.
    case stepCompleted
    /// The checkpoint after a completed step.
    case checkpointSaved
    /// The runtime will try the step again after a backoff.
    case retryScheduled
    /// The runtime ignored a late result from a worker it had declared lost.
    case resultDiscarded
    /// A credential lease was handed to a worker.
    case leaseIssued
    /// The connection's generation was bumped after a verified reconnect.
    case leaseRotated
    /// A call with a stale or revoked lease was refused.
    case leaseFenced
    /// A refreshable failure healed without a human.
    case tokenRefreshed
    /// A worker's call reached the provider.
    case providerCalled
    /// The provider answered a call or refresh with an error signal.
    case providerFailed
    /// The provider changed the remote world.
    case effectApplied
    /// Revive decided the class of a failure.
    case failureClassified
    /// The durable recovery case was opened.
    case caseOpened
    /// The case's run resumed; the case is done.
    case caseClosed
    /// The last reminder's capability expired unanswered; an operator is told.
    case caseEscalated
    /// The owner was asked (to reconnect, re-authenticate, consent, grant scopes, connect or fix the account), with a fresh capability.
    case reconnectRequested
    /// An operator was alerted (configuration or policy), with a fresh capability to confirm the fix.
    case operatorAlerted
    /// An operator fixed the configuration or policy and presented the alert's capability.
    case operatorFixed
    /// An operator's fix was accepted; the capability was consumed.
    case caseResolved
    /// Someone completed the provider's authorization flow and presented a capability.
    case reconnectPresented
    /// The reconnect matched the pinned identity; the capability was consumed.
    case reconnectVerified
    /// The reconnect came back as someone else.
    case reconnectRejected
    /// A capability's lifetime ran out unused.
    case capabilityExpired
    /// An expired, used, superseded, unknown or foreign capability was presented.
    case capabilityRefused
    /// The ledger recorded a mutating action before its call.
    case actionIntended
    /// The ledger recorded the action's effect.
    case actionCommitted
    /// The action's outcome was lost.
    case actionUnknown
    /// A lookup by idempotency key found the effect (committed) or not (absent).
    case actionReconciled
    /// The action was given up with its run.
    case actionFailed
    /// A worker came online.
    case workerStarted
    /// A worker stopped heart-beating and was declared lost.
    case workerLost
    /// A stalled or lost worker came back and carried on.
    case workerReturned
    /// A scenario event could not apply (for example nothing to reuse).
    case eventSkipped
    /// The lab injected a scenario fault (actor `lab`).
    case faultInjected
    /// A connection was registered with its pinned subject and tenant.
    case connectionPinned
    /// A recovery context kept in a worker's memory died with it (only without Revive).
    case caseLost
    /// An earlier call may still land at the provider; the action waits until it has settled.
    case actionWaiting
    /// The provider stopped processing a request at its declared bound; nothing was applied.
    case requestAbandoned
    /// A dedupe provider answered a repeated idempotency key with the first request's saved answer.
    case requestDeduplicated
    /// A lookup by idempotency key was refused or timed out; nothing was learned.
    case lookupFailed
    /// An operator said whether an action whose outcome was unknown happened, with the alert's capability.
    case operatorConfirmed
    /// A checkpoint the runtime had saved was never written: a crash under LangGraph's async or
    /// exit durability lost it (format 2). A step whose checkpoint was lost may run again.
    case checkpointLost
    /// Revive's shared store could not be reached: the engine decides on its local replica and
    /// journals each decision until the store is back.
    case storeUnavailable
    /// A decision that is safe only against the shared store (a rotation, a capability's
    /// consumption, a second case for a run) waits for it; the caller calls again.
    case storeWaiting
    /// The local journal was written, in order and in one transaction, into the shared store.
    case storeDrained
    /// The runtime's durable engine could not be reached: the worker runs reads and local steps
    /// locally and keeps their history locally.
    case runtimeUnavailable
    /// A mutating step (or the run's completion) waits for the runtime's durable engine.
    case runtimeWaiting
    /// The worker switched back to the durable engine and uploaded the history it kept locally.
    case runtimeUploaded
    /// A name this version does not know, kept as it was spelt.
    case unrecognized(String)

    /// Every name this version records, in the order the README lists them.
    public static let known: [TransitionName] = [
        .runStarted,
        .runCompleted,
        .runFailed,
        .runParked,
        .runResumed,
        .runRescheduled,
        .runWaiting,
        .stepStarted,
        .stepCompleted,
        .checkpointSaved,
        .retryScheduled,
        .resultDiscarded,
        .leaseIssued,
        .leaseRotated,
        .leaseFenced,
        .tokenRefreshed,
        .providerCalled,
        .providerFailed,
        .effectApplied,
        .failureClassified,
        .caseOpened,
        .caseClosed,
        .caseEscalated,
        .reconnectRequested,
        .operatorAlerted,
        .operatorFixed,
        .caseResolved,
        .reconnectPresented,
        .reconnectVerified,
        .reconnectRejected,
        .capabilityExpired,
        .capabilityRefused,
        .actionIntended,
        .actionCommitted,
        .actionUnknown,
        .actionReconciled,
        .actionFailed,
        .workerStarted,
        .workerLost,
        .workerReturned,
        .eventSkipped,
        .faultInjected,
        .connectionPinned,
        .caseLost,
        .actionWaiting,
        .requestAbandoned,
        .requestDeduplicated,
        .lookupFailed,
        .operatorConfirmed,
        .checkpointLost,
        .storeUnavailable,
        .storeWaiting,
        .storeDrained,
        .runtimeUnavailable,
        .runtimeWaiting,
        .runtimeUploaded,
    ]

    /// The name's spelling in timelines and files.
    public var rawValue: String {
        switch self {
        case .runStarted: return "run.started"
        case .runCompleted: return "run.completed"
        case .runFailed: return "run.failed"
        case .runParked: return "run.parked"
        case .runResumed: return "run.resumed"
        case .runRescheduled: return "run.rescheduled"
        case .runWaiting: return "run.waiting"
        case .stepStarted: return "step.started"
        case .stepCompleted: return "step.completed"
        case .checkpointSaved: return "checkpoint.saved"
        case .retryScheduled: return "retry.scheduled"
        case .resultDiscarded: return "result.discarded"
        case .leaseIssued: return "lease.issued"
        case .leaseRotated: return "lease.rotated"
        case .leaseFenced: return "lease.fenced"
        case .tokenRefreshed: return "token.refreshed"
        case .providerCalled: return "provider.called"
        case .providerFailed: return "provider.failed"
        case .effectApplied: return "effect.applied"
        case .failureClassified: return "failure.classified"
        case .caseOpened: return "case.opened"
        case .caseClosed: return "case.closed"
        case .caseEscalated: return "case.escalated"
        case .reconnectRequested: return "reconnect.requested"
        case .operatorAlerted: return "operator.alerted"
        case .operatorFixed: return "operator.fixed"
        case .caseResolved: return "case.resolved"
        case .reconnectPresented: return "reconnect.presented"
        case .reconnectVerified: return "reconnect.verified"
        case .reconnectRejected: return "reconnect.rejected"
        case .capabilityExpired: return "capability.expired"
        case .capabilityRefused: return "capability.refused"
        case .actionIntended: return "action.intended"
        case .actionCommitted: return "action.committed"
        case .actionUnknown: return "action.unknown"
        case .actionReconciled: return "action.reconciled"
        case .actionFailed: return "action.failed"
        case .workerStarted: return "worker.started"
        case .workerLost: return "worker.lost"
        case .workerReturned: return "worker.returned"
        case .eventSkipped: return "event.skipped"
        case .faultInjected: return "fault.injected"
        case .connectionPinned: return "connection.pinned"
        case .caseLost: return "case.lost"
        case .actionWaiting: return "action.waiting"
        case .requestAbandoned: return "request.abandoned"
        case .requestDeduplicated: return "request.deduplicated"
        case .lookupFailed: return "lookup.failed"
        case .operatorConfirmed: return "operator.confirmed"
        case .checkpointLost: return "checkpoint.lost"
        case .unrecognized(let spelling): return spelling
        default: return fallbackSpelling
        }
    }

    public var description: String { rawValue }

    // Written out rather than synthesized so that other modules can inline them: the player and
    // the checker compare and hash names on every transition of every explored schedule.
    @inlinable
    public static func == (a: TransitionName, b: TransitionName) -> Bool {
        switch (a, b) {
        case (.unrecognized(let x), .unrecognized(let y)): return x == y
        case (.unrecognized, _), (_, .unrecognized): return false
        default: return a.ordinal == b.ordinal
        }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        if case .unrecognized(let spelling) = self { hasher.combine(spelling) } else { hasher.combine(ordinal) }
    }

    /// The position of a known name in the declaration, or nil for an unrecognized one: a number
    /// that stands for the name within one build (the explorer's fingerprints mix it, not the spelling).
    public var position: Int? { ordinal < 0 ? nil : ordinal }

    /// Whether this version records transitions of this name.
    public var isRecognized: Bool {
        if case .unrecognized = self { return false }
        return true
    }

    /// The position of a known name in the declaration (-1 for an unrecognized one): compared and
    /// hashed in place of the spelling. Inlinable, so that `==` against a known name folds one
    /// side to a constant in the checker and the player: as a call, it ran some 190,000 times a
    /// catalogue pass.
    @inlinable
    var ordinal: Int {
        switch self {
        case .runStarted: return 0
        case .runCompleted: return 1
        case .runFailed: return 2
        case .runParked: return 3
        case .runResumed: return 4
        case .runRescheduled: return 5
        case .runWaiting: return 6
        case .stepStarted: return 7
        case .stepCompleted: return 8
        case .checkpointSaved: return 9
        case .retryScheduled: return 10
        case .resultDiscarded: return 11
        case .leaseIssued: return 12
        case .leaseRotated: return 13
        case .leaseFenced: return 14
        case .tokenRefreshed: return 15
        case .providerCalled: return 16
        case .providerFailed: return 17
        case .effectApplied: return 18
        case .failureClassified: return 19
        case .caseOpened: return 20
        case .caseClosed: return 21
        case .caseEscalated: return 22
        case .reconnectRequested: return 23
        case .operatorAlerted: return 24
        case .operatorFixed: return 25
        case .caseResolved: return 26
        case .reconnectPresented: return 27
        case .reconnectVerified: return 28
        case .reconnectRejected: return 29
        case .capabilityExpired: return 30
        case .capabilityRefused: return 31
        case .actionIntended: return 32
        case .actionCommitted: return 33
        case .actionUnknown: return 34
        case .actionReconciled: return 35
        case .actionFailed: return 36
        case .workerStarted: return 37
        case .workerLost: return 38
        case .workerReturned: return 39
        case .eventSkipped: return 40
        case .faultInjected: return 41
        case .connectionPinned: return 42
        case .caseLost: return 43
        case .actionWaiting: return 44
        case .requestAbandoned: return 45
        case .requestDeduplicated: return 46
        case .lookupFailed: return 47
        case .operatorConfirmed: return 48
        case .checkpointLost: return 49
        case .unrecognized: return -1
        default: return fallbackOrdinal
        }
    }

    /// The first word of the name (`run`, `step`, `lease` …), which groups related transitions.
    public var family: Substring {
        let spelling = rawValue
        // A byte search: the renderer and the checker ask for every transition.
        guard let dot = spelling.utf8.firstIndex(of: UInt8(ascii: ".")) else { return spelling[...] }
        return spelling[..<dot]
    }
}

import Revive
import ReviveVocabulary

/// What the player's queue holds: every kind of thing that can happen at a virtual instant.
enum SimEvent {
    case startRun
    case phase(attempt: Int, AttemptPhase)
    /// The provider finishes processing a call (applies or fails it), or abandons it at its bound.
    case providerLands(call: Int)
    case timedFault(index: Int)
    case scenarioEvent(index: Int)
    case heartbeatDeadline(worker: WorkerID, epoch: Int)
    case stallEnds(worker: WorkerID, epoch: Int)
    /// A request's reminder is due: the reminder lead before its capability expires.
    case reminderDue(CapabilityID)
    /// A request's capability expires.
    case capabilityExpiry(CapabilityID)
    case retryStep
    case workerAvailable
    /// (format 2, Temporal) a workflow task waited out a dead worker's sticky queue.
    case stickyTimeout(WorkflowTaskContinuation)
    /// The explorer's healing: the right person answers, or the lost worker returns.
    case heal(HealAction)
    /// `store-unavailable` ends: Revive's shared store answers again.
    case storeBack
    /// `runtime-unavailable` ends: the runtime's durable engine answers again.
    case runtimeBack
}

/// What a Temporal workflow task does once it runs: schedule the next activity (or complete the
/// workflow) after one completed, or resume after the reconnect signal.
enum WorkflowTaskContinuation {
    case next(stepIndex: Int)
    case resume(CaseID)
}

/// What healing does (liveness mode).
enum HealAction {
    case reconnect(connection: ConnectionID)
    case operatorFix(connection: ConnectionID)
    /// An operator answers an `outcome_unknown` case from the provider's own records.
    case operatorConfirm(connection: ConnectionID)
    case revive(worker: WorkerID)
}

/// The phases of one step attempt, in order; fault points sit between them.
enum AttemptPhase {
    /// The step starts: lease, ledger, reconciliation. Then `before-call`.
    case begin
    /// An earlier call of the action has settled: ask the engine again (then `before-call`, if not yet struck).
    case settled(strikeBeforeCall: Bool)
    /// The retry policy gave up while an earlier call could still land: reconcile, then give up or go on.
    case giveUp(reason: String)
    /// The worker sends the call (or does local work).
    case call
    /// Local work of a step without a connection is done. Then `after-effect`.
    case workDone
    /// The worker receives the provider's answer to its call `call`: nil, success; else the failure.
    case answer(AnsweredSignal?, call: Int)
    /// The worker gave up waiting for an answer to its call `call` (its deadline passed).
    case timeout(call: Int)
    /// The outcome is in the ledger. Then `after-commit`.
    case commit
    /// The step's checkpoint is saved. Then `after-checkpoint`.
    case checkpoint
    /// The attempt is over; the run goes on to its next step.
    case next
}

/// A failure's signal, as an answer event carries it: in a box. Held inline, the signal (some
/// 90 bytes) made every event 128 bytes, a size the compiler copies and destroys through the
/// enum's value witnesses (some 60 instructions to destroy an event, of every event of every
/// play) and the queue's heap moved at every swap. A box is made for a failure answer only.
final class AnsweredSignal {
    let signal: ProviderSignal
    init(_ signal: consuming ProviderSignal) { self.signal = signal }
}

/// What a begun action may do next.
enum ActionReadiness {
    /// Call (or, with `skipCall`, go straight to the commit).
    case ready
    /// An earlier call may still land: ask again at this instant.
    case waiting(until: Instant)
    /// The lookup by key was refused: the retry policy decides.
    case lookupRefused(Classification)
    /// Only an operator can say whether an earlier call happened: the run is parked on this case.
    case parked(RecoveryCase, ReconnectRequest)
    /// The engine's store failed: nothing more happens (the play stops).
    case stopped
}

/// An attempt's worker, ticket and rarely set facts, shared by the attempt's copies (see `Attempt.facts`).
final class AttemptFacts {
    let worker: WorkerID
    let ticket: ActionTicket?
    let activityTimeout: String?
    let prefixLease: Lease?
    init(worker: WorkerID, ticket: ActionTicket? = nil, activityTimeout: String? = nil, prefixLease: Lease? = nil) {
        self.worker = worker
        self.ticket = ticket
        self.activityTimeout = activityTimeout
        self.prefixLease = prefixLease
    }
}

/// A worker of the simulated runtime.
struct WorkerState {
    let name: WorkerID
    /// Frozen workers neither heart-beat nor act; their events wait in `held`.
    var frozen = false
    var crashed = false
    var epoch = 0
    var declaredLost = false
    var held: [SimEvent] = []
    /// Its process was killed (`explore --kill`): it never returns; a fresh worker replaces it.
    var gone = false

    /// Whether the worker process is really running (the lab's fact: a new process may replace a frozen one).
    var isLive: Bool { !frozen }
    /// Whether the runtime counts on it: a freeze shows only when the heartbeat timeout declares the
    /// worker lost, so until then work is still handed to it (and held).
    var looksLive: Bool { !declaredLost }
}

/// Where the logical run stands.
enum RunState: Equatable {
    case notStarted
    case running(attempt: Int)
    case backoff(stepIndex: Int, preferredWorker: WorkerID)
    case parked(CaseID)
    /// The reconnect was verified; the run waits for a live worker to resume on.
    case resumable(CaseID)
    /// The run's worker was lost; it waits for a live worker to continue from its checkpoint.
    case waitingForWorker(stepIndex: Int)
    /// (format 2, LangGraph) the node's retries gave up: the error stays on the task and the
    /// thread waits, resumable, for someone to call `invoke(None)`.
    case gaveUp(stepIndex: Int)
    /// (format 2, Temporal) a workflow task waits on a dead worker's sticky queue.
    case workflowTaskWaiting
    /// `runtime-unavailable`: a mutating step (or, past the last step, the run's completion) waits
    /// for the runtime's durable engine, on `worker`.
    case waitingForRuntime(stepIndex: Int, worker: WorkerID)
    case completed
    case failed

    var isFinished: Bool { self == .completed || self == .failed }
}

/// A step invocation's retry budget: which step, how many attempts so far, since when.
struct Invocation {
    let stepIndex: Int
    var attempts: Int
    let start: Instant
}

/// A checkpoint the runtime saved: after which step (-1 for LangGraph's input and START
/// checkpoints, from which the first step runs), under which id.
struct SavedCheckpoint: Equatable {
    let stepIndex: Int
    let id: String
    /// LangGraph's `metadata.source`: `input` for the thread's input, `loop` for the others.
    var source = "loop"

    /// LangGraph's `metadata.step`: -1 for the input, 0 for START, then one per completed node.
    var superstep: Int { source == "input" ? -1 : stepIndex + 1 }
}

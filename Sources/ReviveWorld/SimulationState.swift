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
    /// The worker receives the provider's answer to its call `call`.
    case answer(ProviderSignal?, call: Int)
    /// The worker gave up waiting for an answer to its call `call` (its deadline passed).
    case timeout(call: Int)
    /// The outcome is in the ledger. Then `after-commit`.
    case commit
    /// The step's checkpoint is saved. Then `after-checkpoint`.
    case checkpoint
    /// The attempt is over; the run goes on to its next step.
    case next
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

/// One attempt of one step on one worker.
struct Attempt {
    /// The call's lease, once the action has begun.
    var lease: Lease? { facts.ticket?.lease }
    /// The ledger's key for a mutating call (nil for reads).
    var key: IdempotencyKey? { facts.ticket?.ledgerKey }

    let id: Int
    let stepIndex: Int
    let number: Int
    /// The worker making the attempt.
    var worker: WorkerID { facts.worker }
    /// The engine's ticket for the step's provider call (nil for a step without a connection).
    var ticket: ActionTicket? {
        get { facts.ticket }
        set { facts = AttemptFacts(worker: facts.worker, ticket: newValue, activityTimeout: facts.activityTimeout, prefixLease: facts.prefixLease) }
    }
    /// The ticket's box (nil when there is no ticket): read `ticket!` in it to lend the ticket to
    /// the engine without copying its eleven strings out.
    var ticketBox: AttemptFacts? { facts.ticket == nil ? nil : facts }
    /// Everything in the attempt that is not a number, boxed: the worker, the ticket and the rare
    /// facts. An attempt is copied in and out of the runtime's table at every phase; with the
    /// worker's name and two boxes inline, each copy and destroy went through the type's generic
    /// value witnesses (three retains or releases each, some 10 M instructions a catalogue and
    /// 140 M an exploration). With one box a copy is a move of plain words and one retain. The box
    /// is never written, so copies still share nothing that changes.
    private(set) var facts: AttemptFacts
    /// The effect is already known to have happened: no call is made.
    var skipCall = false
    /// The call the worker is waiting on (nil when none is out, or the caller stopped waiting).
    var awaitingCall: Int?
    var immediateRetries = 0
    /// The runtime's own attempt number: LangGraph counts per invocation of the node (a resume
    /// starts again at 1), Temporal per activity (a resend after the signal is a new activity).
    var runtimeAttempt = 0
    /// The Temporal activity this attempt belongs to (each new invocation is a new activity id).
    var activityID = 0
    /// When the attempt began (Temporal's start-to-close runs from here).
    var startedAt = Instant.zero
    /// (format 2, Temporal) which timeout ends the attempt if its worker stays frozen.
    var activityTimeout: String? {
        get { facts.activityTimeout }
        set { facts = AttemptFacts(worker: facts.worker, ticket: facts.ticket, activityTimeout: newValue, prefixLease: facts.prefixLease) }
    }
    /// (format 2, LangGraph) the node was resumed by `Command(resume)` and re-runs from its start:
    /// its first call replays the prefix it ran before `interrupt()`.
    var replaysPrefix = false
    /// (format 2, LangGraph, without Revive) the credential the node held when it called
    /// `interrupt()`: its replayed prefix calls with it, not with the reconnected grant.
    var prefixLease: Lease? {
        get { facts.prefixLease }
        set { facts = AttemptFacts(worker: facts.worker, ticket: facts.ticket, activityTimeout: facts.activityTimeout, prefixLease: newValue) }
    }
    /// The replayed call the worker waits on, while one is out.
    var replayCall: Int?
    /// The replayed prefix failed and `interrupt()` returned the resume value: the call that follows uses it.
    var afterInterrupt = false

    /// A fresh attempt on `facts`'s worker (a box with no ticket, which attempts may share).
    init(id: Int, stepIndex: Int, number: Int, facts: AttemptFacts) {
        self.id = id
        self.stepIndex = stepIndex
        self.number = number
        self.facts = facts
    }

    /// A fresh attempt on `worker`.
    init(id: Int, stepIndex: Int, number: Int, worker: WorkerID) {
        self.init(id: id, stepIndex: stepIndex, number: number, facts: AttemptFacts(worker: worker))
    }
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

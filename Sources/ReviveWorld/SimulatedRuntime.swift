import Revive
import ReviveVocabulary

/// The simulated durable runtime: the run's state machine, its step attempts, checkpoints,
/// retries and workers (heartbeats, loss, return).
///
/// Split by job across files: this one holds the state and the run's life;
/// `SimulatedRuntime+Attempts` runs step attempts, `SimulatedRuntime+Workers` heartbeats and
/// worker loss.
final class SimulatedRuntime {
    let world: WorldWiring
    /// The scenario's fault plan, told of every step point (`strike`): the player, which owns
    /// this runtime and drives every event it handles, so it outlives every use of this
    /// reference. Unretained, not weak: a weak reference gave the player a side table, and with
    /// one every retain and release of the player took the runtime's slow path. Lent without a
    /// retain: an unowned reference was made a strong one (a retain and a release of the
    /// player) at every step point of every attempt.
    @exclusivity(unchecked) var stepPoints: Unmanaged<Player>?

    /// Tells the fault plan that the attempt reached `point`: every fault aimed there fires.
    @inline(__always)
    func strike(_ point: StepPoint, _ attempt: Attempt) {
        stepPoints?._withUnsafeGuaranteedRef { $0.strike(point, attempt) }
    }

    // Unchecked (see `Timeline`): one play, one thread; the dynamic exclusivity checks cost more than the work.
    @exclusivity(unchecked) var workers = SmallTable<WorkerID, WorkerState>()
    /// Whether any worker has frozen in this play (never reset): until one has, no phase needs
    /// the worker's row to know it is not held (that lookup hashed the worker's name on every
    /// phase of every play).
    @exclusivity(unchecked) var anyWorkerFroze = false
    var workerOrder: [WorkerID] = []
    @exclusivity(unchecked) var runState = RunState.notStarted
    @exclusivity(unchecked) var attempts = IDTable<Attempt>()
    @exclusivity(unchecked) var nextAttemptID = 1
    /// The box of the last attempt begun, before it took a ticket: the next attempt on the same worker shares it.
    @exclusivity(unchecked) var blankFacts: AttemptFacts?
    /// Calls sent and not yet finished at the provider, by call id.
    @exclusivity(unchecked) var inFlight = IDTable<InFlightCall>()
    @exclusivity(unchecked) var nextCallID = 1
    @exclusivity(unchecked) var stepAttemptCounts: [Int]
    /// The step invocation whose retry budget is running (reset on resume).
    var invocation: Invocation?
    /// The last checkpoint saved (nil before the first).
    @exclusivity(unchecked) var checkpoint: SavedCheckpoint?
    @exclusivity(unchecked) var waitingAnnounced = false
    /// The run the runtime is executing: the scenario's, unless an engine asked for another.
    var runID: RunID
    /// Where the engine said to resume from, once a reconnect is verified: (run, checkpoint).
    var resumePoint: (run: RunID, checkpoint: String?)?
    /// (format 2, LangGraph) the thread's checkpoints that are on disk or on their way, oldest first.
    var savedCheckpoints: [SavedCheckpoint] = []
    /// (format 2, LangGraph) how many of the newest `savedCheckpoints` a crash could still lose:
    /// written since the graph last exited (an interrupt, an error, the end).
    @exclusivity(unchecked) var unwritten = 0
    /// (format 2) the seeded draws: which checkpoints an async crash loses, LangGraph's retry jitter.
    @exclusivity(unchecked) var draws: SeededRandom
    /// (format 2, Temporal) the worker whose sticky queue gets the workflow's next workflow task.
    var stickyWorker: WorkerID?
    /// (format 2, Temporal) activities scheduled so far: the next activity's id.
    @exclusivity(unchecked) var activitiesScheduled = 0
    /// (format 2, LangGraph) the credential of the call the parked node made before `interrupt()`:
    /// the prefix its resume replays.
    var interruptedPrefix: Lease?
    /// `runtime-unavailable`: when the durable engine answers again (nil: it always has).
    var durableBackAt: Instant?
    /// The history the worker keeps locally while the durable engine is away: its first entry
    /// number (nil: none is kept). `localNext` numbers the next entry over the whole play.
    var localHistory: (first: Int, worker: String?)?
    var localNext = 1

    init(world: WorldWiring) {
        self.world = world
        runID = world.scenario.workflow.run
        stepAttemptCounts = Array(repeating: 0, count: world.scenario.workflow.steps.count)
        // Its own stream, so drawing it never moves the ids the engine draws from the same seed.
        draws = SeededRandom(seed: world.scenario.seed ^ 0x5EED_D0_2AB1_117E)
        // Sized once: grown an entry at a time, both tables were reallocated in every play.
        let names = world.scenario.runtime.workers
        workers.reserveCapacity(names.count)
        workerOrder = names
        for worker in names { workers.add(worker, WorkerState(name: worker)) }
    }

    var scenario: Scenario { world.scenario }
    var now: Instant { world.now }
    var provider: SimulatedProvider { world.provider }
    var recovery: RecoveryIntegration { world.recovery }
    /// The id of the last checkpoint saved.
    var checkpointID: String? { checkpoint?.id }

    /// How the run stands.
    var outcome: Outcome {
        switch runState {
        case .completed: return .completed
        case .failed: return .failed
        default: return .parked
        }
    }

    // MARK: Recording helpers

    func record(_ name: TransitionName, actor: Actor, _ fill: (inout Transition) -> Void = { _ in }) {
        var transition = Transition(time: now, actor: actor, name: name)
        writing(&transition) { transition in
            transition.run = runID.rawValue
            fill(&transition)
            keepLocally(&transition)
        }
        world.timeline.record(consume transition)
    }

    func step(_ index: Int) -> StepSpec { scenario.workflow.steps[index] }

    // MARK: The run's life

    func startRun() {
        guard let first = workerOrder.first else { return }
        record(.runStarted, actor: .runtime) { t in
            t.worker = first.rawValue
            if !self.scenario.workflow.name.isEmpty { t.notes.append(.init("name", self.scenario.workflow.name)) }
        }
        stickyWorker = first
        saveOpeningCheckpoints(on: first)
        beginAttempt(stepIndex: 0, on: first)
    }

    func beginAttempt(stepIndex: Int, on worker: WorkerID) {
        if holdForDurableEngine(stepIndex: stepIndex, on: worker) { return }
        waitingAnnounced = false
        stepAttemptCounts[stepIndex] += 1
        if invocation?.stepIndex != stepIndex {
            invocation = Invocation(stepIndex: stepIndex, attempts: 0, start: now)
            activitiesScheduled += 1
        }
        invocation?.attempts += 1
        // A worker's attempts share one box until each takes its ticket (the box is never written):
        // a box of its own was an allocation for every attempt.
        let facts = blankFacts.flatMap { $0.worker == worker ? $0 : nil } ?? AttemptFacts(worker: worker)
        blankFacts = facts
        var attempt = Attempt(id: nextAttemptID, stepIndex: stepIndex, number: stepAttemptCounts[stepIndex], facts: facts)
        attempt.runtimeAttempt = invocation?.attempts ?? 1
        attempt.activityID = activitiesScheduled
        attempt.startedAt = now
        nextAttemptID += 1
        attempts[attempt.id] = attempt
        armActivityTimeout(attempt)
        runState = .running(attempt: attempt.id)
        world.queue.schedule(.phase(attempt: attempt.id, .begin), at: now)
    }

    /// Starts a new invocation budget (after a resume, the step is invoked afresh).
    func resetInvocation() { invocation = nil }

    func completeRun() {
        if holdForDurableEngine(stepIndex: scenario.workflow.steps.count, on: stickyWorker ?? workerOrder.first ?? WorkerID("worker")) { return }
        unwritten = 0
        runState = .completed
        record(.runCompleted, actor: .runtime)
    }

    func failRun(reason: String, attempt: Attempt) {
        if measuredLangGraph {
            threadGaveUp(reason: reason, attempt: attempt)
            return
        }
        runState = .failed
        if let ticket = attempt.ticket { _ = world.engine { () throws(RecoveryStoreError) in try recovery.abandonAction(ticket, at: now) } }
        record(.runFailed, actor: .runtime) { t in
            t.step = self.step(attempt.stepIndex).id.rawValue
            t.attempt = attempt.number
            t.reason = reason
        }
    }

    /// The first worker the runtime counts as live (not declared lost), preferring `preferred`.
    ///
    /// The runtime cannot see a freeze before the heartbeat timeout: a frozen worker not yet
    /// declared lost gets the work and holds it, and its heartbeat deadline then moves the run.
    func liveWorker(preferring preferred: WorkerID? = nil) -> WorkerID? {
        // LangGraph (format 2) has no liveness of its own: whoever acts on a thread is a running
        // process (the one answering the reconnect, or the one Revive asks).
        let usable: (WorkerState) -> Bool = measuredLangGraph ? { $0.isLive } : { $0.looksLive }
        if let preferred, let state = workers[preferred], usable(state) { return preferred }
        return workerOrder.first(where: { workers[$0].map(usable) == true })
    }

    func announceWaiting(reason: String) {
        guard !waitingAnnounced else { return }
        waitingAnnounced = true
        record(.runWaiting, actor: .runtime) { t in
            t.reason = reason
            t.checkpoint = self.checkpointID
        }
    }

    /// Resumes the parked run on a live worker, or waits for one. The run and checkpoint are the
    /// engine's word (`resumePoint`); the runtime obeys it, so an engine that names another run or
    /// no checkpoint shows up on the timeline as a restarted run.
    func resume(after caseID: CaseID, stickyChecked: Bool = false) {
        if measuredTemporal && !stickyChecked && waitsOnStickyQueue(then: .resume(caseID)) { return }
        guard let worker = measuredTemporal ? liveWorker(preferring: stickyWorker) : liveWorker() else {
            runState = .resumable(caseID)
            announceWaiting(reason: "no-live-worker")
            return
        }
        let generation = world.engine { () throws(RecoveryStoreError) -> Int? in
            try recovery.recoveryCase(caseID).map { (c: RecoveryCase) throws(RecoveryStoreError) -> Int in try recovery.currentGeneration(of: c.connection).value }
        } ?? nil
        let point = resumePoint ?? (runID, checkpointID)
        resumePoint = nil
        if point.run != runID {
            runID = point.run
            checkpoint = nil
            record(.runStarted, actor: .runtime) { t in
                t.worker = worker.rawValue
                t.reason = "engine-named-another-run"
            }
        } else if point.checkpoint != checkpointID {
            // The engine named another checkpoint (only a planted bug does): resume after it, or
            // from the start when it names none the runtime saved.
            checkpoint = point.checkpoint.flatMap { id in
                scenario.workflow.steps.indices.first(where: { checkpointName(after: $0) == id })
                    .map { SavedCheckpoint(stepIndex: $0, id: id) }
            }
        }
        let nextStep = checkpoint.map { $0.stepIndex + 1 } ?? 0
        record(.runResumed, actor: .runtime) { t in
            t.worker = worker.rawValue
            t.caseID = caseID.rawValue
            t.checkpoint = self.checkpointID
            t.generation = generation
            if nextStep < self.scenario.workflow.steps.count { t.step = self.step(nextStep).id.rawValue }
        }
        resetInvocation()
        // The runtime has the resumed run before Revive closes the case: a process that dies
        // between the two leaves a running run (its worker's loss moves it on) and a case that
        // the restart sweep closes with a second resume.
        if nextStep < scenario.workflow.steps.count {
            beginAttempt(stepIndex: nextStep, on: worker)
            markPrefixReplay()
            _ = world.engine { () throws(RecoveryStoreError) in try recovery.closeCase(caseID, resumedOn: worker, at: now) }
        } else {
            _ = world.engine { () throws(RecoveryStoreError) in try recovery.closeCase(caseID, resumedOn: worker, at: now) }
            completeRun()
        }
    }

    func retryStep() {
        guard case .backoff(let stepIndex, let preferred) = runState else { return }
        // A LangGraph node retries inside its own process (format 2): a frozen one holds the retry.
        guard let worker = measuredLangGraph ? preferred : liveWorker(preferring: preferred) else {
            runState = .waitingForWorker(stepIndex: stepIndex)
            announceWaiting(reason: "no-live-worker")
            return
        }
        beginAttempt(stepIndex: stepIndex, on: worker)
    }

    /// A worker came online or back: a run waiting for one continues.
    func workerAvailable() {
        switch runState {
        case .resumable(let caseID):
            resume(after: caseID)
        case .waitingForWorker(let stepIndex):
            if measuredLangGraph {
                // Revive asks the new worker; without Revive nobody does.
                if world.mode == .revive { invokeNone(reason: "worker-available", from: nil, by: .revive) }
                return
            }
            guard let worker = liveWorker() else { return }
            record(.runRescheduled, actor: .runtime) { t in
                t.worker = worker.rawValue
                t.checkpoint = self.checkpointID
                if stepIndex < self.scenario.workflow.steps.count { t.step = self.step(stepIndex).id.rawValue }
            }
            if stepIndex < scenario.workflow.steps.count {
                beginAttempt(stepIndex: stepIndex, on: worker)
            } else {
                completeRun()
            }
        default:
            break
        }
    }
}

import Revive
import ReviveVocabulary

/// Who handles credential failures in a play.
public enum RecoveryMode: String, Sendable {
    /// The real Revive engine.
    case revive
    /// A naive integration, for contrast: blind retries, anyone may reconnect, nothing fenced,
    /// no reconciliation, recovery context in the worker's memory.
    case withoutRevive = "without-revive"
}

/// One play of one scenario: the virtual clock and event queue, the simulated provider and
/// runtime, and the recovery integration (the real Revive engine, or the naive baseline),
/// stepped on one thread.
///
/// Split by job across files: this one holds the state and the main loop; `Simulation+Attempts`
/// runs step attempts, `Simulation+Workers` heartbeats and worker loss, `Simulation+Scenario`
/// faults and events.
final class Simulation {
    /// Most transitions one play may record before it is stopped and reported.
    static let transitionLimit = 250_000
    /// Most queue events one play may process before it is stopped and reported.
    static let eventLimit = 1_000_000

    let scenario: Scenario
    let timeline = Timeline()
    let provider: SimulatedProvider
    var recovery: RecoveryIntegration!
    /// Whether the real engine or the naive baseline handles credential failures.
    let mode: RecoveryMode
    var queue = EventQueue<SimEvent>()
    var now = Instant.zero

    var workers: [String: WorkerState] = [:]
    var workerOrder: [String] = []
    var runState = RunState.notStarted
    var attempts: [Int: Attempt] = [:]
    var nextAttemptID = 1
    var stepAttemptCounts: [Int]
    var invocationStep = -1
    var invocationAttempts = 0
    var invocationStart = Instant.zero
    var checkpointIndex = -1
    var checkpointID: String?
    var firedFaults = Set<Int>()
    var pendingOnEvents: [TransitionName: [Int]] = [:]
    var inbox: [String: [ReconnectRequest]] = [:]
    var consumedCapabilities = Set<CapabilityID>()
    var waitingAnnounced = false
    /// Why the play stopped early, if it did (a limit was reached).
    var limitReached: String?
    /// Whether the horizon cut the play short with events still queued.
    var stoppedAtHorizon = false
    /// Liveness mode: owners answer, operators fix, lost workers return.
    var healing = false
    /// How long healing takes: an owner reconnects 10 minutes after a request, an operator fixes
    /// in 30 minutes, a lost worker returns 5 minutes after it was declared lost.
    static let healDelays = (owner: Span.minutes(10), operator: Span.minutes(30), worker: Span.minutes(5))

    /// The run the runtime is executing: the scenario's, unless an engine asked for another.
    lazy var runID = RunID(scenario.workflow.run)
    /// Where the engine said to resume from, once a reconnect is verified: (run, checkpoint).
    var resumePoint: (run: RunID, checkpoint: String?)?

    init(scenario: Scenario, mode: RecoveryMode = .revive) {
        self.scenario = scenario
        self.mode = mode
        provider = SimulatedProvider(connections: scenario.connections, seed: scenario.seed, timeline: timeline)
        stepAttemptCounts = Array(repeating: 0, count: scenario.workflow.steps.count)
        switch mode {
        case .revive:
            recovery = RecoveryEngine(configuration: scenario.recovery, ids: SeededIdentifierSource(seed: scenario.seed),
                                      broker: provider, recorder: timeline)
        case .withoutRevive:
            recovery = NaiveIntegration(broker: provider, recorder: timeline)
        }
        for connection in scenario.connections {
            recovery.register(ConnectionRecord(
                id: ConnectionID(connection.id), provider: connection.provider, broker: connection.broker,
                ownerAddress: connection.owner, pinnedIdentity: ProviderIdentity(subject: connection.subject, tenant: connection.tenant),
                scopes: connection.scopes), at: .zero)
        }
        for worker in scenario.runtime.workers {
            workers[worker] = WorkerState(name: worker)
            workerOrder.append(worker)
        }
        timeline.observer = { [unowned self] transition in self.observe(transition) }
    }

    /// Plays the scenario to the end (empty queue, horizon or a limit) and returns the timeline.
    func play() -> Timeline {
        queue.schedule(.startRun, at: .zero)
        for (index, fault) in scenario.faults.enumerated() {
            if case .time(let instant) = fault.at { queue.schedule(.timedFault(index: index), at: instant) }
        }
        for (index, event) in scenario.events.enumerated() {
            switch event.trigger {
            case .at(let instant): queue.schedule(.scenarioEvent(index: index), at: instant)
            case .on(let name, _): pendingOnEvents[name, default: []].append(index)
            }
        }
        let horizon = Instant.zero.advanced(by: scenario.horizon)
        var processed = 0
        while let time = queue.nextTime {
            if time > horizon {
                // Only a run with work still pending was cut short; a late event after a finished run was not.
                stoppedAtHorizon = !runState.isFinished
                break
            }
            if processed >= Simulation.eventLimit {
                limitReached = "the play processed \(Simulation.eventLimit) events without finishing"
                break
            }
            if timeline.transitions.count >= Simulation.transitionLimit {
                limitReached = "the play recorded \(Simulation.transitionLimit) transitions without finishing"
                break
            }
            let (at, event) = queue.popFirst()!
            now = at
            provider.setClock(at)
            processed += 1
            dispatch(event)
        }
        return timeline
    }

    /// How the run stands at the end of the play.
    var outcome: Outcome {
        switch runState {
        case .completed: return .completed
        case .failed: return .failed
        default: return .parked
        }
    }

    private func dispatch(_ event: SimEvent) {
        switch event {
        case .startRun: startRun()
        case .phase(let id, let phase): dispatchPhase(id, phase)
        case .timedFault(let index): fireTimedFault(index)
        case .scenarioEvent(let index): fireEvent(index)
        case .heartbeatDeadline(let worker, let epoch): heartbeatDeadline(worker, epoch: epoch)
        case .stallEnds(let worker, let epoch): stallEnds(worker, epoch: epoch)
        case .capabilityExpiry(let id):
            if let request = recovery.capabilityExpired(id, at: now) { deliver(request) }
        case .retryStep: retryStep()
        case .workerAvailable: workerAvailable()
        case .heal(let action): heal(action)
        }
    }

    /// Fires `on` events at the first occurrence of their transition (and schedules healing).
    private func observe(_ transition: Transition) {
        if healing { scheduleHealing(after: transition) }
        guard let waiting = pendingOnEvents.removeValue(forKey: transition.name) else { return }
        for index in waiting {
            if case .on(_, let after) = scenario.events[index].trigger {
                queue.schedule(.scenarioEvent(index: index), at: transition.time.advanced(by: after))
            }
        }
    }

    // MARK: Recording helpers

    func record(_ name: TransitionName, actor: Actor, _ fill: (inout Transition) -> Void = { _ in }) {
        var transition = Transition(time: now, actor: actor, name: name)
        transition.run = runID.rawValue
        fill(&transition)
        timeline.record(transition)
    }

    func step(_ index: Int) -> StepSpec { scenario.workflow.steps[index] }

    // MARK: The run's life

    private func startRun() {
        guard let first = workerOrder.first else { return }
        record(.runStarted, actor: .runtime) { t in
            t.worker = first
            if !self.scenario.workflow.name.isEmpty { t.notes.append(.init("name", self.scenario.workflow.name)) }
        }
        beginAttempt(stepIndex: 0, on: first)
    }

    func beginAttempt(stepIndex: Int, on worker: String) {
        waitingAnnounced = false
        stepAttemptCounts[stepIndex] += 1
        if invocationStep != stepIndex {
            invocationStep = stepIndex
            invocationAttempts = 0
            invocationStart = now
        }
        invocationAttempts += 1
        let attempt = Attempt(id: nextAttemptID, stepIndex: stepIndex, number: stepAttemptCounts[stepIndex], worker: worker)
        nextAttemptID += 1
        attempts[attempt.id] = attempt
        runState = .running(attempt: attempt.id)
        queue.schedule(.phase(attempt: attempt.id, .begin), at: now)
    }

    /// Starts a new invocation budget (after a resume, the step is invoked afresh).
    func resetInvocation() { invocationStep = -1 }

    func completeRun() {
        runState = .completed
        record(.runCompleted, actor: .runtime)
    }

    func failRun(reason: String, attempt: Attempt) {
        runState = .failed
        if let ticket = attempt.ticket { recovery.abandonAction(ticket, at: now) }
        record(.runFailed, actor: .runtime) { t in
            t.step = self.step(attempt.stepIndex).id
            t.attempt = attempt.number
            t.reason = reason
        }
    }

    /// Hands a reconnect request to its recipient and arms its expiry.
    func deliver(_ request: ReconnectRequest) {
        inbox[request.connection.rawValue, default: []].append(request)
        queue.schedule(.capabilityExpiry(request.capabilityID), at: request.expiresAt)
    }

    /// The first live worker, preferring `preferred`.
    func liveWorker(preferring preferred: String? = nil) -> String? {
        if let preferred, workers[preferred]?.isLive == true { return preferred }
        return workerOrder.first(where: { workers[$0]?.isLive == true })
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
    func resume(after caseID: CaseID) {
        guard let worker = liveWorker() else {
            runState = .resumable(caseID)
            announceWaiting(reason: "no-live-worker")
            return
        }
        let generation = recovery.recoveryCase(caseID).map { recovery.currentGeneration(of: $0.connection).value }
        let point = resumePoint ?? (runID, checkpointID)
        resumePoint = nil
        if point.run != runID {
            runID = point.run
            checkpointIndex = -1
            checkpointID = nil
            record(.runStarted, actor: .runtime) { t in
                t.worker = worker
                t.reason = "engine-named-another-run"
            }
        } else if point.checkpoint != checkpointID {
            checkpointIndex = point.checkpoint.flatMap { id in
                scenario.workflow.steps.indices.first(where: { checkpointName(after: $0) == id })
            } ?? -1
            checkpointID = point.checkpoint
        }
        let nextStep = checkpointIndex + 1
        record(.runResumed, actor: .runtime) { t in
            t.worker = worker
            t.caseID = caseID.rawValue
            t.checkpoint = self.checkpointID
            t.generation = generation
            if nextStep < self.scenario.workflow.steps.count { t.step = self.step(nextStep).id }
        }
        recovery.closeCase(caseID, resumedOn: WorkerID(worker), at: now)
        resetInvocation()
        if nextStep < scenario.workflow.steps.count {
            beginAttempt(stepIndex: nextStep, on: worker)
        } else {
            completeRun()
        }
    }

    private func retryStep() {
        guard case .backoff(let stepIndex, let preferred) = runState else { return }
        guard let worker = liveWorker(preferring: preferred) else {
            runState = .waitingForWorker(stepIndex: stepIndex)
            announceWaiting(reason: "no-live-worker")
            return
        }
        beginAttempt(stepIndex: stepIndex, on: worker)
    }

    /// A worker came online or back: a run waiting for one continues.
    private func workerAvailable() {
        switch runState {
        case .resumable(let caseID):
            resume(after: caseID)
        case .waitingForWorker(let stepIndex):
            guard let worker = liveWorker() else { return }
            record(.runRescheduled, actor: .runtime) { t in
                t.worker = worker
                t.checkpoint = self.checkpointID
                if stepIndex < self.scenario.workflow.steps.count { t.step = self.step(stepIndex).id }
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

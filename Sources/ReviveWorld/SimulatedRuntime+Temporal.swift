import Revive
import ReviveVocabulary

/// Temporal as measured (format 2): a lost worker is an activity timeout (heartbeat if set, else
/// start-to-close or schedule-to-close) followed by the retry's backoff; a workflow task for a dead
/// worker waits out its sticky queue (10 s) before another worker takes it; and the runtime's own
/// attempt numbers (per activity) and activity ids.
extension SimulatedRuntime {
    /// Whether the run plays Temporal as measured.
    var measuredTemporal: Bool { scenario.runtime.kind == .temporal && scenario.runtime.model.measured }

    /// Arms the timeout of an attempt whose worker is frozen: the earliest of the heartbeat
    /// timeout (from the freeze), start-to-close (from the attempt's start) and schedule-to-close
    /// (from the activity's first attempt), each the step's own or else the runtime's.
    func armActivityTimeout(_ attempt: Attempt) {
        guard measuredTemporal, let worker = workers[attempt.worker], worker.frozen else { return }
        // The step's own timeouts win over the runtime's, key by key.
        let model = scenario.runtime.model.timeouts(for: step(attempt.stepIndex))
        // The earliest kept as they come (the first of equals, as `min(by:)` of a list kept it):
        // a list of the candidates was an array type made from its mangled name in every process.
        var first: (at: Instant, kind: String)?
        func consider(_ at: Instant?, _ kind: String) {
            guard let at, first.map({ at < $0.at }) ?? true else { return }
            first = (at, kind)
        }
        consider(model.heartbeat.map { now.advanced(by: $0) }, "heartbeat-timeout")
        consider(model.startToClose.map { attempt.startedAt.advanced(by: $0) }, "start-to-close-timeout")
        consider(model.scheduleToClose.map { (invocation?.start ?? attempt.startedAt).advanced(by: $0) }, "schedule-to-close-timeout")
        guard let first else { return }
        attempts.update(attempt.id) { $0.activityTimeout = first.kind }
        world.queue.schedule(.heartbeatDeadline(worker: attempt.worker, epoch: worker.epoch), at: max(first.at, now))
    }

    /// A worker froze in the middle of an attempt. Once the activity's completion is in the history
    /// (its checkpoint), only the next workflow task is left, and it does not wait for the frozen
    /// worker: it goes to the sticky queue (10 s if that worker is the dead one) and on. Otherwise
    /// the activity's timeout is armed.
    func workerFroze(during attempt: Attempt) {
        guard checkpoint?.stepIndex == attempt.stepIndex else {
            armActivityTimeout(attempt)
            return
        }
        let next = attempt.stepIndex + 1
        if waitsOnStickyQueue(then: .next(stepIndex: next)) { return }
        guard let worker = liveWorker(preferring: stickyWorker) else {
            runState = .waitingForWorker(stepIndex: next)
            announceWaiting(reason: "no-live-worker")
            return
        }
        if next < scenario.workflow.steps.count { beginAttempt(stepIndex: next, on: worker) } else { completeRun() }
    }

    /// The frozen worker's activity timed out: Temporal retries it after the policy's backoff on
    /// another worker (schedule-to-close ends the activity instead).
    func activityTimedOut(_ name: WorkerID) {
        guard case .running(let id) = runState, let attempt = attempts[id], attempt.worker == name,
              let kind = attempt.activityTimeout else { return }
        workers.update(name) { $0.declaredLost = true }
        record(.workerLost, actor: .runtime) { t in
            t.worker = name.rawValue
            t.step = self.step(attempt.stepIndex).id.rawValue
            t.attempt = attempt.number
            t.reason = kind
            t.addNotes(self.runtimeAttemptNotes(attempt.runtimeAttempt, activity: attempt.activityID))
        }
        _ = world.engine { () throws(RecoveryStoreError) in try recovery.workerLost(name, at: now) }
        if kind == "schedule-to-close-timeout" {
            failRun(reason: "activity schedule-to-close timeout", attempt: attempt)
            return
        }
        scheduleRetry(attempt, failureClass: .transient, retryAfter: nil)
        // The frozen worker still holds the attempt: if it comes back, its result is discarded.
        attempts[id] = attempt
    }

    /// The sticky worker, when its process is not running.
    var deadStickyWorker: WorkerID? {
        guard let sticky = stickyWorker, workers[sticky]?.isLive == false else { return nil }
        return sticky
    }

    /// Whether the next workflow task must first wait out the dead sticky worker's queue; if so
    /// the wait is armed and `next` happens when it ends.
    func waitsOnStickyQueue(then next: WorkflowTaskContinuation) -> Bool {
        guard deadStickyWorker != nil else { return false }
        runState = .workflowTaskWaiting
        world.queue.schedule(.stickyTimeout(next), at: now.advanced(by: RuntimeModel.stickyQueueTimeout))
        return true
    }

    /// The workflow task's schedule-to-start timeout on the sticky queue ran out: it moves to the
    /// shared task queue, where a running worker takes it.
    func stickyTimeout(_ next: WorkflowTaskContinuation) {
        guard runState == .workflowTaskWaiting else { return }
        let dead = stickyWorker
        let stepIndex: Int? = if case .next(let index) = next { index } else { nil }
        guard let worker = workerOrder.first(where: { workers[$0]?.isLive == true }) else {
            switch next {
            case .next(let index): runState = .waitingForWorker(stepIndex: index)
            case .resume(let caseID): runState = .resumable(caseID)
            }
            announceWaiting(reason: "no-live-worker")
            return
        }
        stickyWorker = worker
        record(.runRescheduled, actor: .runtime) { t in
            t.worker = worker.rawValue
            t.checkpoint = self.checkpointID
            t.reason = "sticky-queue-timeout"
            if let dead { t.notes.append(.init("from", dead.rawValue)) }
            t.notes.append(.init("waited", RuntimeModel.stickyQueueTimeout.description))
            if let stepIndex, stepIndex < self.scenario.workflow.steps.count { t.step = self.step(stepIndex).id.rawValue }
        }
        switch next {
        case .next(let index):
            if index < scenario.workflow.steps.count { beginAttempt(stepIndex: index, on: worker) } else { completeRun() }
        case .resume(let caseID):
            resume(after: caseID, stickyChecked: true)
        }
    }
}

/// Facts format 2 adds to a timeline line in the runtime's own words.
extension SimulatedRuntime {
    /// The runtime's own attempt number (and, on Temporal, the activity id), format 2 only.
    func runtimeAttemptNotes(_ number: Int, activity: Int) -> [Transition.Note] {
        guard scenario.runtime.model.measured else { return [] }
        // Built whole: a one-note list grown by a second note was allocated twice.
        guard measuredTemporal else { return [.init("runtime-attempt", String(number))] }
        return [.init("runtime-attempt", String(number)), .init("activity-id", String(activity))]
    }

    /// The wait before a retry and the facts that explain it (format 2): LangGraph adds up to 1 s
    /// of jitter, drawn from the seed; a provider's Retry-After that makes the wait longer than the
    /// policy's backoff is Revive's decision (on Temporal it sets `next_retry_delay`, which replaces
    /// the backoff), not the runtime's.
    func measuredRetryWait(_ policyWait: Span, policy: RetryPolicy, retryAfter: Span?) -> (Span, [Transition.Note]) {
        guard scenario.runtime.model.measured else { return (policyWait, []) }
        var wait = policyWait
        var notes: [Transition.Note] = []
        if measuredLangGraph {
            let jitter = Span(milliseconds: Int64(draws.next() % UInt64(RuntimeModel.langGraphJitter.milliseconds)))
            wait = wait + jitter
            notes.append(.init("jitter", jitter.description))
        }
        if let retryAfter {
            notes.append(.init("policy-backoff", policy.backoff(beforeRetry: invocation?.attempts ?? 1).description))
            notes.append(.init("retry-after", retryAfter.description))
            if measuredTemporal { notes.append(.init("next_retry_delay", policyWait.description)) }
            notes.append(.init("decided-by", "revive"))
        }
        return (wait, notes)
    }
}

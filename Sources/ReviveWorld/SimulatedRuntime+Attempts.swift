import Revive
import ReviveVocabulary

/// Step attempts: lease, ledger, call, answer, checkpoint, with fault points between phases.
extension SimulatedRuntime {
    /// Most immediate re-calls (after a refresh or a lease reload) in one attempt.
    static let immediateRetryLimit = 3

    func dispatchPhase(_ id: Int, _ phase: AttemptPhase) {
        guard let attempt = attempts[id] else { return }
        // Everything a worker does waits while it is frozen (the provider's side is not a phase).
        if anyWorkerFroze, workers[attempt.worker]?.frozen == true {
            workers.update(attempt.worker) { $0.held.append(.phase(attempt: id, phase)) }
            return
        }
        guard runState == .running(attempt: id) else {
            zombie(attempt, phase)
            return
        }
        // The handlers that edit the attempt take it `consuming`: this copy is moved into them
        // instead of copied again at each (those copies were most of the attempts' in a play).
        switch phase {
        case .begin: begin(attempt)
        case .settled(let strike): settled(attempt, strikeBeforeCall: strike)
        case .giveUp(let reason): giveUpAfterSettling(attempt, reason: reason)
        case .call: call(attempt)
        case .workDone: afterPoint(.afterEffect, attempt, then: .commit)
        case .answer(let answered, let call):
            guard attempt.awaitingCall == call else { return }
            let signal = answered?.signal
            attempts.update(id) { $0.awaitingCall = nil }
            if attempt.replayCall == call && replayAnswered(id, failure: signal) { return }
            answer(attempt, failure: signal)
        case .timeout(let call):
            // The caller stops waiting; an answer that comes later goes nowhere.
            guard attempt.awaitingCall == call else { return }
            attempts.update(id) { $0.awaitingCall = nil }
            finishCall(attempt, .noAnswer)
        case .commit: afterPoint(.afterCommit, attempt, then: .checkpoint)
        case .checkpoint: checkpoint(attempt)
        case .next: finish(attempt)
        }
    }

    private func begin(_ attempt: consuming Attempt) {
        // The step's name only: `step(_:)` copied the whole spec (every string in it) for one field.
        let stepName = scenario.workflow.steps[attempt.stepIndex].id.rawValue
        record(.stepStarted, actor: .worker(attempt.worker)) { t in
            t.worker = attempt.worker.rawValue
            t.step = stepName
            t.attempt = attempt.number
            t.checkpoint = self.checkpointID
            t.addNotes(self.runtimeAttemptNotes(attempt.runtimeAttempt, activity: attempt.activityID))
        }
        startAction(attempt)
    }

    /// The step's action begins: a lease and the ledger's word. One the engine made wait for its
    /// shared store begins again once the store is back (the worker holds the attempt meanwhile).
    private func startAction(_ attempt: consuming Attempt) {
        let readiness = step(attempt.stepIndex).connection == nil ? .ready : beginAction(&attempt)
        attempts[attempt.id] = attempt
        if case .stopped = readiness, world.takeStoreWait() {
            world.callAgainWhenStoreIsBack(byWorker: true) { [unowned self, attempt] in
                if self.runState == .running(attempt: attempt.id) { self.startAction(attempt) }
            }
            return
        }
        proceed(readiness, attempt, strikeBeforeCall: true)
    }

    private func call(_ attempt: consuming Attempt) {
        // The ticket is read in its box and the step's duration in place: copying either out
        // (eleven strings, a whole step spec) was most of handing a call to the engine.
        guard let box = attempt.ticketBox else {
            let duration = scenario.workflow.steps[attempt.stepIndex].duration
            world.queue.schedule(.phase(attempt: attempt.id, .workDone), at: now.advanced(by: duration))
            return
        }
        guard let authorization = world.engine({ () throws(RecoveryStoreError) in try recovery.clearForSend(box.ticket!, at: now) })
        else { return }
        switch authorization {
        case .fenced:
            // The live attempt's own lease went stale under it: begin the action again on the
            // current generation and call again.
            attempt.immediateRetries += 1
            guard attempt.immediateRetries <= SimulatedRuntime.immediateRetryLimit else {
                attempts[attempt.id] = attempt
                failRun(reason: "lease fenced \(SimulatedRuntime.immediateRetryLimit) times in one attempt", attempt: attempt)
                return
            }
            let readiness = beginAction(&attempt)
            attempts[attempt.id] = attempt
            proceed(readiness, attempt, strikeBeforeCall: false)
            return
        case .allowed:
            break
        }
        sendCall(&attempt, lease: box.ticket!.lease)
    }

    /// Moves a begun action on: to the `before-call` point and the call (or straight to the
    /// commit when the effect is already there), to a timer when an earlier call must settle
    /// first, or to the retry policy when the lookup was refused.
    private func proceed(_ readiness: ActionReadiness, _ attempt: Attempt, strikeBeforeCall: Bool) {
        switch readiness {
        case .ready:
            let next: AttemptPhase = attempt.skipCall ? .commit : .call
            if strikeBeforeCall { afterPoint(.beforeCall, attempt, then: next) } else { world.queue.schedule(.phase(attempt: attempt.id, next), at: now) }
        case .waiting(let until):
            world.queue.schedule(.phase(attempt: attempt.id, .settled(strikeBeforeCall: strikeBeforeCall)), at: until)
        case .lookupRefused(let classification):
            scheduleRetry(attempt, failureClass: classification.failureClass, retryAfter: nil)
        case .parked(let recoveryCase, let request):
            park(attempt, on: recoveryCase, request)
        case .stopped:
            break
        }
    }

    /// An earlier call has settled: ask the engine again what the action may do.
    private func settled(_ attempt: consuming Attempt, strikeBeforeCall: Bool) {
        guard let ticket = attempt.ticket,
              let start = world.engine({ () throws(RecoveryStoreError) in try recovery.continueAction(ticket, at: now) }) else {
            if world.takeStoreWait() { againWhenStoreIsBack(attempt.id, .settled(strikeBeforeCall: strikeBeforeCall)) }
            return
        }
        let readiness = take(start, into: &attempt)
        attempts[attempt.id] = attempt
        proceed(readiness, attempt, strikeBeforeCall: strikeBeforeCall)
    }

    /// Begins the step's action through the engine's public action API: a lease, and for a
    /// mutation the ledger's word (call, look the key up first, wait, or already done).
    private func beginAction(_ attempt: inout Attempt) -> ActionReadiness {
        let steps = scenario.workflow.steps
        guard let connection = steps[attempt.stepIndex].connection else { return .ready }
        // The request is built in the call and the step's fields read in place: a request built
        // before it was copied into the call, and the spec copied out whole, on every action.
        let (number, worker, index) = (attempt.number, attempt.worker, attempt.stepIndex)
        guard let start = world.engine({ () throws(RecoveryStoreError) in
            try recovery.beginAction(ActionRequest(run: runID, action: steps[index].id, attempt: number, worker: worker,
                                                   checkpoint: checkpointID, connection: connection,
                                                   mutating: steps[index].effect == .mutation,
                                                   callTimeout: scenario.runtime.callTimeout), at: now)
        }) else { return .stopped }
        return take(start, into: &attempt)
    }

    /// Takes the engine's word on a begun action into the attempt, looking the key up at the
    /// provider when the engine asks for it.
    func take(_ start: ActionStart, into attempt: inout Attempt) -> ActionReadiness {
        var start = start
        if case .lookUp(let ticket) = start {
            attempt.ticket = ticket
            guard let answer = provider.lookUp(ticket.idempotencyKey, on: ticket.lease.connection) else {
                guard let verdict = world.engine({ () throws(RecoveryStoreError) in try recovery.lookupFailed(ticket, at: now) }),
                      case .retryLater(let classification) = verdict else { return .stopped }
                return .lookupRefused(classification)
            }
            guard let looked = world.engine({ () throws(RecoveryStoreError) in try recovery.recordLookup(answer, for: ticket, at: now) })
            else { return .stopped }
            start = looked
        }
        switch start {
        case .call(let ticket), .lookUp(let ticket):
            attempt.ticket = ticket
            attempt.skipCall = false
        case .alreadyDone(let ticket):
            attempt.ticket = ticket
            attempt.skipCall = true
        case .wait(let until, let ticket):
            attempt.ticket = ticket
            return .waiting(until: until)
        case .parked(let recoveryCase, let request):
            return .parked(recoveryCase, request)
        }
        return .ready
    }

    private func answer(_ attempt: consuming Attempt, failure: ProviderSignal?) {
        guard let signal = failure else {
            finishCall(attempt, .succeeded)
            return
        }
        provider.prepareRefresh(at: now, run: runID, step: step(attempt.stepIndex).id, attempt: attempt.number)
        finishCall(attempt, .failed(signal))
    }

    /// Finishes the call through the engine's public action API and acts on its verdict.
    private func finishCall(_ attempt: consuming Attempt, _ outcome: ActionOutcome) {
        guard let box = attempt.ticketBox else { return }
        guard let verdict = world.engine({ () throws(RecoveryStoreError) in try recovery.finishAction(box.ticket!, outcome, at: now) })
        else {
            // The worker holds the answer until the engine can take it (a refresh or a case that needs the shared store).
            if world.takeStoreWait() {
                world.callAgainWhenStoreIsBack(byWorker: true) { [unowned self, attempt] in
                    if self.runState == .running(attempt: attempt.id) { self.finishCall(attempt, outcome) }
                }
            }
            return
        }
        switch verdict {
        case .completed:
            afterPoint(.afterCommit, attempt, then: .checkpoint)
        case .retryNow(let fresh):
            attempt.immediateRetries += 1
            attempt.ticket = fresh
            attempts[attempt.id] = attempt
            if attempt.immediateRetries > SimulatedRuntime.immediateRetryLimit {
                scheduleRetry(attempt, failureClass: .transient, retryAfter: nil)
            } else {
                world.queue.schedule(.phase(attempt: attempt.id, .call), at: now)
            }
        case .retryLater(let classification):
            scheduleRetry(attempt, failureClass: classification.failureClass, retryAfter: classification.retryAfter)
        case .parked(let recoveryCase, let request):
            park(attempt, on: recoveryCase, request)
            // The node called, then `interrupt()`: a resume replays that call (format 2, LangGraph).
            interruptedPrefix = box.ticket!.lease
        }
    }

    /// The engine parked the run on a case: the attempt ends and the request goes out.
    private func park(_ attempt: Attempt, on recoveryCase: RecoveryCase, _ request: ReconnectRequest) {
        attempts[attempt.id] = nil
        interruptedPrefix = nil
        // An interrupt exits the graph: every checkpoint is written (format 2, LangGraph).
        unwritten = 0
        runState = .parked(recoveryCase.id)
        if !durableEngineAway { uploadLocalHistory(by: .worker(attempt.worker), worker: attempt.worker) }
        world.deliver(request)
    }

    /// Applies the step's retry policy: a `retry.scheduled` after a backoff, or `run.failed`.
    func scheduleRetry(_ attempt: Attempt, failureClass: FailureClass, retryAfter: Span?) {
        attempts[attempt.id] = nil
        let policy = retryPolicy(for: attempt.stepIndex)
        let decision = policy.decide(after: failureClass, attemptsSoFar: invocation?.attempts ?? 0,
                                     elapsed: now.since(invocation?.start ?? now), retryAfter: retryAfter)
        switch decision {
        case .giveUp(let reason):
            giveUpAfterSettling(attempt, reason: reason)
        case .retry(let policyWait):
            let (wait, extra) = measuredRetryWait(policyWait, policy: policy, retryAfter: retryAfter)
            runState = .backoff(stepIndex: attempt.stepIndex, preferredWorker: attempt.worker)
            record(.retryScheduled, actor: .runtime) { t in
                t.worker = attempt.worker.rawValue
                t.step = self.step(attempt.stepIndex).id.rawValue
                t.attempt = attempt.number + 1
                t.failureClass = failureClass
                t.notes.append(.init("backoff", policyWait.description))
                t.addNotes(extra)
                t.addNotes(self.runtimeAttemptNotes((self.invocation?.attempts ?? 0) + 1, activity: attempt.activityID))
            }
            world.queue.schedule(.retryStep, at: now.advanced(by: wait))
        }
    }

    /// Gives the step up, but reconciles first: a mutation whose outcome is unknown may have
    /// happened, and then the step is done and the run goes on (waiting first while an earlier
    /// call may still land). Otherwise the run fails.
    private func giveUpAfterSettling(_ attempt: consuming Attempt, reason: String) {
        guard let ticket = attempt.ticket, ticket.request.mutating,
              let start = world.engine({ () throws(RecoveryStoreError) in try recovery.continueAction(ticket, at: now) }) else {
            if world.takeStoreWait() {
                attempts[attempt.id] = attempt
                runState = .running(attempt: attempt.id)
                againWhenStoreIsBack(attempt.id, .giveUp(reason: reason))
                return
            }
            failRun(reason: reason, attempt: attempt)
            return
        }
        switch take(start, into: &attempt) {
        case .ready where attempt.skipCall:
            attempts[attempt.id] = attempt
            runState = .running(attempt: attempt.id)
            world.queue.schedule(.phase(attempt: attempt.id, .commit), at: now)
        case .waiting(let until):
            attempts[attempt.id] = attempt
            runState = .running(attempt: attempt.id)
            world.queue.schedule(.phase(attempt: attempt.id, .giveUp(reason: reason)), at: until)
        case .parked(let recoveryCase, let request):
            park(attempt, on: recoveryCase, request)
        case .lookupRefused:
            // Lookups kept failing until the policy gave up: the action may have happened, so an
            // operator is asked rather than the run failed.
            guard let ticket = attempt.ticket,
                  let verdict = world.engine({ () throws(RecoveryStoreError) in try recovery.escalateUnknownOutcome(ticket, at: now) }),
                  case .parked(let recoveryCase, let request)? = verdict else {
                failRun(reason: reason, attempt: attempt)
                return
            }
            park(attempt, on: recoveryCase, request)
        case .ready, .stopped:
            failRun(reason: reason, attempt: attempt)
        }
    }

    private func checkpoint(_ attempt: Attempt) {
        let stepName = scenario.workflow.steps[attempt.stepIndex].id.rawValue
        record(.stepCompleted, actor: .worker(attempt.worker)) { t in
            t.worker = attempt.worker.rawValue
            t.step = stepName
            t.attempt = attempt.number
            t.addNotes(self.runtimeAttemptNotes(attempt.runtimeAttempt, activity: attempt.activityID))
            // Format 2 says why a re-run step made no call: the ledger already held its effect.
            if attempt.skipCall && self.scenario.runtime.model.measured { t.notes.append(.init("ledger", "already-committed")) }
        }
        let saved = SavedCheckpoint(stepIndex: attempt.stepIndex, id: checkpointName(after: attempt.stepIndex))
        checkpoint = saved
        keep(saved)
        record(.checkpointSaved, actor: .runtime) { t in
            t.worker = attempt.worker.rawValue
            t.step = stepName
            t.checkpoint = self.checkpointID
            t.addNotes(self.checkpointNotes(saved))
        }
        afterPoint(.afterCheckpoint, attempt, then: .next)
    }

    private func finish(_ attempt: Attempt) {
        attempts[attempt.id] = nil
        let nextStep = attempt.stepIndex + 1
        // A Temporal workflow task schedules what follows; a dead sticky worker delays it (format 2).
        if measuredTemporal && waitsOnStickyQueue(then: .next(stepIndex: nextStep)) { return }
        if nextStep < scenario.workflow.steps.count {
            beginAttempt(stepIndex: nextStep, on: attempt.worker)
        } else {
            completeRun()
        }
    }

    /// Handles the attempt's phase again once the shared store is back (the engine made it wait).
    private func againWhenStoreIsBack(_ id: Int, _ phase: AttemptPhase) {
        world.callAgainWhenStoreIsBack(byWorker: true) { [unowned self] in self.world.queue.schedule(.phase(attempt: id, phase), at: self.now) }
    }

    /// Fires the faults at `point` of this attempt, then moves to the next phase (held if the worker froze).
    /// Always inlined, so the caller's phase is built in the queued event: called, the phase was
    /// lent and copied into the event through the enum's value witness (624 phases of a cold
    /// `run`), even when taken `consuming`, which the optimizer turned back into a loan.
    @inline(__always)
    private func afterPoint(_ point: StepPoint, _ attempt: Attempt, then next: consuming AttemptPhase) {
        strike(point, attempt)
        world.queue.schedule(.phase(attempt: attempt.id, next), at: now)
    }

    // MARK: Zombies

    /// A worker declared lost came back and carries on with an attempt the runtime has moved on from.
    private func zombie(_ attempt: Attempt, _ phase: AttemptPhase) {
        let spec = step(attempt.stepIndex)
        switch phase {
        case .call:
            guard let ticket = attempt.ticket else { fallthrough }
            guard let authorization = world.engine({ () throws(RecoveryStoreError) in try recovery.clearForSend(ticket, at: now) })
            else { return }
            switch authorization {
            case .fenced:
                attempts[attempt.id] = nil
            case .allowed:
                // Only a broken fence lets a zombie through; the invariant checker will say so.
                var copy = attempt
                sendCall(&copy, lease: ticket.lease)
            }
        default:
            attempts[attempt.id] = nil
            record(.resultDiscarded, actor: .runtime) { t in
                t.worker = attempt.worker.rawValue
                t.step = spec.id.rawValue
                t.attempt = attempt.number
                t.reason = "worker-declared-lost"
            }
        }
    }
}

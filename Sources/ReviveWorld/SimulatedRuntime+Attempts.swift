import Revive
import ReviveVocabulary

/// Step attempts: lease, ledger, call, answer, checkpoint, with fault points between phases.
extension SimulatedRuntime {
    /// Most immediate re-calls (after a refresh or a lease reload) in one attempt.
    static let immediateRetryLimit = 3

    func dispatchPhase(_ id: Int, _ phase: AttemptPhase) {
        guard let attempt = attempts[id] else { return }
        // The provider works whatever state the worker is in; everything else waits for a frozen worker.
        if case .providerDone = phase {
            providerDone(attempt)
            return
        }
        if workers[attempt.worker]?.frozen == true {
            workers[attempt.worker]!.held.append(.phase(attempt: id, phase))
            return
        }
        guard runState == .running(attempt: id) else {
            zombie(attempt, phase)
            return
        }
        switch phase {
        case .begin: begin(attempt)
        case .call: call(attempt)
        case .providerDone: break
        case .workDone: afterPoint(.afterEffect, attempt, then: .commit)
        case .answer(let signal): answer(attempt, failure: signal)
        case .timeout: finishCall(attempt, .noAnswer)
        case .commit: afterPoint(.afterCommit, attempt, then: .checkpoint)
        case .checkpoint: checkpoint(attempt)
        case .next: finish(attempt)
        }
    }

    private func begin(_ attempt: Attempt) {
        var attempt = attempt
        let spec = step(attempt.stepIndex)
        record(.stepStarted, actor: .worker(attempt.worker)) { t in
            t.worker = attempt.worker.rawValue
            t.step = spec.id.rawValue
            t.attempt = attempt.number
            t.checkpoint = self.checkpointID
        }
        if spec.connection != nil { beginAction(&attempt) }
        attempts[attempt.id] = attempt
        afterPoint(.beforeCall, attempt, then: attempt.skipCall ? .commit : .call)
    }

    private func call(_ attempt: Attempt) {
        var attempt = attempt
        let spec = step(attempt.stepIndex)
        guard let ticket = attempt.ticket else {
            world.queue.schedule(.phase(attempt: attempt.id, .workDone), at: now.advanced(by: spec.duration))
            return
        }
        guard let authorization = world.engine({ () throws(RecoveryStoreError) in try recovery.clearForSend(ticket, at: now) })
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
            beginAction(&attempt)
            attempts[attempt.id] = attempt
            world.queue.schedule(.phase(attempt: attempt.id, attempt.skipCall ? .commit : .call), at: now)
            return
        case .allowed:
            break
        }
        sendCall(&attempt, lease: ticket.lease)
    }

    /// Begins the step's action through the engine's public action API: a lease, and for a
    /// mutation the ledger's word (call, look the key up first, or already done).
    private func beginAction(_ attempt: inout Attempt) {
        let spec = step(attempt.stepIndex)
        guard let connection = spec.connection else { return }
        let request = ActionRequest(run: runID, action: spec.id, attempt: attempt.number,
                                    worker: attempt.worker, checkpoint: checkpointID,
                                    connection: connection, mutating: spec.effect == .mutation)
        guard var start = world.engine({ () throws(RecoveryStoreError) in try recovery.beginAction(request, at: now) }) else { return }
        if case .lookUp(let ticket) = start {
            // The lookup by idempotency key: does the provider hold the effect?
            let answer: ReconcileAnswer = provider.hasEffect(key: ticket.idempotencyKey) ? .committed : .absent
            guard let looked = world.engine({ () throws(RecoveryStoreError) in try recovery.recordLookup(answer, for: ticket, at: now) })
            else { return }
            start = looked
        }
        switch start {
        case .call(let ticket), .lookUp(let ticket):
            attempt.ticket = ticket
            attempt.skipCall = false
        case .alreadyDone(let ticket):
            attempt.ticket = ticket
            attempt.skipCall = true
        }
    }

    /// Records the call leaving the worker and schedules the provider's side of it.
    func sendCall(_ attempt: inout Attempt, lease: Lease) {
        let spec = step(attempt.stepIndex)
        record(.providerCalled, actor: .worker(attempt.worker)) { t in
            t.worker = attempt.worker.rawValue
            t.step = spec.id.rawValue
            t.attempt = attempt.number
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.lease = lease.id.rawValue
            t.key = attempt.key?.rawValue
        }
        attempt.sentAt = now
        attempts[attempt.id] = attempt
        if provider.takesDrop(lease.connection) {
            world.queue.schedule(.phase(attempt: attempt.id, .timeout), at: now.advanced(by: scenario.runtime.callTimeout))
        } else {
            world.queue.schedule(.phase(attempt: attempt.id, .providerDone), at: now.advanced(by: spec.duration))
        }
    }

    private func providerDone(_ attempt: Attempt) {
        let spec = step(attempt.stepIndex)
        guard let lease = attempt.lease else { return }
        if provider.takesRefreshElsewhere(lease.connection) {
            // Another worker's refresh lands first: the token pair this call carries is replaced.
            guard let rotated = world.engine({ () throws(RecoveryStoreError) in
                try recovery.recordRefreshElsewhere(of: lease.connection, by: "another-worker", run: runID, at: now)
            }) else { return }
            provider.rotateTokens(lease.connection, to: rotated.value)
        }
        let outcome = provider.handleCall(connection: lease.connection, step: spec.id, attempt: attempt.number,
                                          run: runID, key: attempt.key, mutates: spec.effect == .mutation,
                                          generation: lease.generation.value, at: now)
        switch outcome {
        case .failed(let signal):
            world.queue.schedule(.phase(attempt: attempt.id, .answer(signal)), at: now)
        case .answerLost:
            stepPoints?.strike(.afterEffect, attempt)
            world.queue.schedule(.phase(attempt: attempt.id, .timeout), at: attempt.sentAt.advanced(by: scenario.runtime.callTimeout))
        case .answered:
            stepPoints?.strike(.afterEffect, attempt)
            if provider.takesLoss(lease.connection) {
                // A lose-response struck at this very point: the answer is in flight and never lands.
                world.queue.schedule(.phase(attempt: attempt.id, .timeout), at: attempt.sentAt.advanced(by: scenario.runtime.callTimeout))
            } else {
                world.queue.schedule(.phase(attempt: attempt.id, .answer(nil)), at: now)
            }
        }
    }

    private func answer(_ attempt: Attempt, failure: ProviderSignal?) {
        guard let signal = failure else {
            finishCall(attempt, .succeeded)
            return
        }
        provider.prepareRefresh(at: now, run: runID, step: step(attempt.stepIndex).id, attempt: attempt.number)
        finishCall(attempt, .failed(signal))
    }

    /// Finishes the call through the engine's public action API and acts on its verdict.
    private func finishCall(_ attempt: Attempt, _ outcome: ActionOutcome) {
        guard let ticket = attempt.ticket else { return }
        var attempt = attempt
        guard let verdict = world.engine({ () throws(RecoveryStoreError) in try recovery.finishAction(ticket, outcome, at: now) })
        else { return }
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
            attempts[attempt.id] = nil
            runState = .parked(recoveryCase.id)
            world.deliver(request)
        }
    }

    /// Applies the step's retry policy: a `retry.scheduled` after a backoff, or `run.failed`.
    private func scheduleRetry(_ attempt: Attempt, failureClass: FailureClass, retryAfter: Span?) {
        attempts[attempt.id] = nil
        let policy = retryPolicy(for: attempt.stepIndex)
        let decision = policy.decide(after: failureClass, attemptsSoFar: invocation?.attempts ?? 0,
                                     elapsed: now.since(invocation?.start ?? now), retryAfter: retryAfter)
        switch decision {
        case .giveUp(let reason):
            failRun(reason: reason, attempt: attempt)
        case .retry(let wait):
            runState = .backoff(stepIndex: attempt.stepIndex, preferredWorker: attempt.worker)
            record(.retryScheduled, actor: .runtime) { t in
                t.worker = attempt.worker.rawValue
                t.step = self.step(attempt.stepIndex).id.rawValue
                t.attempt = attempt.number + 1
                t.failureClass = failureClass
                t.notes.append(.init("backoff", wait.description))
            }
            world.queue.schedule(.retryStep, at: now.advanced(by: wait))
        }
    }

    /// The step's retry policy: step over connection over workflow over runtime over Temporal's defaults.
    func retryPolicy(for stepIndex: Int) -> RetryPolicy {
        let spec = step(stepIndex)
        let connection = spec.connection.flatMap { id in scenario.connections.first(where: { $0.id == id }) }
        let layers = [spec.retry, connection?.retry, scenario.workflow.retry, scenario.runtime.retry].compactMap { $0 }
        var policy = layers.reduce(RetryPolicy()) { merged, broader in merged.merged(over: broader) }
        if world.mode == .withoutRevive, (policy.maxAttempts ?? 0) == 0 {
            // The baseline retries blindly; a cap keeps its timeline readable.
            policy.maxAttempts = NaiveIntegration.retryCap
        }
        return policy
    }

    private func checkpoint(_ attempt: Attempt) {
        let spec = step(attempt.stepIndex)
        record(.stepCompleted, actor: .worker(attempt.worker)) { t in
            t.worker = attempt.worker.rawValue
            t.step = spec.id.rawValue
            t.attempt = attempt.number
        }
        checkpoint = SavedCheckpoint(stepIndex: attempt.stepIndex, id: checkpointName(after: attempt.stepIndex))
        record(.checkpointSaved, actor: .runtime) { t in
            t.worker = attempt.worker.rawValue
            t.step = spec.id.rawValue
            t.checkpoint = self.checkpointID
        }
        afterPoint(.afterCheckpoint, attempt, then: .next)
    }

    func checkpointName(after stepIndex: Int) -> String {
        let number = String(stepIndex + 1)
        return "ckpt-" + String(repeating: "0", count: max(0, 4 - number.count)) + number
    }

    private func finish(_ attempt: Attempt) {
        attempts[attempt.id] = nil
        let nextStep = attempt.stepIndex + 1
        if nextStep < scenario.workflow.steps.count {
            beginAttempt(stepIndex: nextStep, on: attempt.worker)
        } else {
            completeRun()
        }
    }

    /// Fires the faults at `point` of this attempt, then moves to the next phase (held if the worker froze).
    private func afterPoint(_ point: StepPoint, _ attempt: Attempt, then next: AttemptPhase) {
        stepPoints?.strike(point, attempt)
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

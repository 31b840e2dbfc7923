import Revive
import ReviveVocabulary

/// Workers: freezing (crash or stall), heartbeat deadlines, loss, return and new workers.
extension SimulatedRuntime {
    /// Freezes a worker: it stops heart-beating and acting. A stall thaws after `stall`; a crash waits for `revive-worker`.
    func freeze(_ name: WorkerID, stall: Span?) {
        guard var worker = workers[name] else { return }
        if worker.frozen {
            // Already frozen: a crash makes it permanent, a further stall changes nothing.
            if stall == nil { worker.crashed = true }
            workers[name] = worker
            return
        }
        worker.frozen = true
        anyWorkerFroze = true
        worker.crashed = stall == nil
        worker.epoch += 1
        worker.declaredLost = false
        workers[name] = worker
        // A killed process loses the checkpoints it had not written yet (format 2, LangGraph).
        if stall == nil { loseUnwrittenCheckpoints(of: name) }
        // A stall no longer than the heartbeat timeout is a pause: the thaw is queued first.
        if let stall { world.queue.schedule(.stallEnds(worker: name, epoch: worker.epoch), at: now.advanced(by: stall)) }
        if measuredTemporal {
            // Temporal times out the activity the worker runs, if any (its own deadline rule).
            if case .running(let id) = runState, let attempt = attempts[id], attempt.worker == name { workerFroze(during: attempt) }
            return
        }
        world.queue.schedule(.heartbeatDeadline(worker: name, epoch: worker.epoch), at: now.advanced(by: scenario.runtime.heartbeatTimeout))
    }

    func heartbeatDeadline(_ name: WorkerID, epoch: Int) {
        guard var worker = workers[name], worker.frozen, worker.epoch == epoch, !worker.declaredLost else { return }
        if measuredLangGraph {
            leaseExpired(name)
            return
        }
        if measuredTemporal {
            activityTimedOut(name)
            return
        }
        worker.declaredLost = true
        workers[name] = worker
        record(.workerLost, actor: .runtime) { t in
            t.worker = name.rawValue
            t.notes.append(.init("silent-for", self.scenario.runtime.heartbeatTimeout.description))
        }
        let lostCases = world.engine { () throws(RecoveryStoreError) in try recovery.workerLost(name, at: now) } ?? []
        if case .parked(let caseID) = runState, lostCases.contains(caseID) {
            // The recovery context died with the worker: the runtime retries the step elsewhere, from scratch.
            moveRun(from: name, reason: "worker-lost")
            return
        }
        guard case .running(let id) = runState, let attempt = attempts[id], attempt.worker == name else { return }
        moveRun(from: name, reason: "worker-lost")
    }

    /// Gives up on the lost worker's part of the run and continues from the last checkpoint on a live worker.
    private func moveRun(from name: WorkerID, reason: String) {
        // The runtime gives up on the lost worker's attempt and continues from the last checkpoint.
        let stepIndex = checkpoint.map { $0.stepIndex + 1 } ?? 0
        guard let next = liveWorker() else {
            runState = .waitingForWorker(stepIndex: stepIndex)
            announceWaiting(reason: reason)
            return
        }
        record(.runRescheduled, actor: .runtime) { t in
            t.worker = next.rawValue
            t.checkpoint = self.checkpointID
            t.reason = reason
            t.notes.append(.init("from", name.rawValue))
            if stepIndex < self.scenario.workflow.steps.count { t.step = self.step(stepIndex).id.rawValue }
        }
        if stepIndex < scenario.workflow.steps.count {
            beginAttempt(stepIndex: stepIndex, on: next)
        } else {
            completeRun()
        }
    }

    func stallEnds(_ name: WorkerID, epoch: Int) {
        guard let worker = workers[name], worker.frozen, worker.epoch == epoch else { return }
        thaw(name)
    }

    /// Brings a frozen worker back; it carries on with whatever it held.
    func thaw(_ name: WorkerID) {
        guard var worker = workers[name], worker.frozen else { return }
        let held = worker.held
        let wasDeclaredLost = worker.declaredLost
        worker.frozen = false
        worker.crashed = false
        worker.declaredLost = false
        worker.held = []
        workers[name] = worker
        record(.workerReturned, actor: .worker(name)) { t in
            t.worker = name.rawValue
            t.notes.append(.init("declared-lost", wasDeclaredLost ? "yes" : "no"))
        }
        for event in held { world.queue.schedule(event, at: now) }
        world.queue.schedule(.workerAvailable, at: now)
    }

    /// A new worker process comes online (replacing any frozen one of the same name, with nothing held).
    func startWorker(_ name: WorkerID) {
        if let existing = workers[name], existing.isLive {
            record(.eventSkipped, actor: .runtime) { t in
                t.worker = name.rawValue
                t.reason = "worker-already-running"
            }
            return
        }
        var worker = workers[name] ?? WorkerState(name: name)
        if workers[name] == nil { workerOrder.append(name) }
        worker.frozen = false
        worker.crashed = false
        worker.declaredLost = false
        worker.held = []
        worker.epoch += 1
        workers[name] = worker
        record(.workerStarted, actor: .runtime) { t in t.worker = name.rawValue }
        world.queue.schedule(.workerAvailable, at: now)
    }
}

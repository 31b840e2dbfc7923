import Revive
import ReviveVocabulary

/// The lab's process killed at a kill point and started again (`explore --kill`).
///
/// The provider and the runtime are other systems: they outlive the lab's process and keep
/// their state. The lab's own part (the engine, the workers it ran, the owners' pending clicks)
/// dies: the restarted process builds a new engine over the durable store, its fresh workers
/// replace the dead ones, the engine's restart sweep finishes what the dead process left half
/// way, and whoever was calling from outside (an owner's reconnect, an operator, a timer, the
/// runtime's own bookkeeping) gets no answer and tries again.
extension Player {
    /// Restarts the world's lab process after the kill that `event`'s handling ran into.
    func restartAfterKill(during event: SimEvent) {
        guard let reopen = world.reopenAfterKill, let killSwitch = world.killSwitch else { return }
        let point = killSwitch.point
        let journal = (world.recovery as? RecoveryEngine)?.fallback
        world.processKilled = false
        world.killSwitch = nil
        world.reopenAfterKill = nil
        let restart: Restart
        do { restart = try reopen() } catch {
            world.fail(error)
            return
        }
        timeline.muted = false
        if let saved = runtimeAtKill { runtime.restore(saved) }
        // A drain's decision also holds the journaled lines, recorded when they were journaled.
        for transition in restart.committedAtKill
        where transition.name == .storeDrained || !transition.notes.contains(where: { $0.name == "journal" }) {
            timeline.record(transition)
        }
        // The dead workers' calls died with them; an outside caller waiting for the store calls again.
        world.whenStoreBack.removeAll { $0.byWorker }
        runtime.record(.faultInjected, actor: .lab) { t in
            t.notes.append(.init("fault", "kill-process"))
            t.notes.append(.init("decision", String(point.decision)))
            t.notes.append(.init("commit", point.afterCommit ? "after" : "before"))
        }
        world.storeOutage?.inner = restart.store
        let fallback = journal.map { fallbackAfterRestart($0, durable: killSwitch.inner, committedAtKill: restart.committedAtKill) }
        world.recovery = RecoveryEngine(configuration: scenario.recovery, store: world.storeOutage ?? restart.store, ids: world.ids,
                                        broker: provider, recorder: timeline, fallback: fallback)
        runtime.processKilled(restart: 1)
        guard let work = world.engine({ () throws(RecoveryStoreError) in try recovery.recoverAfterRestart(at: now) }) else { return }
        // The durable cases are the truth about the run: one waiting for its owner is parked
        // there, whatever the dead process was doing; one verified is resumed now.
        for request in work.requests {
            world.deliver(request)
            runtime.park(on: request.caseID)
        }
        for resume in work.resumes {
            runtime.park(on: resume.caseID)
            runtime.resumePoint = (resume.run, resume.checkpoint)
            runtime.resume(after: resume.caseID)
        }
        retryUnanswered(event)
    }

    /// A caller outside the lab's process whose call the kill left unanswered calls again; a
    /// worker's call died with the worker (the runtime moves its work on).
    private func retryUnanswered(_ event: SimEvent) {
        switch event {
        case .scenarioEvent, .heal, .reminderDue, .capabilityExpiry, .retryStep, .workerAvailable, .startRun, .storeBack, .runtimeBack:
            world.queue.schedule(event, at: now)
        case .heartbeatDeadline(let worker, _):
            // The runtime noticed the loss, but what it does about it (tell Revive, move the run)
            // was cut short: it handles the loss again.
            runtime.forgetLoss(of: worker)
            world.queue.schedule(event, at: now)
        case .phase, .providerLands, .timedFault, .stallEnds, .stickyTimeout:
            break
        }
    }
}

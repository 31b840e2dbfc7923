import Revive
import ReviveVocabulary

/// `runtime-unavailable`: the runtime's durable engine cannot be reached (the seeds' "Revo"
/// behaviour, an engine on Temporal with a local fallback; neither Temporal nor LangGraph does
/// this by itself). The worker runs reads and local steps on, keeping their history locally
/// (`local=N` on each line, from `runtime.unavailable`); a mutating step, and the run's
/// completion, wait for the durable side, because an intent held only in a local journal is
/// invisible to every other host. On the first step after the engine returns the worker switches
/// back and uploads that history (`runtime.uploaded`).
extension SimulatedRuntime {
    /// The durable engine goes away for `lasting`.
    func loseDurableEngine(for lasting: Span) {
        let until = now.advanced(by: lasting)
        durableBackAt = max(durableBackAt ?? until, until)
        world.queue.schedule(.runtimeBack, at: until)
    }

    /// Whether the durable engine cannot be reached now.
    var durableEngineAway: Bool { durableBackAt.map { now < $0 } ?? false }

    /// Marks a runtime or worker line kept in the worker's local history (starting it with
    /// `runtime.unavailable` when it is the first); nothing while the durable engine is there.
    func keepLocally(_ transition: inout Transition) {
        guard localHistory != nil || durableEngineAway else { return }
        switch transition.actor {
        case .worker: break
        case .runtime:
            // The runtime's own bookkeeping, once its engine is back, is durable: the host's local
            // history is uploaded first (a worker that died holding it cannot switch back itself).
            if !durableEngineAway {
                uploadLocalHistory(by: .runtime, worker: nil)
                return
            }
        default: return
        }
        // A dead process records nothing (`explore --kill`), so it numbers nothing either.
        guard !world.timeline.muted else { return }
        if localHistory == nil {
            localHistory = (first: localNext, worker: transition.worker)
            var opening = Transition(time: now, actor: transition.actor, name: .runtimeUnavailable)
            writing(&opening) { opening in
                opening.run = runID.rawValue
                opening.worker = transition.worker
                opening.reason = "durable-engine-unreachable"
                opening.notes.append(.init("local", String(localNext)))
                localNext += 1
            }
            world.timeline.record(consume opening)
        }
        transition.notes.append(.init("local", String(localNext)))
        localNext += 1
    }

    /// Before a step begins (or the run completes, `stepIndex` past the last step): while the
    /// durable engine is away a mutating step waits for it (true); once it is back, the worker
    /// switches back and uploads its local history first.
    func holdForDurableEngine(stepIndex: Int, on worker: WorkerID) -> Bool {
        guard durableEngineAway else {
            uploadLocalHistory(by: .worker(worker), worker: worker)
            return false
        }
        let completes = stepIndex >= scenario.workflow.steps.count
        guard completes || step(stepIndex).effect == .mutation else { return false }
        runState = .waitingForRuntime(stepIndex: stepIndex, worker: worker)
        record(.runtimeWaiting, actor: .worker(worker)) { t in
            t.worker = worker.rawValue
            if !completes { t.step = self.step(stepIndex).id.rawValue }
            t.reason = completes ? "run-completion" : "mutating-step"
            t.checkpoint = self.checkpointID
        }
        return true
    }

    /// The durable engine answers again: a run waiting for it switches back now; one running
    /// locally switches back on its next step.
    func durableEngineReturned() {
        guard !durableEngineAway else { return }
        guard case .waitingForRuntime(let stepIndex, let waiting) = runState else {
            // A run with no attempt in flight (parked, backing off, waiting for a worker, over)
            // has no next step to switch back on: its worker syncs now. One mid-step switches at its next step.
            if case .running = runState { return }
            uploadLocalHistory(by: .runtime, worker: nil)
            return
        }
        let worker = liveWorker(preferring: waiting) ?? waiting
        if stepIndex < scenario.workflow.steps.count {
            beginAttempt(stepIndex: stepIndex, on: worker)
        } else {
            uploadLocalHistory(by: .worker(worker), worker: worker)
            completeRun()
        }
    }

    /// Switches back to the durable engine: uploads the history kept locally, in order.
    func uploadLocalHistory(by actor: Actor, worker: WorkerID?) {
        guard let kept = localHistory, !world.timeline.muted else { return }
        localHistory = nil
        let last = localNext - 1
        record(.runtimeUploaded, actor: actor) { t in
            t.worker = worker?.rawValue
            t.notes.append(.init("local", kept.first == last ? "\(last)" : "\(kept.first)-\(last)"))
            t.notes.append(.init("transitions", String(last - kept.first + 1)))
        }
    }
}

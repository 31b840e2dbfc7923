import Revive
import ReviveVocabulary

/// The lab's process killed (`explore --kill`): its workers die with it.
extension SimulatedRuntime {
    /// Every worker the killed process ran dies, for good (the runtime notices at its heartbeat
    /// timeout, as for any crash); the restarted process brings up a fresh worker for each one that
    /// was running, under a new name, so the runtime can move the run to it.
    func processKilled(restart number: Int) {
        for name in workerOrder {
            guard var worker = workers[name], !worker.gone else { continue }
            let wasRunning = worker.isLive
            freeze(name, stall: nil)
            worker = workers[name] ?? worker
            worker.gone = true
            workers[name] = worker
            if wasRunning { startWorker(WorkerID("\(name.rawValue)-r\(number)")) }
        }
    }

    /// The runtime's own state at an instant: the runtime is another system, so what the lab's
    /// dead process would still have done to it after the kill must not stick.
    struct SavedState {
        let runState: RunState
        let attempts: IDTable<Attempt>
        let checkpoint: SavedCheckpoint?
        let runID: RunID
    }

    func saveState() -> SavedState { SavedState(runState: runState, attempts: attempts, checkpoint: checkpoint, runID: runID) }

    /// The state at the kill: the runtime's own, with the attempts the dead worker had already
    /// dropped from its books while handling the event put back (its report never reached the
    /// runtime, which still counts the attempt as running on that worker).
    func saveState(keeping before: SavedState?) -> SavedState {
        let kept = before.map { attempts.merging($0.attempts) } ?? attempts
        return SavedState(runState: runState, attempts: kept, checkpoint: checkpoint, runID: runID)
    }

    func restore(_ saved: SavedState) {
        runState = saved.runState
        attempts = saved.attempts
        checkpoint = saved.checkpoint
        runID = saved.runID
        resumePoint = nil
    }

    /// Undoes a loss the runtime had declared when the kill cut its handling short, so that it
    /// handles it again.
    func forgetLoss(of name: WorkerID) {
        workers.update(name) { $0.declaredLost = false }
    }

    /// The run is parked on `caseID`, as its durable case says: whatever attempt the dead process
    /// was making is gone with its workers.
    func park(on caseID: CaseID) {
        attempts.removeAll()
        runState = .parked(caseID)
    }
}

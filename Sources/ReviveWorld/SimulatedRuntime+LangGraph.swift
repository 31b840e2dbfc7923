import Revive
import ReviveVocabulary

/// LangGraph as measured (format 2): the input and START checkpoints, durability (what a crash
/// loses), no liveness of its own (Revive's lease expiry notices a lost worker and asks a live one
/// to `invoke(None)` the thread), and a node whose retries gave up leaving the thread resumable.
extension SimulatedRuntime {
    /// Whether the run plays LangGraph as measured.
    var measuredLangGraph: Bool { scenario.runtime.kind == .langgraph && scenario.runtime.model.measured }

    /// The input checkpoint (step -1) and the START checkpoint (step 0) that come before the first node.
    func saveOpeningCheckpoints(on worker: WorkerID) {
        guard measuredLangGraph else { return }
        let input = SavedCheckpoint(stepIndex: -1, id: "ckpt-input", source: "input")
        let start = SavedCheckpoint(stepIndex: -1, id: checkpointName(after: -1))
        for saved in [input, start] {
            checkpoint = saved
            keep(saved)
            record(.checkpointSaved, actor: .runtime) { t in
                t.worker = worker.rawValue
                t.checkpoint = saved.id
                t.addNotes(self.checkpointNotes(saved))
            }
        }
    }

    /// Remembers a saved checkpoint; until the graph exits it is not surely on disk. The input
    /// checkpoint is: the lab always keeps the thread's input.
    func keep(_ saved: SavedCheckpoint) {
        guard measuredLangGraph else { return }
        savedCheckpoints.append(saved)
        if saved.source != "input" { unwritten += 1 }
    }

    /// LangGraph's own words for a checkpoint: its superstep and source.
    func checkpointNotes(_ saved: SavedCheckpoint) -> [Transition.Note] {
        guard measuredLangGraph else { return [] }
        return [.init("superstep", String(saved.superstep)), .init("source", saved.source)]
    }

    /// Whether the run is executing in `worker`'s process: an attempt, or a retry's backoff (a
    /// LangGraph node retries inside its process).
    func runInFlight(on worker: WorkerID) -> Bool {
        switch runState {
        case .running(let id): return attempts[id]?.worker == worker
        case .backoff(_, let preferred): return preferred == worker
        default: return false
        }
    }

    /// A killed process loses the checkpoints it had not written, by the documented rule: `sync`
    /// loses none, `exit` every one since the graph last exited, `async` the newest one or two
    /// (drawn from the seed; never more than were unwritten). The run goes on from the newest
    /// checkpoint that survived.
    func loseUnwrittenCheckpoints(of worker: WorkerID) {
        guard measuredLangGraph, unwritten > 0, runInFlight(on: worker) else { return }
        let durability = scenario.runtime.model.durability
        let count: Int
        switch durability {
        case .sync: count = 0
        case .exit: count = unwritten
        case .async: count = min(unwritten, 1 + Int(draws.next() % 2))
        }
        unwritten = 0
        guard count > 0 else { return }
        let lost = savedCheckpoints.suffix(count)
        savedCheckpoints.removeLast(count)
        checkpoint = savedCheckpoints.last
        for saved in lost.reversed() {
            record(.checkpointLost, actor: .runtime) { t in
                t.worker = worker.rawValue
                if saved.stepIndex >= 0 { t.step = self.step(saved.stepIndex).id.rawValue }
                t.checkpoint = saved.id
                t.reason = "crash-before-write"
                t.addNotes(self.checkpointNotes(saved))
                t.notes.append(.init("durability", durability.rawValue))
            }
        }
    }

    /// Revive's lease on the in-flight attempt lapsed without a heartbeat: Revive records the loss
    /// and asks a live worker to `invoke(None)` the thread. Without Revive nothing notices, and a
    /// parked thread needs no noticing (its case is durable; whoever answers the reconnect resumes it).
    func leaseExpired(_ name: WorkerID) {
        guard world.mode == .revive, runInFlight(on: name) else { return }
        workers.update(name) { $0.declaredLost = true }
        record(.workerLost, actor: .revive) { t in
            t.worker = name.rawValue
            t.reason = "lease-expired"
            t.notes.append(.init("silent-for", self.scenario.runtime.heartbeatTimeout.description))
        }
        _ = world.engine { () throws(RecoveryStoreError) in try recovery.workerLost(name, at: now) }
        invokeNone(reason: "lease-expired", from: name, by: .revive)
    }

    /// Someone calls `invoke(None)` on the thread: a running worker runs it on from its newest
    /// checkpoint, the node's attempts counted afresh.
    func invokeNone(reason: String, from lost: WorkerID?, by actor: Actor) {
        let stepIndex = checkpoint.map { $0.stepIndex + 1 } ?? 0
        resetInvocation()
        unwritten = 0
        guard let next = liveWorker() else {
            runState = .waitingForWorker(stepIndex: stepIndex)
            announceWaiting(reason: "no-live-worker")
            return
        }
        record(.runRescheduled, actor: actor) { t in
            t.worker = next.rawValue
            t.checkpoint = self.checkpointID
            t.reason = reason
            if let lost { t.notes.append(.init("from", lost.rawValue)) }
            t.notes.append(.init("via", "invoke(None)"))
            if stepIndex < self.scenario.workflow.steps.count { t.step = self.step(stepIndex).id.rawValue }
        }
        if stepIndex < scenario.workflow.steps.count {
            beginAttempt(stepIndex: stepIndex, on: next)
        } else {
            completeRun()
        }
    }

    /// The node's retries gave up: the error stays on the task and the thread waits, resumable,
    /// for `invoke(None)` (LangGraph does not end the thread).
    func threadGaveUp(reason: String, attempt: Attempt) {
        runState = .gaveUp(stepIndex: attempt.stepIndex)
        // An error exits the graph: its checkpoints are written.
        unwritten = 0
        if let ticket = attempt.ticket { _ = world.engine { () throws(RecoveryStoreError) in try recovery.abandonAction(ticket, at: now) } }
        let noPolicy = (layeredRetry(for: attempt.stepIndex).map { _ in false } ?? true) && reason.hasPrefix("maxAttempts 1 ")
        record(.runWaiting, actor: .runtime) { t in
            t.step = self.step(attempt.stepIndex).id.rawValue
            t.attempt = attempt.number
            t.checkpoint = self.checkpointID
            t.reason = noPolicy ? "no RetryPolicy on the node" : reason
            t.addNotes(self.runtimeAttemptNotes(attempt.runtimeAttempt, activity: attempt.activityID))
            t.notes.append(.init("resume-with", "invoke(None)"))
        }
    }

    /// The `resume-thread` event: someone (an operator, a cron) calls `invoke(None)`. It runs a
    /// thread that gave up, or one whose process died in flight; anything else is skipped.
    func resumeThread() {
        var stuckOn: WorkerID?
        switch runState {
        case .gaveUp, .waitingForWorker: break
        case .running(let id):
            guard let attempt = attempts[id], workers[attempt.worker]?.frozen == true else { return skipResume() }
            stuckOn = attempt.worker
        case .backoff(_, let preferred):
            guard workers[preferred]?.frozen == true else { return skipResume() }
            stuckOn = preferred
        default:
            return skipResume()
        }
        invokeNone(reason: "invoke(None)", from: stuckOn, by: .operator)
    }

    private func skipResume() {
        record(.eventSkipped, actor: .operator) { t in t.reason = "thread-not-resumable" }
    }
}

extension SimulatedRuntime {
    /// The id of the checkpoint saved after step `stepIndex`: `ckpt-` and the step's number,
    /// at least four digits.
    func checkpointName(after stepIndex: Int) -> String {
        let number = stepIndex + 1
        // Spelled once per process for the workflows the lab plays: joining three strings cost
        // some thousand instructions on every checkpoint of every play (and on every step a
        // resume looks its checkpoint up in).
        if SimulatedRuntime.checkpointNames.indices.contains(number) { return SimulatedRuntime.checkpointNames[number] }
        return SimulatedRuntime.spellCheckpointName(number)
    }

    /// The names after steps -1 to 62, shared by every play: a literal, which the compiler lays
    /// down as constants, where spelling them at the first checkpoint of every process cost some
    /// seventy thousand instructions (`ColdStartWorldTests` holds it to `spellCheckpointName`).
    static let checkpointNames: [String] = [
        "ckpt-0000", "ckpt-0001", "ckpt-0002", "ckpt-0003", "ckpt-0004", "ckpt-0005", "ckpt-0006", "ckpt-0007",
        "ckpt-0008", "ckpt-0009", "ckpt-0010", "ckpt-0011", "ckpt-0012", "ckpt-0013", "ckpt-0014", "ckpt-0015",
        "ckpt-0016", "ckpt-0017", "ckpt-0018", "ckpt-0019", "ckpt-0020", "ckpt-0021", "ckpt-0022", "ckpt-0023",
        "ckpt-0024", "ckpt-0025", "ckpt-0026", "ckpt-0027", "ckpt-0028", "ckpt-0029", "ckpt-0030", "ckpt-0031",
        "ckpt-0032", "ckpt-0033", "ckpt-0034", "ckpt-0035", "ckpt-0036", "ckpt-0037", "ckpt-0038", "ckpt-0039",
        "ckpt-0040", "ckpt-0041", "ckpt-0042", "ckpt-0043", "ckpt-0044", "ckpt-0045", "ckpt-0046", "ckpt-0047",
        "ckpt-0048", "ckpt-0049", "ckpt-0050", "ckpt-0051", "ckpt-0052", "ckpt-0053", "ckpt-0054", "ckpt-0055",
        "ckpt-0056", "ckpt-0057", "ckpt-0058", "ckpt-0059", "ckpt-0060", "ckpt-0061", "ckpt-0062", "ckpt-0063",
    ]

    static func spellCheckpointName(_ number: Int) -> String {
        let digits = String(number)
        return "ckpt-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

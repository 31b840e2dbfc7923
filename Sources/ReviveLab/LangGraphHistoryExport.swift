import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// `--format langgraph-history`: the thread's state history as `get_state_history` returns it,
/// written as JSON, oldest first (newest last, as in the recordings): per snapshot the checkpoint
/// id and its parent, `created_at`, `metadata.step` and `source`, `next`, the tasks with their
/// interrupts, and the pending writes. Checkpoints a crash lost (`checkpoint.lost`) are not in it,
/// as they are not in the saver. Under `durability="exit"` only the newest checkpoint at each exit
/// (an interrupt, an error, the end) is written, as measured (the three-node story: step 2 at the
/// pause, steps 2 and 3 at the end). A format-1 timeline gets the input and START snapshots it lacks.
enum LangGraphHistoryExport {
    /// The state history of one played scenario.
    static func render(_ result: ScenarioResult) -> String {
        var builder = Builder(scenario: result.scenario)
        builder.build(result.transitions)
        builder.writeAtExit(finished: false)
        return HistoryExport.text(.object([("thread_id", .string(result.scenario.workflow.run.rawValue)),
                                           ("history", .array(builder.snapshots()))]))
    }

    /// One checkpoint that survived, and what happened from it.
    struct Snapshot {
        let id: String
        let checkpoint: String
        let step: Int
        let source: String
        let time: Instant
        /// The node that runs from it (nil at the end).
        let next: String?
        let taskID: String
        var interrupt: JSONValue?
        var resume: JSONValue?
        var error: String?
        /// What the next node wrote once it completed.
        var writes: [JSONValue] = []
        /// In the saver (false: under exit durability, held in memory until the graph exits).
        var written = true
    }

    struct Builder {
        let scenario: Scenario
        var random: SeededRandom
        var saved: [Snapshot] = []
        var steps: [String] { scenario.workflow.steps.map(\.id.rawValue) }
        /// The pinned identity and provider per connection, for the interrupt's payload.
        var pins: [String: (provider: String, tenant: String)] = [:]

        init(scenario: Scenario) {
            self.scenario = scenario
            random = SeededRandom(seed: scenario.seed ^ 0x1A96_2A9B_5EED)
        }

        mutating func build(_ ts: [Transition]) {
            for t in ts { take(t) }
        }

        mutating func take(_ t: Transition) {
            switch t.name {
            case .connectionPinned:
                if let connection = t.connection { pins[connection] = (HistoryExport.note(t, "provider") ?? "", t.tenant ?? "") }
            case .runStarted:
                // Format 1 records no input or START checkpoint: LangGraph writes them all the same.
                if !scenario.runtime.model.measured {
                    save(checkpoint: "ckpt-input", step: -1, source: "input", at: t.time)
                    completeNode(at: t.time)
                    save(checkpoint: "ckpt-0000", step: 0, source: "loop", at: t.time)
                }
            case .checkpointSaved:
                let source = HistoryExport.note(t, "source") ?? "loop"
                let step = HistoryExport.note(t, "superstep").flatMap { Int($0) } ?? ((t.step.flatMap { steps.firstIndex(of: $0) } ?? -1) + 1)
                completeNode(at: t.time)
                save(checkpoint: t.checkpoint ?? "", step: step, source: source, at: t.time)
            case .checkpointLost:
                if let index = saved.lastIndex(where: { $0.checkpoint == t.checkpoint }) { saved.remove(at: index) }
            case .runParked:
                let value = interruptValue(t)
                mark(t.checkpoint) { $0.interrupt = value }
                writeAtExit(finished: true)
            case .runCompleted:
                writeAtExit(finished: true)
            case .reconnectVerified:
                if let last = saved.indices.last(where: { saved[$0].interrupt != nil && saved[$0].resume == nil }) {
                    saved[last].resume = .object([("subject", .string(t.subject ?? "")), ("tenant", .string(t.tenant ?? ""))])
                }
            case .runWaiting where HistoryExport.note(t, "resume-with") != nil:
                mark(t.checkpoint) { $0.error = t.reason }
                writeAtExit(finished: true)
            default:
                break
            }
        }

        mutating func save(checkpoint: String, step: Int, source: String, at time: Instant) {
            let next: String? = source == "input" ? "__start__" : (step < steps.count ? steps[step] : nil)
            // The position breaks ties within a millisecond, so ids sort in creation order.
            let id = HistoryExport.uuid(&random, time: Instant(milliseconds: time.milliseconds * 64 + Int64(saved.count % 64)), version: "6")
            saved.append(Snapshot(id: id, checkpoint: checkpoint, step: step, source: source, time: time, next: next,
                                  taskID: HistoryExport.uuid(&random), written: !exitDurability))
        }

        /// Whether the play ran under LangGraph's `durability="exit"` (format 2).
        var exitDurability: Bool { scenario.runtime.model.measured && scenario.runtime.model.durability == .exit }

        /// The graph exits (`exited`: an interrupt, an error, the end) and writes its newest
        /// checkpoint; the ones before it never reach the saver. At the end of the play, what is
        /// still unwritten is not in the saver either.
        mutating func writeAtExit(finished exited: Bool) {
            guard exitDurability, let newest = saved.indices.last(where: { !saved[$0].written }) else { return }
            if exited { saved[newest].written = true }
            saved.removeAll { !$0.written }
        }

        /// The node that ran from the newest snapshot completed: its writes go on that snapshot.
        mutating func completeNode(at time: Instant) {
            guard let last = saved.indices.last, let node = saved[last].next else { return }
            // The input's task (`__start__`) routes to the first node; a node routes to the next.
            let afterIndex = saved[last].step + 1
            let channel = afterIndex < steps.count ? "branch:to:\(steps[afterIndex])" : node
            saved[last].writes = [.array([.string(saved[last].taskID), .string(channel), .null])]
        }

        mutating func mark(_ checkpoint: String?, _ change: (inout Snapshot) -> Void) {
            guard let index = saved.lastIndex(where: { $0.checkpoint == checkpoint }) ?? saved.indices.last else { return }
            change(&saved[index])
        }

        /// The `interrupt()` payload: the reconnect request, with no token in it.
        func interruptValue(_ t: Transition) -> JSONValue {
            let pin = t.connection.flatMap { pins[$0] }
            return .object([
                ("kind", .string("reconnect_request")), ("provider", .string(pin?.provider ?? "")),
                ("workflow", .string(scenario.workflow.name)), ("run_id", .string(scenario.workflow.run.rawValue)),
                ("action", .string(t.step ?? "")), ("reason", .string(t.failureClass?.rawValue ?? "")),
                ("expected_tenant", .string(pin?.tenant ?? "")),
            ])
        }
    }

}

extension LangGraphHistoryExport.Builder {
    /// The snapshots as `StateSnapshot`s written as JSON, each naming its parent.
    mutating func snapshots() -> [JSONValue] {
        var parent: String?
        var written: [JSONValue] = []
        for (index, snapshot) in saved.enumerated() {
            let metadata: JSONValue = .object([("source", .string(snapshot.source)), ("step", .integer(Int64(snapshot.step))), ("parents", .object([]))])
            let done = steps.prefix(max(0, snapshot.step)).map { JSONValue.string($0) }
            written.append(.object([
                ("checkpoint_id", .string(snapshot.id)), ("parent_checkpoint_id", parent.map { .string($0) } ?? .null),
                ("created_at", .string(HistoryExport.langGraphTime(snapshot.time))),
                ("step", .integer(Int64(snapshot.step))), ("source", .string(snapshot.source)), ("metadata", metadata),
                ("next", .array(snapshot.next.map { [.string($0)] } ?? [])),
                ("values_keys", .array(done)),
                ("tasks", .array(snapshot.next.map { [task(snapshot, $0)] } ?? [])),
                ("pending_writes", .array(pendingWrites(snapshot, isNewest: index == saved.count - 1))),
            ]))
            parent = snapshot.id
        }
        return written
    }

    /// The task that runs from a snapshot, with its interrupt (the reconnect request) and any error.
    mutating func task(_ snapshot: LangGraphHistoryExport.Snapshot, _ name: String) -> JSONValue {
        var interrupts: [JSONValue] = []
        if let value = snapshot.interrupt { interrupts.append(.object([("id", .string(random.hex(32))), ("value", value)])) }
        return .object([("id", .string(snapshot.taskID)), ("name", .string(name)),
                        ("error", snapshot.error.map { .string($0) } ?? .null), ("interrupts", .array(interrupts))])
    }

    /// The writes on a snapshot: the resume value and the interrupt while paused, then the node's own writes.
    func pendingWrites(_ snapshot: LangGraphHistoryExport.Snapshot, isNewest: Bool) -> [JSONValue] {
        var writes: [JSONValue] = []
        let task = JSONValue.string(snapshot.taskID)
        if let resume = snapshot.resume {
            writes.append(.array([.string("00000000-0000-0000-0000-000000000000"), .string("__resume__"), resume]))
            writes.append(.array([task, .string("__resume__"), .array([resume])]))
        }
        if snapshot.interrupt != nil {
            writes.append(.array([task, .string("__interrupt__"), .array([.string("Interrupt(value=reconnect_request)")])]))
        }
        return writes + snapshot.writes
    }
}

import Revive

/// The words a runtime uses for the same things: LangGraph threads, nodes and interrupts;
/// Temporal workflows, activities and signals. Only the rendering changes, never the contract.
struct Vocabulary {
    let run: String
    let step: String
    let checkpoint: String
    let parkedVia: String
    let resumedVia: String
    let retryVia: String
    let summary: String

    init(_ kind: RuntimeKind) {
        switch kind {
        case .langgraph:
            run = "thread"
            step = "node"
            checkpoint = "checkpoint"
            parkedVia = "interrupt()"
            resumedVia = "Command(resume)"
            retryVia = "RetryPolicy"
            summary = "threads, nodes, checkpoints, interrupts"
        case .temporal:
            run = "workflow"
            step = "activity"
            checkpoint = "history"
            parkedVia = "await-signal:reconnected"
            resumedVia = "signal:reconnected"
            retryVia = "activity-retry"
            summary = "workflows, activities, history, signals"
        }
    }

    /// A runtime-specific fact for some transitions (how the runtime parks, resumes, retries).
    func extraNote(for name: String) -> Transition.Note? {
        switch name {
        case "run.parked": return .init("via", parkedVia)
        case "run.resumed": return .init("via", resumedVia)
        case "retry.scheduled": return .init("via", retryVia)
        default: return nil
        }
    }
}

import Revive
import ReviveVocabulary

/// The words a runtime uses for the same things: LangGraph threads, nodes and interrupts;
/// Temporal workflows, activities and signals. Only the rendering changes, never the contract.
public struct RuntimeVocabulary: Sendable {
    /// What the runtime calls a run (`thread`, `workflow`).
    public let run: String
    /// What it calls a step (`node`, `activity`).
    public let step: String
    /// What it calls a checkpoint (`checkpoint`, `history`).
    public let checkpoint: String
    /// How it parks a run (`interrupt()`, waiting for a signal).
    public let parkedVia: String?
    /// How it resumes one (`Command(resume)`, the signal).
    public let resumedVia: String?
    /// What retries a step (`RetryPolicy`, activity retry).
    public let retryVia: String?
    /// The words in one line, for report headers.
    public let summary: String

    /// Plain words, for timelines recorded without a runtime kind.
    public static let neutral = RuntimeVocabulary(run: "run", step: "step", checkpoint: "checkpoint", parkedVia: nil, resumedVia: nil, retryVia: nil, summary: "")

    private init(run: String, step: String, checkpoint: String, parkedVia: String?, resumedVia: String?, retryVia: String?, summary: String) {
        self.run = run
        self.step = step
        self.checkpoint = checkpoint
        self.parkedVia = parkedVia
        self.resumedVia = resumedVia
        self.retryVia = retryVia
        self.summary = summary
    }

    /// The words of `kind`.
    public init(_ kind: RuntimeKind) {
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
    public func extraNote(for name: TransitionName) -> Transition.Note? {
        switch name {
        case .runParked: return parkedVia.map { .init("via", $0) }
        case .runResumed: return resumedVia.map { .init("via", $0) }
        case .retryScheduled: return retryVia.map { .init("via", $0) }
        default: return nil
        }
    }
}

import Revive
import ReviveVocabulary

/// When LangGraph writes a checkpoint to its saver (`durability=` on `invoke`), which decides what a
/// crash loses.
public enum Durability: String, Sendable, CaseIterable {
    /// The default: checkpoints are written in the background while the next node runs; a crash
    /// loses the newest one or two (the lab draws which from the seed).
    case async
    /// Each checkpoint is written before the next node starts: a crash loses nothing.
    case sync
    /// Checkpoints are written only when the graph exits (an interrupt, the end, an error): a crash
    /// loses every checkpoint since the last exit.
    case exit
}

/// The runtime behaviours a scenario's format chooses: format 1 keeps the lab's original
/// simplifications, format 2 plays the runtimes as they were measured (LangGraph 1.2.22,
/// Temporal 1.32 with temporalio 1.35; `docs/runtimes.md`).
public struct RuntimeModel: Sendable, Equatable {
    /// The scenario file's `format` (1 or 2).
    public var format: Int
    /// LangGraph's durability mode (format 2; `async` unless the file says otherwise).
    public var durability: Durability
    /// Temporal's activity heartbeat timeout: none unless the file sets `runtime.heartbeatTimeout`.
    public var activityHeartbeat: Span?
    /// Temporal's activity start-to-close timeout.
    public var startToClose: Span?
    /// Temporal's activity schedule-to-close timeout.
    public var scheduleToClose: Span?

    /// Format 1: the lab's original model.
    public static let formatOne = RuntimeModel(format: 1)

    /// Makes one from its parts.
    public init(format: Int, durability: Durability = .async, activityHeartbeat: Span? = nil, startToClose: Span? = nil, scheduleToClose: Span? = nil) {
        self.format = format
        self.durability = durability
        self.activityHeartbeat = activityHeartbeat
        self.startToClose = startToClose
        self.scheduleToClose = scheduleToClose
    }

    /// Whether the measured behaviours apply (format 2).
    public var measured: Bool { format >= 2 }

    /// LangGraph's `RetryPolicy()`: 3 attempts, 0.5 s, x2, at most 128 s (plus up to 1 s of jitter).
    public static let langGraphRetryPolicy = RetryPolicy(maxAttempts: 3, initialBackoff: Span(milliseconds: 500),
                                                         backoffCoefficient: 2.0, maxBackoff: .seconds(128))
    /// The most jitter LangGraph adds to a retry's wait.
    public static let langGraphJitter = Span.seconds(1)
    /// How long a Temporal workflow task waits on a dead worker's sticky queue (its schedule-to-start timeout).
    public static let stickyQueueTimeout = Span.seconds(10)

    /// The runtime-level activity timeouts (format 2, Temporal).
    public var activityTimeouts: ActivityTimeouts {
        ActivityTimeouts(heartbeat: activityHeartbeat, startToClose: startToClose, scheduleToClose: scheduleToClose)
    }

    /// The timeouts of `step`'s activity: its own, key by key over the runtime's.
    public func timeouts(for step: StepSpec) -> ActivityTimeouts { step.timeouts.merged(over: activityTimeouts) }
}

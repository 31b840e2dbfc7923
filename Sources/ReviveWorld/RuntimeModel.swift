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

    /// The defaults a file of this format gets on `kind`, in words (`validate` prints them).
    public func defaultsSummary(for kind: RuntimeKind) -> String {
        guard measured else {
            return "format 1 defaults: Temporal's retry policy on every step, the runtime notices a lost worker after heartbeatTimeout (1m), no sticky-queue delay"
        }
        switch kind {
        case .langgraph:
            return "format 2 defaults: a node retries only with a retry policy (RetryPolicy(): 3 attempts, 0.5s, x2, cap 128s, seeded jitter up to 1s), giving up leaves the thread resumable, durability \(durability.rawValue), Revive's lease expiry (heartbeatTimeout) notices a lost worker"
        case .temporal:
            let heartbeat = activityHeartbeat.map { "heartbeat timeout \($0)" } ?? "no heartbeat timeout"
            let close = [startToClose.map { "start-to-close \($0)" }, scheduleToClose.map { "schedule-to-close \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return "format 2 defaults: Temporal's retry policy, \(heartbeat), \(close), worker loss = timeout + retry backoff + 10s sticky-queue delay"
        }
    }
}

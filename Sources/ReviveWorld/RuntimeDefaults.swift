import Revive
import ReviveVocabulary

/// What a scenario's format gives it when the file says nothing, in words (`validate` prints it
/// under each valid file): format 1 keeps the lab's original model, format 2 plays the runtimes
/// as measured, and their defaults differ (LangGraph's retries, durability and liveness;
/// Temporal's activity timeouts). Values the file sets are shown as set, the others as defaults.
extension Scenario {
    /// The defaults summary, one line.
    public var defaultsSummary: String {
        switch (runtime.model.measured, runtime.kind) {
        case (false, .langgraph):
            return "format 1 defaults (the lab's original model): every node retries with Temporal's default policy unless a retry policy says otherwise, and giving up fails the run; a crash loses no checkpoint; the runtime declares a silent worker lost after \(heartbeatWords)"
        case (false, .temporal):
            return "format 1 defaults (the lab's original model): every activity retries with Temporal's default policy unless a retry policy says otherwise; the runtime declares a silent worker lost after \(heartbeatWords) and moves the run at once (no activity timeouts, no sticky-queue delay, no runtime attempt numbers)"
        case (true, .langgraph):
            return "format 2 defaults (LangGraph as measured): \(langGraphRetryWords); giving up leaves the thread resumable; durability \(runtime.model.durability.rawValue)\(setOrDefault("durability")); Revive's lease expiry notices a lost worker after \(heartbeatWords); node attempts restart at 1 on a resume"
        case (true, .temporal):
            return "format 2 defaults (Temporal as measured): every activity retries with Temporal's default policy unless a retry policy says otherwise; \(activityTimeoutWords); a lost worker costs its activity's timeout, the retry backoff, then \(RuntimeModel.stickyQueueTimeout) on its sticky queue; a resend after the signal is a new activity at attempt 1"
        }
    }

    /// ` (set)` when the file's runtime names `key`, else ` (default)`.
    private func setOrDefault(_ key: String) -> String { source["runtime"]?[key] == nil ? " (default)" : " (set)" }

    private var heartbeatWords: String { "heartbeatTimeout \(runtime.heartbeatTimeout)\(setOrDefault("heartbeatTimeout"))" }

    /// Which nodes LangGraph retries: those with a policy at any level (step, connection, workflow, runtime).
    private var langGraphRetryWords: String {
        let policy = RuntimeModel.langGraphRetryPolicy
        let defaults = "RetryPolicy(): \(policy.maxAttempts ?? 0) attempts, \(policy.initialBackoff ?? .zero), x2, cap \(policy.maxBackoff ?? .zero), seeded jitter up to \(RuntimeModel.langGraphJitter)"
        let retried = workflow.steps.filter { step in
            let connection = step.connection.flatMap { id in connections.first(where: { $0.id == id }) }
            guard case .some = step.retry ?? connection?.retry ?? workflow.retry ?? runtime.retry else { return false }
            return true
        }.map(\.id.rawValue)
        let others = workflow.steps.map(\.id.rawValue).filter { !retried.contains($0) }
        let which = retried.isEmpty ? "no node has one" : "with one: " + retried.joined(separator: ", ")
            + (others.isEmpty ? "" : "; never retried: " + others.joined(separator: ", "))
        return "a node retries only with a retry policy (\(which)), its gaps filled from \(defaults)"
    }

    /// The runtime's activity timeouts and each step's own.
    private var activityTimeoutWords: String {
        let runtimeLevel = runtime.model.activityTimeouts
        var words = "activity timeouts: " + (runtimeLevel.isEmpty ? "none on runtime" : runtimeLevel.words)
        if runtimeLevel.heartbeat == nil { words += ", no heartbeat timeout (Temporal has no default)" }
        for step in workflow.steps where !step.timeouts.isEmpty {
            words += "; \(step.id): \(runtime.model.timeouts(for: step).words)"
        }
        return words
    }
}

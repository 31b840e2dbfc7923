import ReviveVocabulary

/// Where an action runs: which run, step attempt and worker, and the checkpoint it would resume from.
struct ActionContext: Hashable, Sendable {
    /// The logical run.
    var run: RunID
    /// The action (the step's call).
    var action: ActionKey
    /// The step attempt, counted from 1.
    var attempt: Int
    /// The worker running it.
    var worker: WorkerID
    /// The last checkpoint saved before this step (nil before the first).
    var checkpoint: String?
    /// How long the worker waits for an answer (bounds when a sent call can still land).
    var callTimeout: Span

    /// Makes a context.
    init(run: RunID, action: ActionKey, attempt: Int, worker: WorkerID, checkpoint: String?, callTimeout: Span = .seconds(30)) {
        self.run = run
        self.action = action
        self.attempt = attempt
        self.worker = worker
        self.checkpoint = checkpoint
        self.callTimeout = callTimeout
    }
}

/// What the caller does after a failed or unanswered call.
enum FailureDecision: Equatable, Sendable {
    /// Retry the call now with this lease (after a refresh, or after reloading a newer generation).
    case retryNow(Lease)
    /// Let the runtime's retry policy decide; wait at least `minimumDelay` if the provider said so.
    case retryLater(Classification)
    /// The run is parked on this case; the request went to the owner (or operator).
    case parked(RecoveryCase, ReconnectRequest)
}

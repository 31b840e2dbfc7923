import ReviveVocabulary

/// Where an action runs: which run, step attempt and worker, and the checkpoint it would resume from.
struct ActionContext: Hashable, Sendable {
    /// The request the context reads its fields from: a context is made on every engine call and
    /// copied into the decision's closures, and its own four strings were retained on each copy;
    /// a request is one box (see `ActionRequest.fields`).
    private var request: ActionRequest

    /// The logical run.
    var run: RunID {
        get { request.run }
        set { request.run = newValue }
    }
    /// The action (the step's call).
    var action: ActionKey {
        get { request.action }
        set { request.action = newValue }
    }
    /// The step attempt, counted from 1.
    var attempt: Int {
        get { request.attempt }
        set { request.attempt = newValue }
    }
    /// The worker running it.
    var worker: WorkerID {
        get { request.worker }
        set { request.worker = newValue }
    }
    /// The last checkpoint saved before this step (nil before the first).
    var checkpoint: String? {
        get { request.checkpoint }
        set { request.checkpoint = newValue }
    }
    /// How long the worker waits for an answer (bounds when a sent call can still land).
    var callTimeout: Span {
        get { request.callTimeout }
        set { request.callTimeout = newValue }
    }

    /// Makes a context.
    init(run: RunID, action: ActionKey, attempt: Int, worker: WorkerID, checkpoint: String?, callTimeout: Span = .seconds(30)) {
        // The request's connection and mutation flag are no part of a context: never read, compared or hashed.
        request = ActionRequest(run: run, action: action, attempt: attempt, worker: worker, checkpoint: checkpoint,
                                connection: ConnectionID(""), mutating: false, callTimeout: callTimeout)
    }

    /// The context of a request.
    init(_ request: ActionRequest) { self.request = request }

    static func == (lhs: ActionContext, rhs: ActionContext) -> Bool {
        lhs.run == rhs.run && lhs.action == rhs.action && lhs.attempt == rhs.attempt && lhs.worker == rhs.worker
            && lhs.checkpoint == rhs.checkpoint && lhs.callTimeout == rhs.callTimeout
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(run)
        hasher.combine(action)
        hasher.combine(attempt)
        hasher.combine(worker)
        hasher.combine(checkpoint)
        hasher.combine(callTimeout)
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

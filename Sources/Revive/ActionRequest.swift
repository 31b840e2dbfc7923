import ReviveVocabulary

/// What a worker says before it calls a provider on a run's behalf.
public struct ActionRequest: Hashable, Sendable {
    /// The request's fields in one box, copied only when written (copy-on-write): a request rides
    /// in every ticket and every engine call's context, and inline each copy retained its five
    /// strings. Read through inlinable getters, so a caller's `request.run` reads the one field.
    @usableFromInline var fields: Fields

    /// The logical run.
    public var run: RunID {
        @inlinable get { fields.run }
        set { unique().run = newValue }
    }
    /// The step (LangGraph node, Temporal activity) the call belongs to; with the run, it makes the
    /// action's idempotency key.
    public var action: ActionKey {
        @inlinable get { fields.action }
        set { unique().action = newValue }
    }
    /// The step attempt, counted from 1 across the run's life.
    public var attempt: Int {
        @inlinable get { fields.attempt }
        set { unique().attempt = newValue }
    }
    /// The worker that will make the call.
    public var worker: WorkerID {
        @inlinable get { fields.worker }
        set { unique().worker = newValue }
    }
    /// The run's last checkpoint, where a parked run resumes.
    public var checkpoint: String? {
        @inlinable get { fields.checkpoint }
        set { unique().checkpoint = newValue }
    }
    /// The connection whose credential the call uses.
    public var connection: ConnectionID {
        @inlinable get { fields.connection }
        set { unique().connection = newValue }
    }
    /// Whether the call changes the remote world (then it goes through the action ledger).
    public var mutating: Bool {
        @inlinable get { fields.mutating }
        set { unique().mutating = newValue }
    }
    /// How long the worker waits for the provider's answer before the outcome is unknown; with
    /// the provider's `settleAfter`, it bounds when a sent call can still land.
    public var callTimeout: Span {
        @inlinable get { fields.callTimeout }
        set { unique().callTimeout = newValue }
    }

    /// Makes a request.
    public init(run: RunID, action: ActionKey, attempt: Int, worker: WorkerID, checkpoint: String?,
                connection: ConnectionID, mutating: Bool, callTimeout: Span = .seconds(30)) {
        fields = Fields(run: run, action: action, attempt: attempt, worker: worker, checkpoint: checkpoint,
                        connection: connection, mutating: mutating, callTimeout: callTimeout)
    }

    var context: ActionContext { ActionContext(self) }

    /// The box, made unique before a write.
    private mutating func unique() -> Fields {
        if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
        return fields
    }

    /// Equal when every field is, as a plain struct's synthesized equality says.
    public static func == (lhs: ActionRequest, rhs: ActionRequest) -> Bool {
        let (l, r) = (lhs.fields, rhs.fields)
        return l === r || (l.run == r.run && l.action == r.action && l.attempt == r.attempt && l.worker == r.worker
            && l.checkpoint == r.checkpoint && l.connection == r.connection && l.mutating == r.mutating
            && l.callTimeout == r.callTimeout)
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(run)
        hasher.combine(action)
        hasher.combine(attempt)
        hasher.combine(worker)
        hasher.combine(checkpoint)
        hasher.combine(connection)
        hasher.combine(mutating)
        hasher.combine(callTimeout)
    }

    /// A request's fields (see `ActionRequest.fields`).
    // Unchecked Sendable: a box is written only while uniquely referenced (`unique()`), so no box
    // another request (or thread) can see is ever written; and no access to a field is held
    // across another, so the runtime's exclusivity checks (on every read) guarded nothing.
    @usableFromInline final class Fields: @unchecked Sendable {
        @usableFromInline @exclusivity(unchecked) var run: RunID
        @usableFromInline @exclusivity(unchecked) var action: ActionKey
        @usableFromInline @exclusivity(unchecked) var attempt: Int
        @usableFromInline @exclusivity(unchecked) var worker: WorkerID
        @usableFromInline @exclusivity(unchecked) var checkpoint: String?
        @usableFromInline @exclusivity(unchecked) var connection: ConnectionID
        @usableFromInline @exclusivity(unchecked) var mutating: Bool
        @usableFromInline @exclusivity(unchecked) var callTimeout: Span

        init(run: RunID, action: ActionKey, attempt: Int, worker: WorkerID, checkpoint: String?,
             connection: ConnectionID, mutating: Bool, callTimeout: Span) {
            self.run = run
            self.action = action
            self.attempt = attempt
            self.worker = worker
            self.checkpoint = checkpoint
            self.connection = connection
            self.mutating = mutating
            self.callTimeout = callTimeout
        }

        func copy() -> Fields {
            Fields(run: run, action: action, attempt: attempt, worker: worker, checkpoint: checkpoint,
                   connection: connection, mutating: mutating, callTimeout: callTimeout)
        }
    }
}

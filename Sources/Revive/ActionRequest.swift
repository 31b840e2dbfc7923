import ReviveVocabulary

/// What a worker says before it calls a provider on a run's behalf.
public struct ActionRequest: Hashable, Sendable {
    /// The request's fields in one box, copied only when written (copy-on-write): a request rides
    /// in every ticket and every engine call's context, and inline each copy retained its five
    /// strings. Read through inlinable getters, so a caller's `request.run` reads the one field.
    @usableFromInline var fields: Fields

    /// The logical run.
    public var run: RunID {
        @inlinable get { fields.values.run }
        set { unique().values.run = newValue }
    }
    /// The step (LangGraph node, Temporal activity) the call belongs to; with the run, it makes the
    /// action's idempotency key.
    public var action: ActionKey {
        @inlinable get { fields.values.action }
        set { unique().values.action = newValue }
    }
    /// The step attempt, counted from 1 across the run's life.
    public var attempt: Int {
        @inlinable get { fields.values.attempt }
        set { unique().values.attempt = newValue }
    }
    /// The worker that will make the call.
    public var worker: WorkerID {
        @inlinable get { fields.values.worker }
        set { unique().values.worker = newValue }
    }
    /// The run's last checkpoint, where a parked run resumes.
    public var checkpoint: String? {
        @inlinable get { fields.values.checkpoint }
        set { unique().values.checkpoint = newValue }
    }
    /// The connection whose credential the call uses.
    public var connection: ConnectionID {
        @inlinable get { fields.values.connection }
        set { unique().values.connection = newValue }
    }
    /// Whether the call changes the remote world (then it goes through the action ledger).
    public var mutating: Bool {
        @inlinable get { fields.values.mutating }
        set { unique().values.mutating = newValue }
    }
    /// How long the worker waits for the provider's answer before the outcome is unknown; with
    /// the provider's `settleAfter`, it bounds when a sent call can still land.
    public var callTimeout: Span {
        @inlinable get { fields.values.callTimeout }
        set { unique().values.callTimeout = newValue }
    }

    /// Makes a request.
    public init(run: RunID, action: ActionKey, attempt: Int, worker: WorkerID, checkpoint: String?,
                connection: ConnectionID, mutating: Bool, callTimeout: Span = .seconds(30)) {
        fields = Fields(Values(run: run, action: action, attempt: attempt, worker: worker, checkpoint: checkpoint,
                               connection: connection, mutating: mutating, callTimeout: callTimeout))
    }

    var context: ActionContext { ActionContext(self) }

    /// The box, made unique before a write.
    private mutating func unique() -> Fields {
        if !isKnownUniquelyReferenced(&fields) { fields = Fields(fields.values) }
        return fields
    }

    /// A request's box (see `ActionRequest.fields`), equal and hashed by its values, so the
    /// request keeps its synthesized `Hashable`.
    // Unchecked Sendable: a box is written only while uniquely referenced (`unique()`), so no box
    // another request (or thread) can see is ever written; and no access to the values is held
    // across another, so the runtime's exclusivity checks (on every read) guarded nothing.
    @usableFromInline final class Fields: Hashable, @unchecked Sendable {
        @usableFromInline @exclusivity(unchecked) var values: Values

        init(_ values: Values) { self.values = values }

        @usableFromInline static func == (lhs: Fields, rhs: Fields) -> Bool { lhs === rhs || lhs.values == rhs.values }

        @usableFromInline func hash(into hasher: inout Hasher) { hasher.combine(values) }
    }

    /// A request's fields, as a value.
    @usableFromInline struct Values: Hashable, Sendable {
        @usableFromInline var run: RunID
        @usableFromInline var action: ActionKey
        @usableFromInline var attempt: Int
        @usableFromInline var worker: WorkerID
        @usableFromInline var checkpoint: String?
        @usableFromInline var connection: ConnectionID
        @usableFromInline var mutating: Bool
        @usableFromInline var callTimeout: Span
    }
}

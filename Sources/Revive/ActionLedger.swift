import ReviveVocabulary

/// Where a mutating action stands: `intended → executing → committed`, or `unknown` then
/// `reconciled(committed | absent)`, or `failed`.
public enum LedgerState: String, Sendable {
    /// Recorded before any call was made.
    case intended
    /// A call carrying the idempotency key was sent; no answer yet.
    case executing
    /// The provider answered that the effect happened.
    case committed
    /// A call was sent and its outcome was lost.
    case unknown
    /// Reconciliation found the effect at the provider.
    case reconciledCommitted = "reconciled-committed"
    /// Reconciliation did not find the effect; the action may execute once more with the same key.
    case reconciledAbsent = "reconciled-absent"
    /// The action was given up.
    case failed

    /// Whether the remote effect is known to have happened.
    public var isCommitted: Bool { @inlinable get { self == .committed || self == .reconciledCommitted } }
}

/// One mutating action's ledger entry.
public struct LedgerEntry: Hashable, Sendable {
    /// Which action the entry is for, fixed when it is made, in one shared box: the engine and its
    /// store copy an entry on every read and write, and inline these four strings were retained
    /// and released on every copy (seen in the catalogue's profile). Never mutated.
    private let names: NamesBox

    /// The action's idempotency key.
    public var key: IdempotencyKey { names.value.key }
    /// The run it belongs to.
    public var run: RunID { names.value.run }
    /// The action.
    public var action: ActionKey { names.value.action }
    /// The connection it calls.
    public var connection: ConnectionID { names.value.connection }
    /// Where it stands.
    public var state: LedgerState
    /// The worker that last sent the call, while `executing`.
    public var executingWorker: WorkerID?
    /// When the entry last changed; a settled entry is kept for the retention window after it.
    public var changedAt: Instant
    /// When the last call sent for this action can no longer land at the provider: its caller's
    /// deadline plus the provider's `settleAfter`. Until then a lookup's `absent` proves nothing.
    public var settlesAt: Instant?
    /// When the first call carrying the key was sent (a `dedupe` provider keeps the key from then).
    public var firstSentAt: Instant?

    /// Moves the entry to `state` at `time`. Who sends the call is kept only while the entry is
    /// `executing`; every move stamps `changedAt`, which the retention window counts from.
    public mutating func move(to state: LedgerState, at time: Instant, sentBy worker: WorkerID? = nil) {
        precondition((state == .executing) == (worker != nil), "only an executing entry names the worker that sends it")
        self.state = state
        executingWorker = worker
        changedAt = time
    }

    /// Makes an entry (a store implementation rebuilds entries from its rows with this).
    public init(key: IdempotencyKey, run: RunID, action: ActionKey, connection: ConnectionID, state: LedgerState,
                executingWorker: WorkerID?, changedAt: Instant, settlesAt: Instant? = nil, firstSentAt: Instant? = nil) {
        names = NamesBox(Names(key: key, run: run, action: action, connection: connection))
        self.state = state
        self.executingWorker = executingWorker
        self.changedAt = changedAt
        self.settlesAt = settlesAt
        self.firstSentAt = firstSentAt
    }

    /// The box of an entry's names (see `Shared`).
    private final class NamesBox: Shared {
        let value: Names
        init(_ value: Names) { self.value = value }
    }

    /// A ledger entry's fixed names (see `LedgerEntry.names`).
    private struct Names: Hashable, Sendable {
        let key: IdempotencyKey
        let run: RunID
        let action: ActionKey
        let connection: ConnectionID
    }

    /// Records a call leaving with the key at `time`, which can land until `settlesAt`.
    public mutating func send(by worker: WorkerID, at time: Instant, settlesAt: Instant) {
        move(to: .executing, at: time, sentBy: worker)
        self.settlesAt = max(self.settlesAt ?? settlesAt, settlesAt)
        if firstSentAt == nil { firstSentAt = time }
    }
}

/// What the caller must do before executing an action.
enum ActionPreparation: Equatable, Sendable {
    /// Execute the call with this key.
    case execute(IdempotencyKey)
    /// The outcome of an earlier call is unknown: reconcile by key first.
    case reconcile(IdempotencyKey)
    /// An earlier call may still land: ask again at this instant.
    case wait(until: Instant)
    /// The effect already happened: do not call again.
    case alreadyCommitted(IdempotencyKey)
    /// The outcome is unknown and the provider offers no way to learn it: an operator must say
    /// whether it happened (`rule` says why the engine cannot find out itself).
    case askOperator(rule: String)
}

/// The answer of a reconciliation lookup by idempotency key.
public enum ReconcileAnswer: String, Sendable {
    /// The provider has the effect: it happened.
    case committed
    /// The provider has no such effect: safe to execute once more with the same key.
    case absent
}

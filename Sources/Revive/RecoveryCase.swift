import ReviveVocabulary

/// The durable record that joins everything about one credential failure.
///
/// It joins the connection and its pinned identity, the run, the last saved checkpoint, the
/// failed action with its key and ledger state, the provider signal, the class, and the lease
/// generation that was rejected. It holds no token and no capability value (only digests).
public struct RecoveryCase: Hashable, Sendable {
    /// The case id.
    public let id: CaseID
    /// The failed connection.
    public let connection: ConnectionID
    /// Who the connection must belong to after a reconnect.
    public let pinnedIdentity: ProviderIdentity
    /// Where reconnect requests go.
    public let ownerAddress: String
    /// The logical run that is parked.
    public let run: RunID
    /// The last checkpoint saved before the failure (nil: the run parks at its start).
    public let checkpoint: String?
    /// The action whose call failed.
    public let action: ActionKey?
    /// The failed action's idempotency key, when it is a mutation.
    public let idempotencyKey: IdempotencyKey?
    /// The failed action's ledger state when the case opened.
    public let ledgerState: LedgerState?
    /// The provider's signal (status, code, text: no secrets).
    public let signal: ProviderSignal?
    /// The decided class.
    public let classification: Classification
    /// The generation whose use failed.
    public let rejectedGeneration: LeaseGeneration
    /// The worker that opened the case (it may be gone by the time the case closes).
    public let openedBy: WorkerID
    /// When it opened.
    public let openedAt: Instant
    /// Where it stands.
    public var state: CaseState
    /// Reconnects refused for this case (identity mismatches and bad capabilities).
    public var refusals: Int
    /// The capability of the latest request: only it sends the next reminder (a lead before it
    /// expires) or, after the last reminder, escalates the case when it expires.
    public var currentCapability: CapabilityID?
    /// When it closed; the store keeps a closed case for the retention window after it.
    public var closedAt: Instant?
    /// The verified reconnect's grant, while the case awaits its resume: a process that died
    /// between the commit and the broker's install leaves it for the restarted engine to install.
    public var grant: PendingGrant?

    /// Makes a case (a store implementation rebuilds cases from its rows with this).
    public init(id: CaseID, connection: ConnectionID, pinnedIdentity: ProviderIdentity, ownerAddress: String, run: RunID,
                checkpoint: String?, action: ActionKey?, idempotencyKey: IdempotencyKey?, ledgerState: LedgerState?,
                signal: ProviderSignal?, classification: Classification, rejectedGeneration: LeaseGeneration,
                openedBy: WorkerID, openedAt: Instant, state: CaseState, refusals: Int, currentCapability: CapabilityID?,
                closedAt: Instant? = nil, grant: PendingGrant? = nil) {
        self.id = id
        self.connection = connection
        self.pinnedIdentity = pinnedIdentity
        self.ownerAddress = ownerAddress
        self.run = run
        self.checkpoint = checkpoint
        self.action = action
        self.idempotencyKey = idempotencyKey
        self.ledgerState = ledgerState
        self.signal = signal
        self.classification = classification
        self.rejectedGeneration = rejectedGeneration
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.state = state
        self.refusals = refusals
        self.currentCapability = currentCapability
        self.closedAt = closedAt
        self.grant = grant
    }
}

/// A recovery case's life.
public enum CaseState: String, Sendable {
    /// Waiting for a verified reconnect.
    case awaitingReconnect = "awaiting-reconnect"
    /// Reconnect verified, lease rotated; waiting for the runtime to resume the run.
    case awaitingResume = "awaiting-resume"
    /// The run resumed; the case is done.
    case closed
    /// The last reminder's capability expired unanswered; the case stays open for an operator.
    case escalated
}

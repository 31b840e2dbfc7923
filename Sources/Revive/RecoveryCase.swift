import ReviveVocabulary

/// The durable record that joins everything about one credential failure.
///
/// It joins the connection and its pinned identity, the run, the last saved checkpoint, the
/// failed action with its key and ledger state, the provider signal, the class, and the lease
/// generation that was rejected. It holds no token and no capability value (only digests).
public struct RecoveryCase: Hashable, Sendable {
    /// What a case is opened with and never changes, in one shared box: the engine and its store
    /// copy a case on every read and every save, and inline these were some sixteen strings,
    /// each retained and released on every copy (seen high in the catalogue's profile). Never
    /// mutated, so the box needs no copy-on-write.
    private let opening: OpeningBox

    /// The case id.
    public var id: CaseID { opening.value.id }
    /// The failed connection.
    public var connection: ConnectionID { opening.value.connection }
    /// Who the connection must belong to after a reconnect.
    public var pinnedIdentity: ProviderIdentity { opening.value.pinnedIdentity }
    /// Where reconnect requests go.
    public var ownerAddress: String { opening.value.ownerAddress }
    /// The logical run that is parked.
    public var run: RunID { opening.value.run }
    /// The last checkpoint saved before the failure (nil: the run parks at its start).
    public var checkpoint: String? { opening.value.checkpoint }
    /// The action whose call failed.
    public var action: ActionKey? { opening.value.action }
    /// The failed action's idempotency key, when it is a mutation.
    public var idempotencyKey: IdempotencyKey? { opening.value.idempotencyKey }
    /// The failed action's ledger state when the case opened.
    public var ledgerState: LedgerState? { opening.value.ledgerState }
    /// The provider's signal (status, code, text: no secrets).
    public var signal: ProviderSignal? { opening.value.signal }
    /// The decided class.
    public var classification: Classification { opening.value.classification }
    /// The generation whose use failed.
    public var rejectedGeneration: LeaseGeneration { opening.value.rejectedGeneration }
    /// The worker that opened the case (it may be gone by the time the case closes).
    public var openedBy: WorkerID { opening.value.openedBy }
    /// When it opened.
    public var openedAt: Instant { opening.value.openedAt }
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
        opening = OpeningBox(OpeningFields(
            id: id, connection: connection, pinnedIdentity: pinnedIdentity, ownerAddress: ownerAddress, run: run,
            checkpoint: checkpoint, action: action, idempotencyKey: idempotencyKey, ledgerState: ledgerState,
            signal: signal, classification: classification, rejectedGeneration: rejectedGeneration,
            openedBy: openedBy, openedAt: openedAt))
        self.state = state
        self.refusals = refusals
        self.currentCapability = currentCapability
        self.closedAt = closedAt
        self.grant = grant
    }
}

/// The box of a case's opening fields (see `Shared`).
private final class OpeningBox: Shared {
    let value: OpeningFields
    init(_ value: OpeningFields) { self.value = value }
}

/// A case's fields fixed when it opens (see `RecoveryCase.opening`).
private struct OpeningFields: Hashable, Sendable {
    let id: CaseID
    let connection: ConnectionID
    let pinnedIdentity: ProviderIdentity
    let ownerAddress: String
    let run: RunID
    let checkpoint: String?
    let action: ActionKey?
    let idempotencyKey: IdempotencyKey?
    let ledgerState: LedgerState?
    let signal: ProviderSignal?
    let classification: Classification
    let rejectedGeneration: LeaseGeneration
    let openedBy: WorkerID
    let openedAt: Instant
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

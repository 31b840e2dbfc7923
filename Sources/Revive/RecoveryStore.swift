import ReviveVocabulary

/// Durable storage for what must outlive any worker: cases, capabilities, the ledger and the
/// lease generations.
///
/// The engine owns the rules; a store only keeps records. `InMemoryRecoveryStore` serves the lab
/// (the engine outlives the simulated workers); a real integration plugs in a database.
public protocol RecoveryStore: AnyObject {
    /// The connection's current lease generation (`.first` if never rotated).
    func generation(of connection: ConnectionID) -> LeaseGeneration
    /// Stores a new generation; callers only ever move it forward.
    func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID)
    /// A case by id.
    func recoveryCase(_ id: CaseID) -> RecoveryCase?
    /// The open (not closed) case for a connection, if any.
    func openCase(for connection: ConnectionID) -> RecoveryCase?
    /// Inserts or replaces a case.
    func save(_ recoveryCase: RecoveryCase)
    /// A capability by id.
    func capability(_ id: CapabilityID) -> CapabilityRecord?
    /// A capability by the digest of its value.
    func capability(digest: String) -> CapabilityRecord?
    /// Inserts or replaces a capability.
    func save(_ capability: CapabilityRecord)
    /// A ledger entry by key.
    func ledgerEntry(_ key: IdempotencyKey) -> LedgerEntry?
    /// Inserts or replaces a ledger entry.
    func save(_ entry: LedgerEntry)
}

/// A `RecoveryStore` in memory: durable for the life of the process that holds the engine.
public final class InMemoryRecoveryStore: RecoveryStore {
    private var generations: [ConnectionID: LeaseGeneration] = [:]
    private var cases: [CaseID: RecoveryCase] = [:]
    private var openCaseByConnection: [ConnectionID: CaseID] = [:]
    private var capabilities: [CapabilityID: CapabilityRecord] = [:]
    private var capabilityByDigest: [String: CapabilityID] = [:]
    private var ledger: [IdempotencyKey: LedgerEntry] = [:]

    /// An empty store.
    public init() {}

    public func generation(of connection: ConnectionID) -> LeaseGeneration { generations[connection] ?? .first }

    public func setGeneration(_ generation: LeaseGeneration, of connection: ConnectionID) {
        precondition(generation >= self.generation(of: connection), "a lease generation never moves backwards")
        generations[connection] = generation
    }

    public func recoveryCase(_ id: CaseID) -> RecoveryCase? { cases[id] }

    public func openCase(for connection: ConnectionID) -> RecoveryCase? {
        openCaseByConnection[connection].flatMap { cases[$0] }
    }

    public func save(_ recoveryCase: RecoveryCase) {
        cases[recoveryCase.id] = recoveryCase
        if recoveryCase.state == .closed {
            if openCaseByConnection[recoveryCase.connection] == recoveryCase.id {
                openCaseByConnection[recoveryCase.connection] = nil
            }
        } else {
            openCaseByConnection[recoveryCase.connection] = recoveryCase.id
        }
    }

    public func capability(_ id: CapabilityID) -> CapabilityRecord? { capabilities[id] }

    public func capability(digest: String) -> CapabilityRecord? { capabilityByDigest[digest].flatMap { capabilities[$0] } }

    public func save(_ capability: CapabilityRecord) {
        if let old = capabilities[capability.id] {
            precondition(old.consumedAt == nil || old.consumedAt == capability.consumedAt, "a capability is consumed at most once")
        }
        capabilities[capability.id] = capability
        capabilityByDigest[capability.digest] = capability.id
    }

    public func ledgerEntry(_ key: IdempotencyKey) -> LedgerEntry? { ledger[key] }

    public func save(_ entry: LedgerEntry) {
        if let old = ledger[entry.key], old.state.isCommitted {
            precondition(entry.state.isCommitted, "a committed action never goes back to uncommitted")
        }
        ledger[entry.key] = entry
    }
}

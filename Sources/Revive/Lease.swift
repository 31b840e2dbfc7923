import ReviveVocabulary

/// A worker's right to use a connection's current credential, stamped with its generation.
///
/// A lease carries no token: the credential is attached to the call by the provider gateway when
/// `RecoveryEngine.authorizeCall` allows it, so no secret ever passes through a worker.
public struct Lease: Hashable, Sendable {
    /// The lease's id, safe to print.
    public let id: LeaseID
    /// The connection it grants use of.
    public let connection: ConnectionID
    /// The generation the connection had when the lease was issued.
    public let generation: LeaseGeneration
    /// The worker holding it.
    public let holder: WorkerID
    /// The run it was issued for.
    public let run: RunID
    /// When it was issued.
    public let issuedAt: Instant

    /// Makes a lease (a store implementation rebuilds leases with this).
    public init(id: LeaseID, connection: ConnectionID, generation: LeaseGeneration, holder: WorkerID, run: RunID, issuedAt: Instant) {
        self.id = id
        self.connection = connection
        self.generation = generation
        self.holder = holder
        self.run = run
        self.issuedAt = issuedAt
    }
}

/// A lease as a store keeps it: the lease, and whether its holder was declared lost since it was issued.
public struct LeaseRecord: Hashable, Sendable {
    /// The lease.
    public let lease: Lease
    /// Whether the holder was declared lost after the lease was issued: its calls are fenced.
    public var revoked: Bool

    /// Makes a record (a store implementation rebuilds records from its rows with this).
    public init(lease: Lease, revoked: Bool) {
        self.lease = lease
        self.revoked = revoked
    }
}

/// Whether a call made with a lease may reach the provider.
public enum CallAuthorization: Equatable, Sendable {
    /// The lease is current: the call goes through.
    case allowed
    /// The lease is stale and the call was refused (and recorded as `lease.fenced`).
    case fenced(reason: FenceReason)
}

/// Why a lease was fenced.
public enum FenceReason: String, Sendable {
    /// The connection's generation moved on after a verified reconnect.
    case staleGeneration = "stale-generation"
    /// The runtime declared the holder lost and its work moved to another worker.
    case holderLost = "holder-lost"
    /// The connection's grant is dead and awaiting a reconnect.
    case deadGrant = "dead-grant"
}

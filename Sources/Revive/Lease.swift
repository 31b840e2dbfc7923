import ReviveVocabulary

/// A worker's right to use a connection's current credential, stamped with its generation.
///
/// A lease carries no token: the credential is attached to the call by the provider gateway when
/// `RecoveryEngine.authorizeCall` allows it, so no secret ever passes through a worker.
public struct Lease: Hashable, Sendable {
    /// The lease's fields in one shared box: a lease never changes once issued, and it travels in
    /// every ticket and lease record, which the engine, its store and the runtime copy on every
    /// call; inline, its four strings were retained and released on every copy. Read through
    /// inlinable getters, so the runtime's `lease.connection` (at every step of every call) reads
    /// the one field where a call across modules ran for each.
    @usableFromInline let fields: FieldsBox

    /// The lease's id, safe to print.
    public var id: LeaseID { @inlinable get { fields.value.id } }
    /// The connection it grants use of.
    public var connection: ConnectionID { @inlinable get { fields.value.connection } }
    /// The generation the connection had when the lease was issued.
    public var generation: LeaseGeneration { @inlinable get { fields.value.generation } }
    /// The worker holding it.
    public var holder: WorkerID { @inlinable get { fields.value.holder } }
    /// The run it was issued for.
    public var run: RunID { @inlinable get { fields.value.run } }
    /// When it was issued.
    public var issuedAt: Instant { @inlinable get { fields.value.issuedAt } }

    /// Makes a lease (a store implementation rebuilds leases with this).
    public init(id: LeaseID, connection: ConnectionID, generation: LeaseGeneration, holder: WorkerID, run: RunID, issuedAt: Instant) {
        fields = FieldsBox(Fields(id: id, connection: connection, generation: generation, holder: holder, run: run, issuedAt: issuedAt))
    }

    /// The box of a lease's fields (see `Shared`).
    @usableFromInline final class FieldsBox: Shared {
        @usableFromInline let value: Fields
        @usableFromInline init(_ value: Fields) { self.value = value }
    }

    /// A lease's fields (see `Lease.fields`).
    @usableFromInline struct Fields: Hashable, Sendable {
        @usableFromInline let id: LeaseID
        @usableFromInline let connection: ConnectionID
        @usableFromInline let generation: LeaseGeneration
        @usableFromInline let holder: WorkerID
        @usableFromInline let run: RunID
        @usableFromInline let issuedAt: Instant
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

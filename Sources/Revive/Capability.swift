import ReviveVocabulary

/// A short-lived, single-use right to complete one case's reconnect.
///
/// The engine keeps only the SHA-256 digest of the value; the value travels in the reconnect
/// request to the owner and comes back with the reconnect.
public struct CapabilityRecord: Hashable, Sendable {
    /// The record's four strings, fixed when it is issued, in one shared box: the engine and its
    /// store copy a record on every read and write, and inline each copy retained all four.
    private let names: NamesBox

    /// The public id, safe to print.
    public var id: CapabilityID { names.value.id }
    /// The case it is scoped to.
    public var caseID: CaseID { names.value.caseID }
    /// The connection it is scoped to.
    public var connection: ConnectionID { names.value.connection }
    /// SHA-256 of the value, hex.
    public var digest: String { names.value.digest }
    /// When it was issued.
    public let issuedAt: Instant
    /// When it stops being valid.
    public let expiresAt: Instant
    /// Which request carried it: 0 the first, 1… reminders.
    public let reminder: Int
    /// When it was consumed, if it was.
    public var consumedAt: Instant?
    /// When the next reminder is due (the reminder lead before `expiresAt`), or nil when no
    /// reminder follows this capability (it is the last one).
    public let remindAt: Instant?
    /// Whether its expiry was recorded (`capability.expired`): a timer that fires twice records it once.
    public var expiryRecorded: Bool

    /// Makes a record (a store implementation rebuilds records from its rows with this).
    public init(id: CapabilityID, caseID: CaseID, connection: ConnectionID, digest: String, issuedAt: Instant,
                expiresAt: Instant, reminder: Int, consumedAt: Instant?, remindAt: Instant? = nil, expiryRecorded: Bool = false) {
        names = NamesBox(Names(id: id, caseID: caseID, connection: connection, digest: digest))
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.reminder = reminder
        self.consumedAt = consumedAt
        self.remindAt = remindAt
        self.expiryRecorded = expiryRecorded
    }

    /// Whether it can no longer be used at `instant` because its lifetime ran out: it is valid
    /// until, not at, `expiresAt`.
    public func isExpired(at instant: Instant) -> Bool { instant >= expiresAt }

    /// The box of a capability's names (see `Shared`).
    private final class NamesBox: Shared {
        let value: Names
        init(_ value: Names) { self.value = value }
    }

    /// A capability record's fixed strings (see `CapabilityRecord.names`).
    private struct Names: Hashable, Sendable {
        let id: CapabilityID
        let caseID: CaseID
        let connection: ConnectionID
        let digest: String
    }
}

/// The message sent to the account owner (or operator) asking them to act.
///
/// It carries the capability value and no credential. The value is never printed: timelines
/// name the capability by id.
public struct ReconnectRequest: Hashable, Sendable {
    /// The request's fields in one shared box: a request never changes, and the engine and the
    /// world hand it on through parked verdicts, reminders and deliveries; inline, each copy
    /// retained its six strings and array. Read through inlinable getters.
    @usableFromInline let box: FieldsBox

    /// The case it is for.
    public var caseID: CaseID { @inlinable get { box.value.caseID } }
    /// The connection to reconnect.
    public var connection: ConnectionID { @inlinable get { box.value.connection } }
    /// Who it is addressed to.
    public var recipient: String { @inlinable get { box.value.recipient } }
    /// Owner or operator.
    public var responder: Responder { @inlinable get { box.value.responder } }
    /// The capability's public id.
    public var capabilityID: CapabilityID { @inlinable get { box.value.capabilityID } }
    /// The capability's secret value: present it with the reconnect, never print it.
    public var capabilityValue: String { @inlinable get { box.value.capabilityValue } }
    /// When the capability expires (it is valid until, not at, this instant): call
    /// `RecoveryEngine.capabilityExpired` then.
    public var expiresAt: Instant { @inlinable get { box.value.expiresAt } }
    /// When the next reminder is due: call `RecoveryEngine.reminderDue` then. It is the reminder
    /// lead before `expiresAt`, or nil when no reminder follows (this is the last request).
    public var remindAt: Instant? { @inlinable get { box.value.remindAt } }
    /// 0 for the first request, 1… for reminders.
    public var reminder: Int { @inlinable get { box.value.reminder } }
    /// What the request asks for.
    public var kind: RequestKind { @inlinable get { box.value.kind } }
    /// The scopes to grant (for `grant-scopes`: the union of the granted and the needed ones).
    public var scopes: [String] { @inlinable get { box.value.scopes } }

    /// Makes a request.
    public init(caseID: CaseID, connection: ConnectionID, recipient: String, responder: Responder, capabilityID: CapabilityID,
                capabilityValue: String, expiresAt: Instant, remindAt: Instant? = nil, reminder: Int, kind: RequestKind,
                scopes: [String]) {
        box = FieldsBox(Fields(caseID: caseID, connection: connection, recipient: recipient, responder: responder,
                            capabilityID: capabilityID, capabilityValue: capabilityValue, expiresAt: expiresAt,
                            remindAt: remindAt, reminder: reminder, kind: kind, scopes: scopes))
    }

    /// The box of a request's fields (see `Shared`).
    @usableFromInline final class FieldsBox: Shared {
        @usableFromInline let value: Fields
        @usableFromInline init(_ value: Fields) { self.value = value }
    }

    /// A request's fields (see `ReconnectRequest.box`).
    @usableFromInline struct Fields: Hashable, Sendable {
        @usableFromInline let caseID: CaseID
        @usableFromInline let connection: ConnectionID
        @usableFromInline let recipient: String
        @usableFromInline let responder: Responder
        @usableFromInline let capabilityID: CapabilityID
        @usableFromInline let capabilityValue: String
        @usableFromInline let expiresAt: Instant
        @usableFromInline let remindAt: Instant?
        @usableFromInline let reminder: Int
        @usableFromInline let kind: RequestKind
        @usableFromInline let scopes: [String]
    }
}

/// What happened to a presented reconnect.
public enum ReconnectOutcome: Equatable, Sendable {
    /// Identity matched, capability consumed, lease rotated: resume `run` from `checkpoint`.
    case verified(caseID: CaseID, run: RunID, checkpoint: String?, generation: LeaseGeneration)
    /// The reconnect came back as someone else; nothing changed and the run stays parked.
    case rejected(caseID: CaseID)
    /// The capability was missing, unknown, foreign, already used, expired, superseded (its case was
    /// completed with another of its capabilities) or its case is not open; `reason` says which.
    case refused(reason: String)
    /// An operator confirmed the fix with the alert's capability: resume `run` from `checkpoint`.
    case resolved(caseID: CaseID, run: RunID, checkpoint: String?)
}

/// A new grant from a completed provider authorization flow, not yet installed.
public struct PendingGrant: Hashable, Sendable {
    /// The grant's id at the provider.
    public let id: String
    /// The connection it was made for.
    public let connection: ConnectionID
    /// Who actually signed in.
    public let identity: ProviderIdentity
    /// Makes a pending grant.
    public init(id: String, connection: ConnectionID, identity: ProviderIdentity) {
        self.id = id
        self.connection = connection
        self.identity = identity
    }
}

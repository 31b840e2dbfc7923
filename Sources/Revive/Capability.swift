import ReviveVocabulary

/// A short-lived, single-use right to complete one case's reconnect.
///
/// The engine keeps only the SHA-256 digest of the value; the value travels in the reconnect
/// request to the owner and comes back with the reconnect.
public struct CapabilityRecord: Hashable, Sendable {
    /// The public id, safe to print.
    public let id: CapabilityID
    /// The case it is scoped to.
    public let caseID: CaseID
    /// The connection it is scoped to.
    public let connection: ConnectionID
    /// SHA-256 of the value, hex.
    public let digest: String
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
        self.id = id
        self.caseID = caseID
        self.connection = connection
        self.digest = digest
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
}

/// The message sent to the account owner (or operator) asking them to act.
///
/// It carries the capability value and no credential. The value is never printed: timelines
/// name the capability by id.
public struct ReconnectRequest: Hashable, Sendable {
    /// The case it is for.
    public let caseID: CaseID
    /// The connection to reconnect.
    public let connection: ConnectionID
    /// Who it is addressed to.
    public let recipient: String
    /// Owner or operator.
    public let responder: Responder
    /// The capability's public id.
    public let capabilityID: CapabilityID
    /// The capability's secret value: present it with the reconnect, never print it.
    public let capabilityValue: String
    /// When the capability expires (it is valid until, not at, this instant): call
    /// `RecoveryEngine.capabilityExpired` then.
    public let expiresAt: Instant
    /// When the next reminder is due: call `RecoveryEngine.reminderDue` then. It is the reminder
    /// lead before `expiresAt`, or nil when no reminder follows (this is the last request).
    public let remindAt: Instant?
    /// 0 for the first request, 1… for reminders.
    public let reminder: Int
    /// What the request asks for.
    public let kind: RequestKind
    /// The scopes to grant (for `grant-scopes`: the union of the granted and the needed ones).
    public let scopes: [String]

    /// Makes a request.
    public init(caseID: CaseID, connection: ConnectionID, recipient: String, responder: Responder, capabilityID: CapabilityID,
                capabilityValue: String, expiresAt: Instant, remindAt: Instant? = nil, reminder: Int, kind: RequestKind,
                scopes: [String]) {
        self.caseID = caseID
        self.connection = connection
        self.recipient = recipient
        self.responder = responder
        self.capabilityID = capabilityID
        self.capabilityValue = capabilityValue
        self.expiresAt = expiresAt
        self.remindAt = remindAt
        self.reminder = reminder
        self.kind = kind
        self.scopes = scopes
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

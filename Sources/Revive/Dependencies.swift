import ReviveVocabulary

/// Where the engine gets ids and secret values; injected so that a seed decides them.
public protocol IdentifierSource: AnyObject {
    /// A fresh printable id that starts with `prefix` (such as `case_`).
    func nextID(prefix: String) -> String
    /// A fresh secret value that starts with `prefix`; secrets are never printed.
    func nextSecret(prefix: String) -> String
}

/// The engine's view of the credential provider (or the broker in front of it).
///
/// The engine asks it to refresh and to install or discard a reconnect's grant; the provider
/// keeps every token. Calls are synchronous: a real integration wraps its async client.
public protocol CredentialBroker: AnyObject {
    /// Refreshes the connection's token pair held at `generation`, rotating it to `next`; nil on
    /// success, or the provider's failure signal (a single-use refresh token of an older
    /// generation is refused, as Slack, GitHub and Auth0 rotation do).
    func refresh(_ connection: ConnectionID, generation: LeaseGeneration, rotatingTo next: LeaseGeneration) -> ProviderSignal?
    /// Installs a verified reconnect's grant (access and refresh token as one pair).
    func install(_ grant: PendingGrant, generation: LeaseGeneration)
    /// Throws away an unverified reconnect's grant.
    func discard(_ grant: PendingGrant)
}

/// A connection as the engine knows it: who owns it and who it must stay bound to.
public struct ConnectionRecord: Hashable, Sendable {
    /// Who the connection is, fixed when it is registered, in one shared box: the engine reads
    /// the record (a copy) on most decisions for one field, and inline each copy retained these
    /// four strings.
    private let identity: IdentityBox

    /// The connection id.
    public var id: ConnectionID { identity.value.id }
    /// The provider behind it.
    public var provider: ProviderKind { identity.value.provider }
    /// The broker holding its tokens.
    public var broker: BrokerKind { identity.value.broker }
    /// The owner's address, where reconnect requests go.
    public var ownerAddress: String { identity.value.ownerAddress }
    /// The pinned subject and tenant.
    public var pinnedIdentity: ProviderIdentity { identity.value.pinnedIdentity }
    /// The granted scopes (widened when an owner grants more).
    public var scopes: [String]
    /// What the provider promises about idempotency keys and late requests.
    public var idempotency: IdempotencyPromise

    /// Makes a connection record.
    public init(id: ConnectionID, provider: ProviderKind, broker: BrokerKind, ownerAddress: String,
                pinnedIdentity: ProviderIdentity, scopes: [String], idempotency: IdempotencyPromise = IdempotencyPromise()) {
        identity = IdentityBox(Identity(id: id, provider: provider, broker: broker, ownerAddress: ownerAddress, pinnedIdentity: pinnedIdentity))
        self.scopes = scopes
        self.idempotency = idempotency
    }

    /// The box of a connection's identity (see `Shared`).
    private final class IdentityBox: Shared {
        let value: Identity
        init(_ value: Identity) { self.value = value }
    }

    /// A connection's fixed fields (see `ConnectionRecord.identity`).
    private struct Identity: Hashable, Sendable {
        let id: ConnectionID
        let provider: ProviderKind
        let broker: BrokerKind
        let ownerAddress: String
        let pinnedIdentity: ProviderIdentity
    }
}

/// The engine's tunable limits.
public struct RecoveryConfiguration: Hashable, Sendable {
    /// How long a recovery capability stays valid (default 1 hour).
    public var capabilityLifetime: Span
    /// How many fresh reconnect requests (reminders) follow the first while its case waits (default 24).
    public var maxReminders: Int
    /// How long before a capability expires its reminder goes out, while reminders remain (default
    /// `defaultReminderLead`, 5 minutes; see `reminderLeadInForce`).
    ///
    /// The old capability stays valid until its own expiry, so the owner always holds a live link:
    /// a reconnect at the very instant a capability expires finds the reminder's capability waiting.
    public var reminderLead: Span
    /// Where operator alerts go.
    public var operatorAddress: String
    /// How long the store keeps a closed case after it closed, and a settled ledger entry after its last change (default 7 days).
    ///
    /// Within it, a retried action stays idempotent and an old capability is still recognized
    /// (`already-used`, `expired`, `superseded`); after it, both are forgotten (`unknown`). Refresh
    /// marks, lost-worker marks and leases are kept no longer either (the whole bound is stated on
    /// `RecoveryStore`).
    public var closedCaseRetention: Span

    #if REVIVE_PLANTED_BUGS
    /// Deliberate bugs switched on for the explorer's proof tests (debug builds only).
    public var plantedBugs: Set<PlantedBug> = []
    #endif

    /// The documented lead of a reminder before the capability it follows expires: 5 minutes.
    public static let defaultReminderLead = Span.minutes(5)

    /// The documented defaults: 1h capabilities, 24 reminders each 5 minutes before the previous
    /// capability expires, so an owner holds a valid link for 23 hours after the first request (24
    /// reminders 55 minutes apart, then the last capability's hour); closed cases and settled ledger
    /// entries kept for 7 days.
    public init(capabilityLifetime: Span = .hours(1), maxReminders: Int = 24, reminderLead: Span = defaultReminderLead,
                operatorAddress: String = "operator", closedCaseRetention: Span = .days(7)) {
        self.capabilityLifetime = capabilityLifetime
        self.maxReminders = maxReminders
        self.reminderLead = reminderLead
        self.operatorAddress = operatorAddress
        self.closedCaseRetention = closedCaseRetention
    }

    /// The lead actually used: `reminderLead`, but never more than half the capability's lifetime
    /// (nor below zero), so that a capability always lives a while before its reminder goes out.
    public var reminderLeadInForce: Span {
        let half = Span(milliseconds: capabilityLifetime.milliseconds / 2)
        return max(.zero, min(reminderLead, half))
    }
}

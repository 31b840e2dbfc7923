/// What kind of credential failure happened; decides the recovery path.
///
/// A class is data: it goes into the timeline and the case record and is never thrown.
public enum FailureClass: String, CaseIterable, Sendable, Comparable {
    /// The grant is dead: only the owner reconnecting can fix it.
    case deadGrant = "dead_grant"
    /// The access token expired; a refresh heals it without a human.
    case refreshable
    /// A passing provider or network fault; retry with backoff, keep the credential.
    case transient
    /// The provider asks us to slow down; honour `Retry-After`.
    case rateLimited = "rate_limited"
    /// The user must grant consent interactively.
    case consentRequired = "consent_required"
    /// The same user must re-authenticate (MFA, session policy); expect it to recur.
    case stepUp = "step_up"
    /// The grant lacks a scope the call needs; ask for the union of old and needed scopes.
    case insufficientScope = "insufficient_scope"
    /// An administrator's policy blocks the call; no reconnect helps.
    case policyBlocked = "policy_blocked"
    /// The owner never connected (or the connection is pending).
    case notConnected = "not_connected"
    /// The integration is misconfigured (rotated secret, wrong app); an operator must fix it.
    case configError = "config_error"
    /// The account is disabled, locked or needs a password change.
    case accountBlocked = "account_blocked"
    /// Another worker already rotated the credential: reload the lease, page nobody.
    case staleGeneration = "stale_generation"
    /// A reconnect came back as someone other than the pinned identity.
    case identityMismatch = "identity_mismatch"
    /// A mutation's outcome is unknown and the provider offers no way to learn it (no lookup by
    /// key, lookups refused until the retry policy gave up, a dedupe key past its retention): an
    /// operator must say whether it happened. The engine decides this class; no signal maps to it.
    case outcomeUnknown = "outcome_unknown"

    public static func < (a: FailureClass, b: FailureClass) -> Bool { a.rawValue < b.rawValue }

    /// Whether this class parks the run (a human or an operator must act before it continues).
    public var parksRun: Bool {
        switch self {
        case .refreshable, .transient, .rateLimited, .staleGeneration: return false
        default: return true
        }
    }

    /// Who must act before a parked run can continue.
    public var responder: Responder {
        switch self {
        case .configError, .policyBlocked, .outcomeUnknown: return .operator
        case .refreshable, .transient, .rateLimited, .staleGeneration: return .nobody
        default: return .owner
        }
    }
}

/// Who is asked to act on a recovery case.
public enum Responder: String, Sendable {
    /// The account owner (reconnect, consent, re-authenticate).
    case owner
    /// An operator of the integration (configuration, policy, or whether an action happened).
    case `operator`
    /// Nobody: the engine heals it alone.
    case nobody
}

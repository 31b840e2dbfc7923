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
        case .configError, .policyBlocked: return .operator
        case .refreshable, .transient, .rateLimited, .staleGeneration: return .nobody
        default: return .owner
        }
    }

    /// The recovery path, in words, for timelines and for `classify`.
    public var recoveryAction: String {
        switch self {
        case .deadGrant: return "park the run; ask the owner to reconnect; verify identity; rotate the lease; resume"
        case .refreshable: return "refresh once with the current lease generation and retry; classify a failed refresh"
        case .transient: return "retry with exponential backoff; keep the credential"
        case .rateLimited: return "wait for Retry-After (capped); keep the lease; no reconnect"
        case .consentRequired: return "park the run; send the owner an interactive consent request"
        case .stepUp: return "park the run; ask the same subject to re-authenticate (MFA); expect it to recur"
        case .insufficientScope: return "park the run; ask for the union of the granted and the needed scopes"
        case .policyBlocked: return "park the run; alert an operator and the owner; a reconnect alone will not help"
        case .notConnected: return "park the run; send the owner a first connect request"
        case .configError: return "park the run; alert an operator; do not page the owner"
        case .accountBlocked: return "park the run; a human must fix the account, then re-authenticate"
        case .staleGeneration: return "reload the newer lease and retry; page nobody"
        case .identityMismatch: return "reject the reconnect; keep the run parked and the old credentials untouched"
        }
    }
}

extension FailureClass {
    /// What the request to the responder asks for.
    public var requestKind: RequestKind {
        switch self {
        case .stepUp: return .reauthenticate
        case .consentRequired: return .consent
        case .insufficientScope: return .grantScopes
        case .notConnected: return .connect
        case .accountBlocked: return .fixAccount
        case .configError, .policyBlocked: return .operatorFix
        default: return .reconnect
        }
    }
}

/// What a recovery request asks its recipient to do.
public enum RequestKind: String, Sendable {
    /// Reconnect the account (a new grant).
    case reconnect
    /// Sign in again as the same user (MFA, session policy); expected to recur.
    case reauthenticate
    /// Grant consent interactively.
    case consent
    /// Grant the union of the granted and the needed scopes.
    case grantScopes = "grant-scopes"
    /// Connect the account for the first time.
    case connect
    /// Fix the account (enable, unlock, change the password), then sign in again.
    case fixAccount = "fix-account"
    /// An operator fixes the integration's configuration or policy; no reconnect helps.
    case operatorFix = "operator-fix"
}

/// Who is asked to act on a recovery case.
public enum Responder: String, Sendable {
    /// The account owner (reconnect, consent, re-authenticate).
    case owner
    /// An operator of the integration (configuration or policy).
    case `operator`
    /// Nobody: the engine heals it alone.
    case nobody
}

/// How sure a classification is.
public enum Confidence: String, Sendable, Comparable {
    case low, medium, high

    private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }
    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }
}

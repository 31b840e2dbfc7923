import ReviveVocabulary

/// The engine's recovery path for each class: what the responder is asked, in words.
extension FailureClass {
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
        case .outcomeUnknown: return "park the run; ask an operator whether the action happened; resume on the answer, never resend before it"
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
        case .outcomeUnknown: return .confirmOutcome
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
    /// An operator says whether an action whose outcome is unknown happened at the provider.
    case confirmOutcome = "confirm-outcome"
}

/// How sure a classification is.
public enum Confidence: String, Sendable, Comparable {
    case low, medium, high

    private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }
    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }
}

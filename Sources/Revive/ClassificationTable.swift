import ReviveVocabulary

/// The classification table: every rule the classifier knows, in the order it tries them.
///
/// First match wins, so specific rows (an AADSTS number, a provider's own code, a phrase) come
/// before generic OAuth codes, and bare HTTP statuses come last. docs/classification.md prints
/// this table for people; tests hold one case per row.
public enum ClassificationTable {
    /// The rules, most specific first.
    ///
    /// One literal of lists and strings, which the compiler lays down as constants: the rows were
    /// sets in seven tables joined at the first classification of every process (a third of a
    /// million instructions, most of the cost of the first play's first failure).
    public static let rules: [ClassificationRule] = [
        // Microsoft
        rule("microsoft-dead-grant", .deadGrant, aadsts: [70008, 700082, 700084, 50173, 50089, 50132, 50133], checksGeneration: true),
        rule("microsoft-step-up-enrolment", .stepUp, aadsts: [50079, 50072]),
        rule("microsoft-step-up", .stepUp, aadsts: [50076, 50078, 50074, 70043]),
        rule("microsoft-policy", .policyBlocked, aadsts: [53003, 53000, 53001, 530032, 530035]),
        rule("microsoft-consent", .consentRequired, aadsts: [65001, 90094, 90008]),
        rule("microsoft-config", .configError, aadsts: [7000215, 7000222, 700016, 90002, 500011]),
        rule("microsoft-account-blocked", .accountBlocked, aadsts: [50057, 50053, 50055]),
        rule("microsoft-rate-limited", .rateLimited, aadsts: [90055]),
        rule("microsoft-transient", .transient, aadsts: [50033, 50087, 90006, 90024, 90033, 90090, 70012]),
        rule("microsoft-claims-challenge", .stepUp, codes: ["insufficient_claims"]),

        // Google
        rule("google-reauth-rapt", .stepUp, codes: ["invalid_grant"], text: ["invalid_rapt", "reauth related error"]),
        rule("google-service-account-jwt", .configError, codes: ["invalid_grant"], text: ["invalid jwt"]),
        rule("google-expired-or-revoked", .deadGrant, codes: ["invalid_grant"], text: ["token has been expired or revoked"], checksGeneration: true),
        rule("google-bad-request", .deadGrant, .low, provider: .google, codes: ["invalid_grant"], text: ["bad request"], checksGeneration: true),
        rule("google-scope-insufficient", .insufficientScope, codes: ["access_token_scope_insufficient", "insufficientpermissions"]),
        rule("google-rate-limited", .rateLimited, codes: ["ratelimitexceeded", "userratelimitexceeded", "resource_exhausted"]),
        rule("google-unauthenticated", .refreshable, codes: ["unauthenticated"]),

        // Slack
        rule("slack-token-expired", .refreshable, codes: ["token_expired"]),
        rule("slack-revoked", .deadGrant, codes: ["invalid_auth", "not_authed", "token_revoked"], checksGeneration: true),
        rule("slack-account-inactive", .deadGrant, codes: ["account_inactive"], checksGeneration: true),
        rule("slack-invalid-refresh-token", .deadGrant, codes: ["invalid_refresh_token"], checksGeneration: true),
        rule("slack-missing-scope", .insufficientScope, codes: ["missing_scope"]),
        rule("slack-rate-limited", .rateLimited, codes: ["ratelimited"]),
        rule("slack-internal-error", .transient, codes: ["internal_error", "fatal_error"]),

        // GitHub
        rule("github-bad-refresh-token", .deadGrant, codes: ["bad_refresh_token"], checksGeneration: true),
        rule("github-bad-credentials", .refreshable, status: [401], text: ["bad credentials"]),
        rule("github-rate-limited", .rateLimited, provider: .github, status: [403, 429], text: ["rate limit"]),

        // Salesforce
        rule("salesforce-invalid-session", .refreshable, codes: ["invalid_session_id"]),
        rule("salesforce-request-limit", .rateLimited, codes: ["request_limit_exceeded"]),
        rule("salesforce-not-approved", .consentRequired, codes: ["invalid_grant"], text: ["hasn't approved", "has not approved"]),
        rule("salesforce-inactive-user", .accountBlocked, codes: ["invalid_grant"], text: ["inactive user", "password expired"]),
        rule("salesforce-ip-restricted", .policyBlocked, codes: ["invalid_grant"], text: ["ip restricted"]),
        rule("salesforce-challenge", .stepUp, codes: ["invalid_grant"], text: ["challenge required"]),
        rule("salesforce-expired-token", .deadGrant, codes: ["invalid_grant"], text: ["expired access/refresh token"], checksGeneration: true),

        // Brokers (Nango, Auth0, Scalekit)
        rule("nango-refresh-limit", .deadGrant, codes: ["invalid_credentials"], checksGeneration: true),
        rule("nango-unknown-connection", .configError, codes: ["unknown_connection"]),
        rule("auth0-not-connected", .notConnected, codes: ["federated_connection_refresh_token_not_found"]),
        rule("auth0-refresh-flow-failed", .deadGrant, codes: ["federated_connection_refresh_token_flow_failed"], checksGeneration: true),
        rule("auth0-unknown-refresh-token", .deadGrant, codes: ["invalid_grant"], text: ["unknown or invalid refresh token"], checksGeneration: true),
        rule("auth0-expired-subject-token", .deadGrant, codes: ["expired_token"], checksGeneration: true),
        rule("scalekit-expired-or-revoked", .deadGrant, codes: ["connected_account_expired", "connected_account_revoked"], checksGeneration: true),
        rule("scalekit-pending", .notConnected, codes: ["connected_account_pending"]),
        rule("scalekit-error", .configError, .medium, codes: ["connected_account_error"]),
        rule("scalekit-suspended", .policyBlocked, codes: ["connected_account_suspended"]),

        // Any provider: OAuth codes, then bare HTTP statuses
        rule("oauth-interaction-required", .stepUp, codes: ["interaction_required", "login_required", "mfa_required"]),
        rule("oauth-consent-required", .consentRequired, codes: ["consent_required"]),
        rule("oauth-insufficient-scope", .insufficientScope, codes: ["insufficient_scope"]),
        rule("oauth-client-config", .configError, codes: ["invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope"]),
        rule("oauth-invalid-grant", .deadGrant, .medium, codes: ["invalid_grant"], checksGeneration: true),
        rule("oauth-invalid-token", .refreshable, codes: ["invalid_token", "invalidauthenticationtoken", "expired_token_on_call"]),
        rule("oauth-temporarily-unavailable", .transient, codes: ["temporarily_unavailable", "server_error", "timeout"]),
        // A dedupe provider (Stripe) still processing the first request with this key: in doubt, try later.
        rule("idempotency-key-in-use", .transient, codes: ["idempotency_key_in_use"]),
        rule("http-rate-limited", .rateLimited, status: [429]),
        rule("http-server-error", .transient, status: [500, 502, 503, 504]),
        rule("http-unauthorized", .refreshable, .low, status: [401]),
    ]
}

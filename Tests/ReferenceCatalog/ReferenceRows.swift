import Revive
import ReviveVocabulary

/// One row of the provider-error reference's classification table as a test case: the signal a
/// provider sends (status, code/text, headers, JSON body), who sent it, and the class it means.
///
/// The bodies are copied into the tests on purpose: the reference document is not shipped with
/// the project and is never read at run time. This catalogue is the one copy every test target
/// uses (ReviveTests, ReviveLabTests, EndToEndTests).
public struct ReferenceRow: Sendable, CustomStringConvertible {
    public let label: String
    public let provider: ProviderKind?
    public let operation: FailedOperation
    public let status: Int
    public let error: String?
    /// The error's human text (`error_description`); named so that `description` can be the label.
    public let errorDescription: String?
    public let headers: [String: String]
    public let body: String?
    public let expected: FailureClass
    public let confidence: Confidence?
    /// The lease generation the failing worker held and the connection's current one, for rows
    /// whose class depends on the stale-generation check (nil: no generations are given).
    public let leaseGeneration: Int?
    public let currentGeneration: Int?

    /// The label, so a parameterized test case is named after its row.
    public var description: String { label }

    /// The provider to name on the command line (`classify --provider`) and in a scenario's
    /// connection: the row's provider, or `generic` when it names none.
    public var providerName: String { (provider ?? .generic).rawValue }

    /// The provider signal this row describes; the body goes through `JSONValue.parse`.
    public func signal() throws -> ProviderSignal {
        ProviderSignal(status: status, error: error, description: errorDescription, headers: headers,
                       body: try parsedBody())
    }

    /// The body as JSON, or nil when the row has none.
    public func parsedBody() throws -> JSONValue? {
        try body.map { text throws(JSONSyntaxError) in try JSONValue.parse(text) }
    }

    /// The headers as a JSON object of strings, sorted by name so the text is stable.
    var headersObject: JSONValue {
        .object(headers.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.string($0.value)) })
    }

    /// The input `revive-lab classify` reads for this row:
    /// `{"status":…, "headers":…, "body":…, "operation":…, "leaseGeneration":…, "currentGeneration":…}`.
    ///
    /// `classify` has no `error`/`description` keys: a row that gives them without a body gets
    /// the RFC 6749 body `{"error":…, "error_description":…}`, which `SignalFacts` reads into the
    /// same codes and text. The generations default to the row's own.
    public func classifyInput(leaseGeneration: Int? = nil, currentGeneration: Int? = nil) throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("status", .integer(Int64(status)))]
        if !headers.isEmpty { members.append(("headers", headersObject)) }
        if let body = try parsedBody() {
            guard error == nil && errorDescription == nil else {
                throw ReferenceRowError(row: label, "has both a body and error/description, which classify's input cannot carry apart")
            }
            members.append(("body", body))
        } else if error != nil || errorDescription != nil {
            var fields: [(key: String, value: JSONValue)] = []
            if let error { fields.append(("error", .string(error))) }
            if let errorDescription { fields.append(("error_description", .string(errorDescription))) }
            members.append(("body", .object(fields)))
        }
        switch operation {
        case .call: members.append(("operation", .string("call")))
        case .refresh: members.append(("operation", .string("refresh")))
        case .timeout: throw ReferenceRowError(row: label, "is a timeout, which classify's input cannot express")
        case .reconcile: throw ReferenceRowError(row: label, "is a reconciliation, which only the engine records")
        }
        if let held = leaseGeneration ?? self.leaseGeneration { members.append(("leaseGeneration", .integer(Int64(held)))) }
        if let current = currentGeneration ?? self.currentGeneration { members.append(("currentGeneration", .integer(Int64(current)))) }
        return .object(members)
    }

    /// `classifyInput` as compact JSON text, ready for standard input or a file.
    public func classifyInputText(leaseGeneration: Int? = nil, currentGeneration: Int? = nil) throws -> String {
        try classifyInput(leaseGeneration: leaseGeneration, currentGeneration: currentGeneration).compactText
    }

    /// The scenario fault's `signal` object for this row: `status`, and `error`, `description`,
    /// `headers` and `body` when the row has them.
    public func scenarioSignal() throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("status", .integer(Int64(status)))]
        if let error { members.append(("error", .string(error))) }
        if let errorDescription { members.append(("description", .string(errorDescription))) }
        if !headers.isEmpty { members.append(("headers", headersObject)) }
        if let body = try parsedBody() { members.append(("body", body)) }
        return .object(members)
    }
}

/// A row that cannot be expressed in the requested input form.
public struct ReferenceRowError: Error, CustomStringConvertible {
    public var description: String
    init(row: String, _ problem: String) { description = "reference row \"\(row)\" \(problem)" }
}

/// Builds a row; keeps the tables below readable as tables.
private func row(_ label: String, _ provider: ProviderKind?, _ status: Int, op: FailedOperation = .call,
                 error: String? = nil, description: String? = nil, headers: [String: String] = [:],
                 body: String? = nil, expect: FailureClass, confidence: Confidence? = nil,
                 generations: (lease: Int, current: Int)? = nil) -> ReferenceRow {
    ReferenceRow(label: label, provider: provider, operation: op, status: status, error: error, errorDescription: description,
                 headers: headers, body: body, expected: expect, confidence: confidence,
                 leaseGeneration: generations?.lease, currentGeneration: generations?.current)
}

/// Microsoft's token-endpoint envelope: `error`, an AADSTS description, `error_codes`, trace ids.
private func entra(_ code: Int, _ text: String, error: String = "invalid_grant", status: Int = 400,
                   expect: FailureClass) -> ReferenceRow {
    let description = "AADSTS\(code): \(text)\\r\\nTrace ID: 5f2c0e6a-1b43-4c8e-9a51-7d0c2f3e8b00\\r\\nCorrelation ID: 3a7d9c1e-6b2f-4e80-b1d4-0f9e8c7a6b51\\r\\nTimestamp: 2026-11-23 02:00:00Z"
    let body = #"{"error":"\#(error)","error_description":"\#(description)","error_codes":[\#(code)],"timestamp":"2026-11-23 02:00:00Z","trace_id":"5f2c0e6a-1b43-4c8e-9a51-7d0c2f3e8b00","correlation_id":"3a7d9c1e-6b2f-4e80-b1d4-0f9e8c7a6b51","error_uri":"https://login.microsoftonline.com/error?code=\#(code)"}"#
    return row("Microsoft \(status) \(error) + AADSTS\(code) → \(expect.rawValue)", .microsoft, status, op: .refresh,
               body: body, expect: expect)
}

/// Slack's Web API failure: HTTP 200 with `{"ok":false,"error":…}`.
private func slack(_ code: String, op: FailedOperation = .call, extra: String = "", expect: FailureClass) -> ReferenceRow {
    row("Slack 200 ok:false \(code) → \(expect.rawValue)", .slack, 200, op: op,
        body: #"{"ok":false,"error":"\#(code)"\#(extra)}"#, expect: expect)
}

/// Scalekit's connected-account state.
private func scalekit(_ state: String, expect: FailureClass) -> ReferenceRow {
    row("Scalekit connected_account \(state) → \(expect.rawValue)", .google, 400,
        body: #"{"connected_account":{"id":"ca_71","connector":"gmail","identifier":"ada@acme.example","status":"\#(state)"}}"#,
        expect: expect)
}

public enum ReferenceRows {
    public static let rfcBearerChallenge = #"Bearer realm="api.example", error="invalid_token", error_description="The access token expired""#

    /// "Any" rows: RFC 6749 / RFC 6750 / HTTP.
    public static let generic: [ReferenceRow] = [
        row("RFC 6750 401 WWW-Authenticate error=invalid_token on a call → refreshable", .generic, 401,
            headers: ["WWW-Authenticate": rfcBearerChallenge], expect: .refreshable),
        row("RFC 6750 403 error=insufficient_scope with scope= → insufficient_scope", .generic, 403,
            headers: ["WWW-Authenticate": #"Bearer realm="api.example", error="insufficient_scope", scope="mail.read mail.send""#],
            expect: .insufficientScope),
        row("RFC 6749 400 invalid_grant on refresh, no better hint → dead_grant", .generic, 400, op: .refresh,
            body: #"{"error":"invalid_grant"}"#, expect: .deadGrant),
        row("RFC 6749 401 invalid_client → config_error", .generic, 401, op: .refresh,
            body: #"{"error":"invalid_client","error_description":"Client authentication failed"}"#, expect: .configError),
        row("RFC 6749 400 unauthorized_client → config_error", .generic, 400, op: .refresh,
            body: #"{"error":"unauthorized_client"}"#, expect: .configError),
        row("RFC 6749 400 unsupported_grant_type → config_error", .generic, 400, op: .refresh,
            body: #"{"error":"unsupported_grant_type"}"#, expect: .configError),
        row("RFC 6749 400 invalid_scope → config_error", .generic, 400, op: .refresh,
            body: #"{"error":"invalid_scope","error_description":"The requested scope is invalid"}"#, expect: .configError),
        row("429 + Retry-After in seconds → rate_limited", .generic, 429, headers: ["Retry-After": "30"], expect: .rateLimited),
        row("429 + Retry-After as an HTTP-date (with Date) → rate_limited", .generic, 429,
            headers: ["Retry-After": "Wed, 21 Oct 2015 07:30:00 GMT", "Date": "Wed, 21 Oct 2015 07:28:00 GMT"],
            expect: .rateLimited),
        row("500 → transient", .generic, 500, expect: .transient),
        row("502 → transient", .generic, 502, body: #"{"message":"Bad Gateway"}"#, expect: .transient),
        row("503 → transient", .generic, 503, headers: ["Content-Type": "text/html"], expect: .transient),
        row("504 → transient", .generic, 504, expect: .transient),
        row("400 temporarily_unavailable → transient", .generic, 400, op: .refresh,
            body: #"{"error":"temporarily_unavailable"}"#, expect: .transient),
        row("409 idempotency_key_in_use (a dedupe provider still processing the key) → transient", .generic, 409,
            body: #"{"error":"idempotency_key_in_use","error_description":"There is currently another in-progress request using this idempotency key."}"#, expect: .transient),
        row("500 server_error → transient", .generic, 500, op: .refresh, body: #"{"error":"server_error"}"#, expect: .transient),
    ]

    /// Nango, Auth0 Token Vault and Scalekit rows.
    public static let brokers: [ReferenceRow] = [
        row("Nango log refresh_token_external_error 400 with inner invalid_grant → dead_grant", .google, 400, op: .refresh,
            body: #"{"type":"refresh_token_external_error","status":400,"payload":{"dataMessage":{"error":"invalid_grant","error_description":"Token has been expired or revoked."}}}"#,
            expect: .deadGrant),
        row("Nango auth webhook operation:refresh success:false → dead_grant", .generic, 200, op: .refresh,
            body: #"{"type":"auth","operation":"refresh","success":false,"connectionId":"conn-1","providerConfigKey":"google-mail","provider":"google-mail","environment":"PROD","error":{"type":"refresh_token_external_error","description":"The external API returned an error when trying to refresh the access token. Please try again later."}}"#,
            expect: .deadGrant),
        row("Nango GET /connections/{id} invalid_credentials (refresh limit reached) → dead_grant", .google, 400,
            body: #"{"error":{"code":"invalid_credentials","message":"The refresh limit has been reached for this connection."}}"#,
            expect: .deadGrant),
        row("Nango invalid_credentials, flat shape → dead_grant", .google, 400,
            body: #"{"code":"invalid_credentials","message":"The refresh limit has been reached for this connection."}"#,
            expect: .deadGrant),
        row("Nango 404 unknown_connection → config_error", .generic, 404,
            body: #"{"error":{"code":"unknown_connection","message":"No connection matching the provided params of 'connection_id' and 'provider_config_key'."}}"#,
            expect: .configError),
        row("Nango wrapper 'Please try again later' with inner invalid_grant → dead_grant", .generic, 400, op: .refresh,
            body: #"{"type":"refresh_token_external_error","status":400,"message":"The external API returned an error when trying to refresh the access token. Please try again later.","payload":{"dataMessage":{"error":"invalid_grant","error_description":"The grant is invalid or revoked."}}}"#,
            expect: .deadGrant),
        row("Auth0 Token Vault 401 federated_connection_refresh_token_not_found → not_connected", .google, 401,
            body: #"{"error":"federated_connection_refresh_token_not_found","error_description":"Federated connection Refresh Token not found."}"#,
            expect: .notConnected),
        row("Auth0 Token Vault federated_connection_refresh_token_flow_failed → dead_grant", .google, 401, op: .refresh,
            body: #"{"error":"federated_connection_refresh_token_flow_failed","error_description":"Failed to refresh the federated access token: invalid_grant"}"#,
            expect: .deadGrant),
        row("Auth0 Token Vault exchanged token lacks a required scope (insufficient_scope) → insufficient_scope", .google, 403,
            body: #"{"error":"insufficient_scope","error_description":"The token lacks the scope https://www.googleapis.com/auth/calendar.events"}"#,
            expect: .insufficientScope),
        row("Auth0 own RT 403 invalid_grant 'Unknown or invalid refresh token.' → dead_grant", .generic, 403, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#, expect: .deadGrant),
        row("Auth0 invalid_grant on the subject token → dead_grant", .generic, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"Invalid subject token"}"#, expect: .deadGrant),
        row("Auth0 expired_token on the subject token → dead_grant", .generic, 400, op: .refresh,
            body: #"{"error":"expired_token","error_description":"The subject token has expired"}"#, expect: .deadGrant),
        scalekit("EXPIRED", expect: .deadGrant),
        scalekit("REVOKED", expect: .deadGrant),
        scalekit("PENDING", expect: .notConnected),
        scalekit("ERROR", expect: .configError),
        scalekit("SUSPENDED", expect: .policyBlocked),
    ]

    /// Microsoft Entra rows, one per AADSTS number the reference names.
    public static let microsoft: [ReferenceRow] = [
        entra(70008, "The provided authorization code or refresh token has expired due to inactivity.", expect: .deadGrant),
        entra(700082, "The refresh token has expired due to inactivity.", expect: .deadGrant),
        entra(700084, "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which can't be extended.", expect: .deadGrant),
        entra(50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed.", expect: .deadGrant),
        entra(50089, "Authentication failed due to flow token expired.", expect: .deadGrant),
        entra(50132, "The session isn't valid due to password expiration or recent password change.", expect: .deadGrant),
        entra(50133, "Session is invalid due to expiration or recent password change.", expect: .deadGrant),
        entra(50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.", expect: .stepUp),
        entra(50076, "Due to a configuration change made by your administrator, you must use multi-factor authentication.", error: "interaction_required", expect: .stepUp),
        entra(50078, "Presented multi-factor authentication has expired due to policies configured by your administrator, you must refresh your multi-factor authentication to access the resource.", error: "interaction_required", expect: .stepUp),
        entra(50074, "Strong Authentication is required.", error: "interaction_required", expect: .stepUp),
        entra(70043, "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.", expect: .stepUp),
        entra(50079, "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication.", error: "interaction_required", expect: .stepUp),
        entra(50072, "User needs to enroll for second factor authentication (interactive).", error: "interaction_required", expect: .stepUp),
        entra(53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", expect: .policyBlocked),
        entra(53000, "Device is not in required device state: compliant.", expect: .policyBlocked),
        entra(53001, "Device is not in required device state: domain joined.", expect: .policyBlocked),
        entra(530032, "User blocked due to risk on home tenant.", expect: .policyBlocked),
        entra(530035, "Access has been blocked by security defaults.", expect: .policyBlocked),
        entra(65001, "The user or administrator has not consented to use the application with ID 'a1b2'.", expect: .consentRequired),
        entra(65001, "The user or administrator has not consented to use the application.", error: "consent_required", expect: .consentRequired),
        entra(90094, "The grant requires admin permission.", expect: .consentRequired),
        entra(90008, "The user or administrator hasn't consented to use the application.", expect: .consentRequired),
        entra(500011, "The resource principal named https://graph.example was not found in the tenant named Contoso.", error: "invalid_resource", expect: .configError),
        entra(7000215, "Invalid client secret provided.", error: "invalid_client", status: 401, expect: .configError),
        entra(7000222, "The provided client secret keys for app 'a1b2' are expired.", error: "invalid_client", status: 401, expect: .configError),
        entra(700016, "Application with identifier 'a1b2' was not found in the directory 'Contoso'.", error: "unauthorized_client", expect: .configError),
        entra(90002, "Tenant 'contoso.example' not found.", error: "invalid_request", expect: .configError),
        entra(50057, "The user account is disabled.", expect: .accountBlocked),
        entra(50053, "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.", expect: .accountBlocked),
        entra(50055, "The password is expired.", expect: .accountBlocked),
        entra(50033, "There was an error and the server must retry.", error: "temporarily_unavailable", status: 503, expect: .transient),
        entra(50087, "The secure token service is temporarily unavailable.", error: "temporarily_unavailable", status: 503, expect: .transient),
        entra(90006, "The server received an error from an external server; retry the request.", error: "temporarily_unavailable", status: 503, expect: .transient),
        entra(90024, "The request budget was exceeded; retry the request.", error: "temporarily_unavailable", status: 503, expect: .transient),
        entra(90033, "A transient error has occurred. Please try again.", error: "temporarily_unavailable", status: 503, expect: .transient),
        entra(90090, "A transient error occurred while processing the request.", error: "temporarily_unavailable", status: 503, expect: .transient),
        entra(70012, "A server error occurred while authenticating an MSA (consumer) user.", error: "server_error", status: 500, expect: .transient),
        row("Microsoft temporarily_unavailable without an AADSTS number → transient", .microsoft, 503, op: .refresh,
            body: #"{"error":"temporarily_unavailable","error_description":"The service is temporarily unavailable."}"#,
            expect: .transient),
        entra(90055, "There are too many incoming requests. Throttled.", error: "temporarily_unavailable", status: 429, expect: .rateLimited),
        row("Microsoft 401 resource error=insufficient_claims + claims= → step_up", .microsoft, 401,
            headers: ["WWW-Authenticate": #"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19""#],
            expect: .stepUp),
    ]

    /// Google rows.
    public static let google: [ReferenceRow] = [
        row("Google 400 invalid_grant 'Token has been expired or revoked.' → dead_grant", .google, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#, expect: .deadGrant),
        row("Google 400 invalid_grant 'reauth related error (invalid_rapt)' → step_up", .google, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"reauth related error (invalid_rapt)","error_uri":"https://support.google.com/a/answer/9368756","error_subtype":"invalid_rapt"}"#,
            expect: .stepUp),
        row("Google 400 invalid_grant 'Bad Request' → dead_grant (low confidence)", .google, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"Bad Request"}"#, expect: .deadGrant, confidence: .low),
        row("Google service account invalid_grant 'Invalid JWT … iat and exp' → config_error", .google, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}"#,
            expect: .configError),
        row("Google 401 UNAUTHENTICATED on an API call → refreshable", .google, 401,
            body: #"{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError","location":"Authorization","locationType":"header"}],"status":"UNAUTHENTICATED"}}"#,
            expect: .refreshable),
        row("Google 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT → insufficient_scope", .google, 403,
            body: #"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com","metadata":{"service":"gmail.googleapis.com","method":"caribou.api.proto.MailboxService.SendMessage"}}]}}"#,
            expect: .insufficientScope),
        row("Google 403 insufficientPermissions → insufficient_scope", .google, 403,
            body: #"{"error":{"code":403,"message":"Insufficient Permission","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}]}}"#,
            expect: .insufficientScope),
        row("Google 429 rateLimitExceeded → rate_limited", .google, 429,
            body: #"{"error":{"code":429,"message":"Rate Limit Exceeded","errors":[{"message":"Rate Limit Exceeded","domain":"usageLimits","reason":"rateLimitExceeded"}],"status":"RESOURCE_EXHAUSTED"}}"#,
            expect: .rateLimited),
        row("Google 403 userRateLimitExceeded → rate_limited", .google, 403,
            body: #"{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"message":"User Rate Limit Exceeded","domain":"usageLimits","reason":"userRateLimitExceeded"}]}}"#,
            expect: .rateLimited),
    ]

    /// Slack rows: 200 ok:false bodies, refresh errors, 429.
    public static let slackRows: [ReferenceRow] = [
        slack("token_expired", expect: .refreshable),
        slack("invalid_auth", expect: .deadGrant),
        slack("not_authed", expect: .deadGrant),
        slack("token_revoked", expect: .deadGrant),
        slack("account_inactive", expect: .deadGrant),
        slack("invalid_grant", op: .refresh, expect: .deadGrant),
        slack("invalid_refresh_token", op: .refresh, expect: .deadGrant),
        slack("missing_scope", extra: #","needed":"chat:write","provided":"channels:read,users:read""#, expect: .insufficientScope),
        row("Slack HTTP 429 + Retry-After → rate_limited", .slack, 429, headers: ["Retry-After": "30"], expect: .rateLimited),
        slack("ratelimited", expect: .rateLimited),
        slack("internal_error", expect: .transient),
        slack("fatal_error", expect: .transient),
        row("Slack 503 → transient", .slack, 503, expect: .transient),
    ]

    /// GitHub rows.
    public static let github: [ReferenceRow] = [
        row("GitHub 200 bad_refresh_token 'incorrect or expired' → dead_grant", .github, 200, op: .refresh,
            body: #"{"error":"bad_refresh_token","error_description":"The refresh token passed is incorrect or expired.","error_uri":"https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-refresh-token"}"#,
            expect: .deadGrant),
        row("GitHub 400 bad_refresh_token → dead_grant", .github, 400, op: .refresh,
            body: #"{"error":"bad_refresh_token","error_description":"The refresh token passed is incorrect or expired."}"#,
            expect: .deadGrant),
        row("GitHub 401 'Bad credentials' on the API → refreshable", .github, 401,
            body: #"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#,
            expect: .refreshable),
        row("GitHub 403 x-ratelimit-remaining: 0 → rate_limited", .github, 403,
            headers: ["x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1445412780",
                      "Date": "Wed, 21 Oct 2015 07:28:00 GMT"],
            body: #"{"message":"API rate limit exceeded for user ID 583231.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}"#,
            expect: .rateLimited),
        row("GitHub 403 x-ratelimit-remaining: 0 with no body → rate_limited", .github, 403,
            headers: ["X-RateLimit-Remaining": "0"], expect: .rateLimited),
        row("GitHub 403 secondary limit with retry-after → rate_limited", .github, 403, headers: ["retry-after": "60"],
            body: #"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest"}"#,
            expect: .rateLimited),
        row("GitHub 429 retry-after → rate_limited", .github, 429, headers: ["retry-after": "60"], expect: .rateLimited),
    ]

    /// Salesforce rows.
    public static let salesforce: [ReferenceRow] = [
        row("Salesforce 401 JSON array INVALID_SESSION_ID → refreshable", .salesforce, 401,
            body: #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#, expect: .refreshable),
        row("Salesforce 400 invalid_grant 'expired access/refresh token' → dead_grant", .salesforce, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#, expect: .deadGrant),
        row("Salesforce 400 invalid_grant 'user hasn't approved this consumer' → consent_required", .salesforce, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}"#, expect: .consentRequired),
        row("Salesforce 400 invalid_grant 'inactive user' → account_blocked", .salesforce, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"inactive user"}"#, expect: .accountBlocked),
        row("Salesforce 400 invalid_grant 'password expired' → account_blocked", .salesforce, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"password expired"}"#, expect: .accountBlocked),
        row("Salesforce 400 invalid_grant 'IP restricted' → policy_blocked", .salesforce, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"ip restricted or invalid login hours"}"#, expect: .policyBlocked),
        row("Salesforce invalid_grant 'challenge required' → step_up", .salesforce, 400, op: .refresh,
            body: #"{"error":"invalid_grant","error_description":"challenge required"}"#, expect: .stepUp),
        row("Salesforce 403 REQUEST_LIMIT_EXCEEDED → rate_limited", .salesforce, 403,
            body: #"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#, expect: .rateLimited),
    ]

    /// Codes the table knows that the reference names only in passing (OIDC Core 3.1.2.6 and a bare 401).
    public static let supplementary: [ReferenceRow] = [
        row("OIDC interaction_required (no AADSTS) → step_up", .generic, 400, body: #"{"error":"interaction_required"}"#, expect: .stepUp),
        row("OIDC login_required → step_up", .generic, 400, body: #"{"error":"login_required"}"#, expect: .stepUp),
        row("OIDC consent_required (no AADSTS) → consent_required", .generic, 400, body: #"{"error":"consent_required"}"#,
            expect: .consentRequired),
        row("Bare 401 with no code, text or challenge → refreshable (low confidence)", .generic, 401, expect: .refreshable,
            confidence: .low),
    ]

    /// Every row above.
    public static let all: [ReferenceRow] = generic + brokers + microsoft + google + slackRows + github + salesforce + supplementary

    /// Refresh failures the reference calls "dead_grant (after a stale-generation check)" or
    /// "dead_grant or stale_generation".
    public static let generationChecked: [ReferenceRow] = all.filter {
        $0.operation == .refresh && $0.expected == .deadGrant && [
            "RFC 6749 400 invalid_grant on refresh, no better hint → dead_grant",
            "Nango log refresh_token_external_error 400 with inner invalid_grant → dead_grant",
            "Auth0 own RT 403 invalid_grant 'Unknown or invalid refresh token.' → dead_grant",
            "Microsoft 400 invalid_grant + AADSTS700082 → dead_grant",
            "Google 400 invalid_grant 'Token has been expired or revoked.' → dead_grant",
            "Slack 200 ok:false invalid_grant → dead_grant",
            "Slack 200 ok:false invalid_refresh_token → dead_grant",
            "GitHub 200 bad_refresh_token 'incorrect or expired' → dead_grant",
            "Salesforce 400 invalid_grant 'expired access/refresh token' → dead_grant",
        ].contains($0.label)
    }

    /// Broker-reported refresh failures that, per the "revive-lab (race)" row, are a
    /// stale-generation race when the store already holds a newer generation: each row carries
    /// lease generation 1 against current generation 2.
    public static let brokerRefreshFailures: [ReferenceRow] = [
        row("Auth0 federated_connection_refresh_token_flow_failed on refresh", .google, 401, op: .refresh,
            body: #"{"error":"federated_connection_refresh_token_flow_failed","error_description":"Failed to refresh the federated access token: invalid_grant"}"#,
            expect: .staleGeneration,
            generations: (lease: 1, current: 2)),
        row("Scalekit connected_account REVOKED on refresh", .google, 400, op: .refresh,
            body: #"{"connected_account":{"status":"REVOKED","last_error":"invalid_grant"}}"#, expect: .staleGeneration,
            generations: (lease: 1, current: 2)),
        row("Nango invalid_credentials on refresh", .google, 400, op: .refresh,
            body: #"{"error":{"code":"invalid_credentials","message":"The refresh limit has been reached for this connection."}}"#,
            expect: .staleGeneration,
            generations: (lease: 1, current: 2)),
    ]
}

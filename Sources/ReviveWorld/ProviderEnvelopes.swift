import Revive
import ReviveVocabulary

/// The failure envelopes each simulated provider sends by default, shaped as the real ones are
/// (see docs/providers.md): Microsoft's JSON with `error_codes` and trace ids, Slack's
/// `200 {"ok":false}`, GitHub's `200 {"error":"bad_refresh_token"}`, Salesforce's 401 array,
/// Google's API error object, and each broker's wrapper around the provider's inner error.
enum ProviderEnvelopes {
    /// What a call or refresh gets once the connection's grant is dead.
    static func deadGrant(provider: ProviderKind, traceID: String) -> ProviderSignal {
        switch provider {
        case .microsoft:
            let text = "AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-08-25T02:00:00Z and was inactive for 90.00:00:00.\r\nTrace ID: \(traceID)"
            return ProviderSignal(status: 400, body: .object([
                ("error", .string("invalid_grant")), ("error_description", .string(text)), ("error_codes", .array([.integer(700082)])),
                ("timestamp", .string("2026-11-23 02:00:00Z")), ("trace_id", .string(traceID)), ("correlation_id", .string(traceID)),
                ("error_uri", .string("https://login.microsoftonline.com/error?code=700082")),
            ]))
        case .google:
            return ProviderSignal(status: 400, body: .object([("error", .string("invalid_grant")), ("error_description", .string("Token has been expired or revoked."))]))
        case .slack:
            return ProviderSignal(status: 200, body: .object([("ok", .bool(false)), ("error", .string("token_revoked"))]))
        case .github:
            return ProviderSignal(status: 200, body: .object([
                ("error", .string("bad_refresh_token")),
                ("error_description", .string("The refresh token passed is incorrect or expired.")),
                ("error_uri", .string("https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-refresh-token")),
            ]))
        case .salesforce:
            return ProviderSignal(status: 400, body: .object([("error", .string("invalid_grant")), ("error_description", .string("expired access/refresh token"))]))
        case .generic:
            return ProviderSignal(status: 400, body: .object([("error", .string("invalid_grant")), ("error_description", .string("The grant is invalid or revoked."))]))
        }
    }

    /// What a refresh with an already spent (rotated) refresh token gets.
    static func spentRefreshToken(provider: ProviderKind) -> ProviderSignal {
        switch provider {
        case .slack:
            return ProviderSignal(status: 200, body: .object([("ok", .bool(false)), ("error", .string("invalid_refresh_token"))]))
        case .github:
            return ProviderSignal(status: 200, body: .object([
                ("error", .string("bad_refresh_token")),
                ("error_description", .string("The refresh token passed is incorrect or expired.")),
            ]))
        case .microsoft:
            return ProviderSignal(status: 400, body: .object([
                ("error", .string("invalid_grant")),
                ("error_description", .string("AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.")),
                ("error_codes", .array([.integer(70008)])),
            ]))
        case .google:
            return ProviderSignal(status: 400, body: .object([("error", .string("invalid_grant")), ("error_description", .string("Token has been expired or revoked."))]))
        case .salesforce:
            return ProviderSignal(status: 400, body: .object([("error", .string("invalid_grant")), ("error_description", .string("expired access/refresh token"))]))
        case .generic:
            return ProviderSignal(status: 403, body: .object([("error", .string("invalid_grant")), ("error_description", .string("Unknown or invalid refresh token."))]))
        }
    }

    /// What a dedupe provider answers to a request whose key is still being processed (Stripe's 409).
    static func idempotencyConflict() -> ProviderSignal {
        ProviderSignal(status: 409, error: "idempotency_key_in_use",
                       description: "There is currently another in-progress request using this idempotency key. Try again later.")
    }

    /// One header, set rather than written as a literal: a dictionary literal is a list of pairs,
    /// whose types were built from their mangled names at the first expired token of every process.
    private static func header(_ name: String, _ value: String) -> [String: String] {
        var headers = [String: String](minimumCapacity: 1)
        headers[name] = value
        return headers
    }

    /// What a resource call gets when its access token expired (a refresh would heal it).
    static func expiredAccessToken(provider: ProviderKind) -> ProviderSignal {
        switch provider {
        case .microsoft:
            return ProviderSignal(status: 401, headers: header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token is expired\""),
                                  body: .object([("error", .object([("code", .string("InvalidAuthenticationToken")), ("message", .string("Access token has expired or is not yet valid."))]))]))
        case .google:
            return ProviderSignal(status: 401, body: .object([("error", .object([
                ("code", .integer(401)), ("message", .string("Request had invalid authentication credentials.")), ("status", .string("UNAUTHENTICATED")),
            ]))]))
        case .slack:
            return ProviderSignal(status: 200, body: .object([("ok", .bool(false)), ("error", .string("token_expired"))]))
        case .github:
            return ProviderSignal(status: 401, body: .object([("message", .string("Bad credentials")), ("documentation_url", .string("https://docs.github.com/rest"))]))
        case .salesforce:
            return ProviderSignal(status: 401, body: .array([.object([("message", .string("Session expired or invalid")), ("errorCode", .string("INVALID_SESSION_ID"))])]))
        case .generic:
            return ProviderSignal(status: 401, headers: header("WWW-Authenticate", "Bearer error=\"invalid_token\""))
        }
    }

    /// A token-endpoint failure as the broker in front of the provider reports it.
    ///
    /// Nango wraps the provider's answer in `refresh_token_external_error` with the inner error in
    /// `payload.dataMessage`; Auth0 Token Vault reports a federated refresh failure; Scalekit
    /// reports the connected account's state.
    static func wrapped(_ inner: ProviderSignal, broker: BrokerKind) -> ProviderSignal {
        switch broker {
        case .nango:
            let innerBody: JSONValue = inner.body ?? .object([("error", .string(inner.error ?? "unknown"))])
            return ProviderSignal(status: 400, error: nil, description: nil, body: .object([
                ("type", .string("refresh_token_external_error")), ("status", .integer(Int64(inner.status))),
                ("message", .string("The external API returned an error when trying to refresh the access token. Please try again later.")),
                ("payload", .object([("dataMessage", innerBody)])),
            ]))
        case .auth0:
            return ProviderSignal(status: 401, body: .object([
                ("error", .string("federated_connection_refresh_token_flow_failed")),
                ("error_description", .string("Failed to refresh the federated access token: \(describe(inner))")),
            ]))
        case .scalekit:
            return ProviderSignal(status: 400, body: .object([
                ("connected_account", .object([("status", .string("REVOKED")), ("last_error", .string(describe(inner)))])),
            ]))
        }
    }

    private static func describe(_ signal: ProviderSignal) -> String {
        if let error = signal.error { return error }
        if let body = signal.body {
            if case .string(let e)? = body["error"] { return e }
            return body.compactText
        }
        return "HTTP \(signal.status)"
    }

    /// A short summary for the timeline: status and the provider's own code, never a token.
    static func summary(_ signal: ProviderSignal) -> (status: String, code: String?) {
        if let error = signal.error { return (String(signal.status), error) }
        // The list holds each code once, as the set did, so sorted it is the set sorted.
        let codes = SignalFacts.codeList(of: signal).sorted()
        let code = codes.first(where: { $0 != "refresh_token_external_error" }) ?? codes.first
        return (String(signal.status), code)
    }
}

/// A failure configured on a connection and how many more calls it fails (`failNextCalls`): a
/// struct, whose type is laid down with the program, where a tuple's type was made at run time
/// in every process whose play configured one.
struct PendingFailure {
    let signal: ProviderSignal
    var remaining: Int
}

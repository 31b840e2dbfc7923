import ReviveVocabulary

/// What a provider (or the broker in front of it) answered when a call or refresh failed.
///
/// Kept close to the wire: status, headers and body as sent. The classifier reads from here.
public struct ProviderSignal: Hashable, Sendable {
    /// The HTTP status (Slack and GitHub often answer failures with 200).
    public var status: Int
    /// The OAuth-style error code, when the scenario or provider names one directly.
    public var error: String?
    /// The human text (`error_description`, `message`).
    public var description: String?
    /// How long the provider asked us to wait.
    public var retryAfter: Span?
    /// Response headers as sent (names compared case-insensitively).
    public var headers: [String: String]
    /// The response body as sent, when it was JSON.
    public var body: JSONValue?

    /// Makes a signal; only the status is required.
    public init(status: Int, error: String? = nil, description: String? = nil, retryAfter: Span? = nil,
                headers: [String: String] = [:], body: JSONValue? = nil) {
        self.status = status
        self.error = error
        self.description = description
        self.retryAfter = retryAfter
        self.headers = headers
        self.body = body
    }

    /// A header's value, looked up case-insensitively.
    public func header(_ name: String) -> String? {
        // Most signals carry no headers; the classifier asks for five on every failure.
        guard !headers.isEmpty else { return nil }
        let wanted = name.lowercased()
        return headers.first(where: { $0.key.lowercased() == wanted })?.value
    }
}

/// The provider behind a connection; identity pinning and default envelopes depend on it.
public enum ProviderKind: String, CaseIterable, Sendable {
    case microsoft, google, slack, github, salesforce, generic
}

/// The credential broker that holds a connection's tokens and wraps the provider's errors.
public enum BrokerKind: String, CaseIterable, Sendable {
    case nango, auth0, scalekit
}

/// What kind of request failed: a resource call or a token refresh.
public enum FailedOperation: String, Sendable {
    /// A call to the provider's API with an access token.
    case call
    /// A refresh of the access token with the refresh token.
    case refresh
    /// No answer came back before the call's timeout.
    case timeout
    /// Learning an unknown mutation's outcome (by a lookup, or none possible): only the engine
    /// records it, when it must ask an operator instead.
    case reconcile
}

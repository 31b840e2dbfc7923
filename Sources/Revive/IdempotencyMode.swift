import ReviveVocabulary

/// How a connection's provider treats idempotency keys: what the engine may do about a mutation
/// whose outcome it does not know.
public enum IdempotencyMode: String, Sendable, CaseIterable {
    /// No dedupe, but a landed action can be found by its key. A lookup is trusted only once the
    /// earlier attempt has settled (its caller's deadline plus the provider's `settleAfter`).
    case lookup
    /// The provider collapses requests that carry the same key (as Stripe does) for a retention
    /// window: a resend within it is safe; one while the first is still processing is refused
    /// with a conflict; one after it may apply twice.
    case dedupe
    /// Nothing can be looked up and nothing is collapsed: an ambiguous mutation is never resent
    /// automatically; an operator says whether it happened (`outcome_unknown`).
    case none
}

/// What a connection's provider promises about keys and late requests.
public struct IdempotencyPromise: Hashable, Sendable {
    /// How keys are treated.
    public var mode: IdempotencyMode
    /// The longest the provider may go on processing a request after its caller's deadline
    /// (0: it never applies a request after the caller gave up).
    public var settleAfter: Span
    /// How long a `dedupe` provider keeps a key after its first request.
    public var keyRetention: Span

    /// The default: `lookup`, nothing applied after the caller's deadline, keys kept 24 hours.
    public init(mode: IdempotencyMode = .lookup, settleAfter: Span = .zero, keyRetention: Span = .hours(24)) {
        self.mode = mode
        self.settleAfter = settleAfter
        self.keyRetention = keyRetention
    }
}

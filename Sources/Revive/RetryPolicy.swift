import ReviveVocabulary

/// How a runtime retries a failed step, with Temporal's defaults.
///
/// Every field is optional so that policies can be layered (step over connection over workflow
/// over runtime): `merged(over:)` fills a more specific policy's gaps from a broader one, and
/// whatever is still missing falls back to Temporal's defaults when a wait is computed.
public struct RetryPolicy: Hashable, Sendable {
    /// The longest wait the policy will honour from a provider's `Retry-After` (1 hour).
    public static let retryAfterCap = Span.hours(1)

    /// Attempts in one invocation of the step, including the first; 0 or nil means unlimited.
    public var maxAttempts: Int?
    /// How long retrying may go on, measured from the invocation's first attempt; nil means forever.
    public var maxElapsed: Span?
    /// The wait before the first retry (default 1s).
    public var initialBackoff: Span?
    /// The factor each further wait grows by (default 2.0).
    public var backoffCoefficient: Double?
    /// The longest single wait (default 100 × initialBackoff).
    public var maxBackoff: Span?
    /// Failure classes that fail fast, never retried.
    public var nonRetryable: [FailureClass]?

    /// A policy with the given fields; nil fields come from a broader policy or the defaults.
    public init(maxAttempts: Int? = nil, maxElapsed: Span? = nil, initialBackoff: Span? = nil,
                backoffCoefficient: Double? = nil, maxBackoff: Span? = nil, nonRetryable: [FailureClass]? = nil) {
        self.maxAttempts = maxAttempts
        self.maxElapsed = maxElapsed
        self.initialBackoff = initialBackoff
        self.backoffCoefficient = backoffCoefficient
        self.maxBackoff = maxBackoff
        self.nonRetryable = nonRetryable
    }

    /// This policy with its missing fields taken from `broader`.
    public func merged(over broader: RetryPolicy?) -> RetryPolicy {
        guard let broader else { return self }
        return RetryPolicy(maxAttempts: maxAttempts ?? broader.maxAttempts, maxElapsed: maxElapsed ?? broader.maxElapsed,
                           initialBackoff: initialBackoff ?? broader.initialBackoff,
                           backoffCoefficient: backoffCoefficient ?? broader.backoffCoefficient,
                           maxBackoff: maxBackoff ?? broader.maxBackoff, nonRetryable: nonRetryable ?? broader.nonRetryable)
    }

    /// The wait before retry number `retry` (1 for the first retry), before any `Retry-After`.
    public func backoff(beforeRetry retry: Int) -> Span {
        let initial = initialBackoff ?? .seconds(1)
        let coefficient = backoffCoefficient ?? 2.0
        let cap = maxBackoff ?? Span(milliseconds: initial.milliseconds * 100)
        var milliseconds = Double(initial.milliseconds)
        var step = 1
        while step < retry && milliseconds < Double(cap.milliseconds) {
            milliseconds *= coefficient
            step += 1
        }
        return Span(milliseconds: min(Int64(milliseconds.rounded()), cap.milliseconds))
    }

    /// Decides what follows a failed attempt: a retry after a wait, or giving up and why.
    ///
    /// `attemptsSoFar` counts this invocation's attempts including the one that failed;
    /// `elapsed` runs from the invocation's first attempt to now.
    public func decide(after failureClass: FailureClass, attemptsSoFar: Int, elapsed: Span, retryAfter: Span?) -> RetryDecision {
        if (nonRetryable ?? []).contains(failureClass) { return .giveUp(reason: "non-retryable \(failureClass.rawValue)") }
        if let max = maxAttempts, max > 0, attemptsSoFar >= max { return .giveUp(reason: "maxAttempts \(max) reached") }
        let backoffWait = backoff(beforeRetry: attemptsSoFar)
        var wait = backoffWait
        if let retryAfter { wait = max(wait, min(retryAfter, RetryPolicy.retryAfterCap)) }
        if let limit = maxElapsed, elapsed + wait > limit {
            let left = Span(milliseconds: limit.milliseconds - elapsed.milliseconds)
            // The provider's wait, not the policy's clock, ended the retries: say so, and what was left.
            guard let retryAfter, wait > backoffWait, left > .zero else { return .giveUp(reason: "maxElapsed \(limit) reached") }
            let asked = retryAfter > RetryPolicy.retryAfterCap
                ? "\(DurationText.words(retryAfter)) (capped at \(DurationText.words(RetryPolicy.retryAfterCap)))"
                : DurationText.words(retryAfter)
            return .giveUp(reason: "retry-after \(asked) exceeds what maxElapsed \(limit) leaves (\(DurationText.words(left)))")
        }
        return .retry(after: wait)
    }
}

/// What a retry policy says after a failed attempt.
public enum RetryDecision: Equatable, Sendable {
    /// Try again after this wait.
    case retry(after: Span)
    /// Stop retrying; the step fails.
    case giveUp(reason: String)
}

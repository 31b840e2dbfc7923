import ReviveVocabulary

/// The result of classifying one failure.
public struct Classification: Hashable, Sendable {
    /// The failure class.
    public let failureClass: FailureClass
    /// The name of the table row (or built-in check) that decided.
    public let rule: String
    /// How sure the decision is.
    public let confidence: Confidence
    /// How long the provider asked us to wait, if it said.
    public let retryAfter: Span?
    /// Scopes the provider said are needed, if it said.
    public let neededScopes: [String]
    /// The broker envelope that was unwrapped to find the inner error, if any.
    public let unwrappedFrom: String?

    /// Makes a classification.
    public init(failureClass: FailureClass, rule: String, confidence: Confidence, retryAfter: Span?,
                neededScopes: [String], unwrappedFrom: String?) {
        self.failureClass = failureClass
        self.rule = rule
        self.confidence = confidence
        self.retryAfter = retryAfter
        self.neededScopes = neededScopes
        self.unwrappedFrom = unwrappedFrom
    }
}

/// What the classifier knows besides the signal: the operation and the lease generations.
public struct ClassificationContext: Sendable {
    /// The provider behind the connection, when known.
    public var provider: ProviderKind?
    /// What failed.
    public var operation: FailedOperation
    /// The generation of the lease the failing worker held.
    public var leaseGeneration: LeaseGeneration?
    /// The connection's current generation in the lease store.
    public var currentGeneration: LeaseGeneration?

    /// Makes a context; a nil generation skips the stale-generation check.
    public init(provider: ProviderKind?, operation: FailedOperation,
                leaseGeneration: LeaseGeneration? = nil, currentGeneration: LeaseGeneration? = nil) {
        self.provider = provider
        self.operation = operation
        self.leaseGeneration = leaseGeneration
        self.currentGeneration = currentGeneration
    }
}

/// Classifies provider failures with the rules of `ClassificationTable`.
///
/// Order: a timeout is transient; otherwise unwrap the envelope and read body, headers and
/// status into `SignalFacts`; the first matching rule decides; a dead-grant-looking refresh
/// failure while a newer generation exists is a `stale_generation` race; no match falls back to
/// a documented low-confidence default.
public struct Classifier: Sendable {
    /// The rules tried in order.
    public let rules: [ClassificationRule]

    /// A classifier over the standard table.
    public init(rules: [ClassificationRule] = ClassificationTable.rules) { self.rules = rules }

    /// Classifies a failure.
    public func classify(_ signal: ProviderSignal?, context: ClassificationContext) -> Classification {
        guard context.operation != .timeout, let signal else {
            return Classification(failureClass: .transient, rule: "no-answer-timeout", confidence: .high,
                                  retryAfter: nil, neededScopes: [], unwrappedFrom: nil)
        }
        let facts = SignalFacts(signal)
        var decided: (FailureClass, String, Confidence)
        // Read in place, the elements lent rather than copied (a rule is a box, so a copy would
        // cost a retain); the facts' codes and numbers are listed once for all the rows tried.
        let (codes, numbers) = (facts.codeList, facts.aadstsList)
        let found = rules.withUnsafeBufferPointer { rules -> Int? in
            guard let base = rules.baseAddress else { return nil }
            for index in 0..<rules.count where base[index].matches(facts, codes: codes, aadsts: numbers, provider: context.provider) {
                return index
            }
            return nil
        }
        if let index = found {
            let match = rules[index]
            decided = (match.failureClass, match.name, match.confidence)
            // A dead-looking or expired-token answer to an older generation is a race with the
            // worker that rotated it: reload the lease instead of paging anyone or refreshing.
            let raceable = match.checksGeneration || match.failureClass == .refreshable
            if raceable, let held = context.leaseGeneration, let current = context.currentGeneration, held < current {
                decided = (.staleGeneration, "stale-generation-check", .high)
            }
        } else if facts.rateLimitExhausted {
            decided = (.rateLimited, "rate-limit-headers", .high)
        } else if facts.status >= 500 || facts.status == 0 {
            decided = (.transient, "unknown-server-default", .low)
        } else {
            // An unrecognised client error: parking and asking a person is the safe side. It never
            // repeats a side effect and never loops on a credential that cannot recover.
            decided = (.deadGrant, "unknown-signal-default", .low)
        }
        if decided.0 != .staleGeneration, facts.rateLimitExhausted, decided.0 == .refreshable || decided.0 == .transient {
            decided = (.rateLimited, "rate-limit-headers", .high)
        }
        return Classification(failureClass: decided.0, rule: decided.1, confidence: decided.2,
                              retryAfter: facts.retryAfter, neededScopes: facts.neededScopes,
                              unwrappedFrom: facts.unwrappedFrom)
    }
}

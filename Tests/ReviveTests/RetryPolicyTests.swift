import Testing
@testable import Revive
import ReviveVocabulary

/// Retry policies: Temporal's defaults, layering, and the give-up decisions.
@Suite("RetryPolicy: defaults, layering and decisions")
struct RetryPolicyTests {
    let defaults: RetryPolicy

    init() { defaults = RetryPolicy() }

    // MARK: Temporal's defaults

    @Test("An empty policy has Temporal's defaults: every field unset, so unlimited attempts and time")
    func emptyPolicyIsUnset() {
        #expect(defaults.maxAttempts == nil)
        #expect(defaults.maxElapsed == nil)
        #expect(defaults.nonRetryable == nil)
    }

    @Test("Default backoff doubles from 1s: 1s, 2s, 4s, 8s, 16s, 32s, 64s")
    func defaultBackoffDoubles() {
        let waits = (1...7).map { defaults.backoff(beforeRetry: $0) }
        #expect(waits == [1, 2, 4, 8, 16, 32, 64].map { Span.seconds($0) })
    }

    @Test("Default backoff is capped at 100 × the initial interval (100s)")
    func defaultBackoffCap() {
        #expect(defaults.backoff(beforeRetry: 8) == .seconds(100))
        #expect(defaults.backoff(beforeRetry: 50) == .seconds(100))
        #expect(defaults.backoff(beforeRetry: 10_000) == .seconds(100))
    }

    @Test("The default cap follows a custom initial interval")
    func capFollowsInitial() {
        let policy = RetryPolicy(initialBackoff: Span(milliseconds: 250))
        #expect(policy.backoff(beforeRetry: 1) == Span(milliseconds: 250))
        #expect(policy.backoff(beforeRetry: 20) == .seconds(25))
    }

    @Test("A custom coefficient and cap are honoured")
    func customCoefficientAndCap() {
        let policy = RetryPolicy(initialBackoff: .seconds(2), backoffCoefficient: 3, maxBackoff: .seconds(30))
        #expect((1...4).map { policy.backoff(beforeRetry: $0) } == [.seconds(2), .seconds(6), .seconds(18), .seconds(30)])
    }

    @Test("With defaults a failure is retried after the backoff for that attempt")
    func defaultDecision() {
        #expect(defaults.decide(after: .transient, attemptsSoFar: 1, elapsed: .zero, retryAfter: nil) == .retry(after: .seconds(1)))
        #expect(defaults.decide(after: .transient, attemptsSoFar: 3, elapsed: .seconds(3), retryAfter: nil) == .retry(after: .seconds(4)))
    }

    // MARK: Layering

    @Test("A step's own field wins over the broader policy's")
    func stepWinsOverBroader() {
        let step = RetryPolicy(maxAttempts: 3)
        let workflow = RetryPolicy(maxAttempts: 10, initialBackoff: .seconds(5))
        #expect(step.merged(over: workflow).maxAttempts == 3)
    }

    @Test("A step's missing fields come from the broader policy")
    func gapsComeFromBroader() {
        let step = RetryPolicy(maxAttempts: 3)
        let workflow = RetryPolicy(maxAttempts: 10, initialBackoff: .seconds(5), nonRetryable: [.deadGrant])
        let merged = step.merged(over: workflow)
        #expect(merged.initialBackoff == .seconds(5))
        #expect(merged.nonRetryable == [.deadGrant])
    }

    @Test("Layers chain: step over connection over workflow over runtime")
    func layersChain() {
        let runtime = RetryPolicy(maxAttempts: 100, maxElapsed: .hours(1), initialBackoff: .seconds(1), backoffCoefficient: 2)
        let workflow = RetryPolicy(maxElapsed: .minutes(30), backoffCoefficient: 1.5)
        let connection = RetryPolicy(initialBackoff: .seconds(4))
        let step = RetryPolicy(maxAttempts: 5)
        let merged = step.merged(over: connection.merged(over: workflow.merged(over: runtime)))
        #expect(merged == RetryPolicy(maxAttempts: 5, maxElapsed: .minutes(30), initialBackoff: .seconds(4), backoffCoefficient: 1.5))
    }

    @Test("Merging over nothing changes nothing")
    func mergeOverNil() {
        let step = RetryPolicy(maxAttempts: 2, backoffCoefficient: 3)
        #expect(step.merged(over: nil) == step)
    }

    @Test("An explicit empty non-retryable list on the step overrides the broader list")
    func emptyListOverrides() {
        let merged = RetryPolicy(nonRetryable: []).merged(over: RetryPolicy(nonRetryable: [.transient]))
        #expect(merged.decide(after: .transient, attemptsSoFar: 1, elapsed: .zero, retryAfter: nil) == .retry(after: .seconds(1)))
    }

    // MARK: Giving up

    @Test("maxAttempts gives up once that many attempts have failed")
    func maxAttemptsGivesUp() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.decide(after: .transient, attemptsSoFar: 2, elapsed: .zero, retryAfter: nil) == .retry(after: .seconds(2)))
        #expect(policy.decide(after: .transient, attemptsSoFar: 3, elapsed: .zero, retryAfter: nil) == .giveUp(reason: "maxAttempts 3 reached"))
    }

    @Test("maxAttempts 0 means unlimited")
    func maxAttemptsZeroIsUnlimited() {
        let policy = RetryPolicy(maxAttempts: 0)
        #expect(policy.decide(after: .transient, attemptsSoFar: 1_000, elapsed: .zero, retryAfter: nil) == .retry(after: .seconds(100)))
    }

    @Test("maxElapsed gives up when the next wait would pass the limit")
    func maxElapsedGivesUp() {
        let policy = RetryPolicy(maxElapsed: .seconds(10))
        #expect(policy.decide(after: .transient, attemptsSoFar: 3, elapsed: .seconds(7), retryAfter: nil) == .giveUp(reason: "maxElapsed 10s reached"))
    }

    @Test("maxElapsed allows a wait that ends exactly at the limit")
    func maxElapsedBoundary() {
        let policy = RetryPolicy(maxElapsed: .seconds(10))
        #expect(policy.decide(after: .transient, attemptsSoFar: 3, elapsed: .seconds(6), retryAfter: nil) == .retry(after: .seconds(4)))
    }

    @Test("A non-retryable class fails fast, before any attempt limit")
    func nonRetryableFailsFast() {
        let policy = RetryPolicy(maxAttempts: 10, nonRetryable: [.configError, .deadGrant])
        #expect(policy.decide(after: .configError, attemptsSoFar: 1, elapsed: .zero, retryAfter: nil) == .giveUp(reason: "non-retryable config_error"))
    }

    @Test("A class not in the non-retryable list is retried")
    func otherClassesRetry() {
        let policy = RetryPolicy(nonRetryable: [.configError])
        #expect(policy.decide(after: .rateLimited, attemptsSoFar: 1, elapsed: .zero, retryAfter: nil) == .retry(after: .seconds(1)))
    }

    // MARK: Retry-After

    @Test("Retry-After longer than the backoff raises the wait")
    func retryAfterRaisesWait() {
        #expect(defaults.decide(after: .rateLimited, attemptsSoFar: 1, elapsed: .zero, retryAfter: .seconds(30)) == .retry(after: .seconds(30)))
    }

    @Test("Retry-After shorter than the backoff does not shorten it")
    func retryAfterNeverShortens() {
        #expect(defaults.decide(after: .rateLimited, attemptsSoFar: 4, elapsed: .zero, retryAfter: .seconds(2)) == .retry(after: .seconds(8)))
    }

    @Test("Retry-After is capped at RetryPolicy.retryAfterCap (1 hour)")
    func retryAfterIsCapped() {
        #expect(RetryPolicy.retryAfterCap == .hours(1))
        #expect(defaults.decide(after: .rateLimited, attemptsSoFar: 1, elapsed: .zero, retryAfter: .hours(6)) == .retry(after: .hours(1)))
    }

    @Test("A capped Retry-After still counts against maxElapsed, and the reason names both the asked and the capped wait")
    func cappedRetryAfterCountsAgainstElapsed() {
        let policy = RetryPolicy(maxElapsed: .minutes(30))
        #expect(policy.decide(after: .rateLimited, attemptsSoFar: 1, elapsed: .zero, retryAfter: .hours(6))
                == .giveUp(reason: "retry-after 6h (capped at 1h) exceeds what maxElapsed 30m leaves (30m)"))
    }

    @Test("A Retry-After longer than what maxElapsed leaves gives up at once, saying so rather than that maxElapsed was reached")
    func retryAfterBeyondWhatIsLeft() {
        let policy = RetryPolicy(maxElapsed: .minutes(10))
        #expect(policy.decide(after: .rateLimited, attemptsSoFar: 1, elapsed: Span(milliseconds: 100), retryAfter: .minutes(30))
                == .giveUp(reason: "retry-after 30m exceeds what maxElapsed 10m leaves (9m59.9s)"))
    }

    @Test("A Retry-After that fits in what maxElapsed leaves is waited for")
    func retryAfterThatFits() {
        let policy = RetryPolicy(maxElapsed: .minutes(10))
        #expect(policy.decide(after: .rateLimited, attemptsSoFar: 1, elapsed: .minutes(1), retryAfter: .minutes(9)) == .retry(after: .minutes(9)))
    }

    @Test("When the backoff alone passes maxElapsed, or nothing is left, the reason stays that maxElapsed was reached")
    func backoffOrSpentBudgetKeepsTheOldReason() {
        let policy = RetryPolicy(maxElapsed: .seconds(10))
        // A Retry-After shorter than the backoff does not set the wait: the backoff passed the limit.
        #expect(policy.decide(after: .rateLimited, attemptsSoFar: 3, elapsed: .seconds(7), retryAfter: .seconds(2))
                == .giveUp(reason: "maxElapsed 10s reached"))
        #expect(policy.decide(after: .rateLimited, attemptsSoFar: 1, elapsed: .seconds(12), retryAfter: .minutes(1))
                == .giveUp(reason: "maxElapsed 10s reached"))
    }
}

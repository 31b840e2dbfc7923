import Testing
import ReferenceCatalog
@testable import Revive
import ReviveVocabulary

/// The classifier against the provider-error reference: one case per row of its table.
@Suite("Classifier: the reference classification table")
struct ClassifierTableTests {
    let classifier: Classifier

    init() { classifier = Classifier() }

    private func classify(_ row: ReferenceRow, leaseGeneration: Int? = nil, currentGeneration: Int? = nil) throws -> Classification {
        let context = ClassificationContext(
            provider: row.provider, operation: row.operation,
            leaseGeneration: leaseGeneration.flatMap { LeaseGeneration(recorded: $0) },
            currentGeneration: currentGeneration.flatMap { LeaseGeneration(recorded: $0) })
        return classifier.classify(try row.signal(), context: context)
    }

    private func check(_ row: ReferenceRow) throws {
        let result = try classify(row)
        #expect(result.failureClass == row.expected, "decided by rule \(result.rule)")
        if let confidence = row.confidence {
            #expect(result.confidence == confidence)
        }
    }

    // MARK: One case per reference row

    @Test("Any provider (RFC 6749, RFC 6750, HTTP) rows", arguments: ReferenceRows.generic)
    func genericRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("Broker rows (Nango, Auth0 Token Vault, Scalekit)", arguments: ReferenceRows.brokers)
    func brokerRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("Microsoft AADSTS rows", arguments: ReferenceRows.microsoft)
    func microsoftRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("Google rows", arguments: ReferenceRows.google)
    func googleRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("Slack rows (200 ok:false bodies, refresh errors, 429)", arguments: ReferenceRows.slackRows)
    func slackRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("GitHub rows", arguments: ReferenceRows.github)
    func githubRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("Salesforce rows", arguments: ReferenceRows.salesforce)
    func salesforceRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("OIDC codes and a bare 401 the table also knows", arguments: ReferenceRows.supplementary)
    func supplementaryRow(_ row: ReferenceRow) throws { try check(row) }

    @Test("Every rule of the standard table is reached by some row")
    func everyRuleIsExercised() throws {
        var reached = Set<String>()
        for row in ReferenceRows.all { reached.insert(try classify(row).rule) }
        let unreached = ClassificationTable.rules.map(\.name).filter { !reached.contains($0) }
        #expect(unreached.isEmpty)
    }

    // MARK: Envelopes and headers carried into the classification

    @Test("A Nango wrapper is classified on its inner dataMessage, not on 'Please try again later'")
    func nangoWrapperUsesInnerError() throws {
        let row = try #require(ReferenceRows.brokers.first { $0.label.hasPrefix("Nango wrapper") })
        let result = try classify(row)
        #expect(result.failureClass == .deadGrant)
        #expect(result.unwrappedFrom == "nango")
        #expect(result.rule == "oauth-invalid-grant")
    }

    @Test("A Nango wrapper whose only text is 'Please try again later' is not read as transient")
    func nangoWrapperTextAloneIsNotTransient() throws {
        let signal = ProviderSignal(status: 400, body: try JSONValue.parse(#"""
            {"type":"refresh_token_external_error","message":"Please try again later.",
             "payload":{"dataMessage":{"error":"invalid_grant","error_description":"Token has been expired or revoked."}}}
            """#))
        let result = classifier.classify(signal, context: ClassificationContext(provider: .google, operation: .refresh))
        #expect(result.failureClass == .deadGrant)
        #expect(result.rule == "google-expired-or-revoked")
    }

    @Test("A 429 carries its Retry-After seconds into the classification")
    func retryAfterSecondsIsCarried() throws {
        let row = try #require(ReferenceRows.generic.first { $0.label.hasPrefix("429 + Retry-After in seconds") })
        #expect(try classify(row).retryAfter == .seconds(30))
    }

    @Test("A 429 with an HTTP-date Retry-After waits until that date as measured by the Date header")
    func retryAfterDateIsRelativeToDateHeader() throws {
        let row = try #require(ReferenceRows.generic.first { $0.label.hasPrefix("429 + Retry-After as an HTTP-date") })
        #expect(try classify(row).retryAfter == .seconds(120))
    }

    @Test("GitHub's x-ratelimit-reset becomes the wait when remaining is 0")
    func githubRateLimitResetIsCarried() throws {
        let row = try #require(ReferenceRows.github.first { $0.label == "GitHub 403 x-ratelimit-remaining: 0 → rate_limited" })
        #expect(try classify(row).retryAfter == .seconds(300))
    }

    @Test("An insufficient_scope challenge carries the needed scopes")
    func insufficientScopeCarriesScopes() throws {
        let row = try #require(ReferenceRows.generic.first { $0.label.hasPrefix("RFC 6750 403") })
        #expect(try classify(row).neededScopes == ["mail.read", "mail.send"])
    }

    @Test("Slack's missing_scope carries the needed scope")
    func slackMissingScopeCarriesNeeded() throws {
        let row = try #require(ReferenceRows.slackRows.first { $0.label.contains("missing_scope") })
        #expect(try classify(row).neededScopes == ["chat:write"])
    }

    @Test("A Scalekit connected-account state is reported as unwrapped from scalekit")
    func scalekitIsUnwrapped() throws {
        let row = try #require(ReferenceRows.brokers.first { $0.label.hasPrefix("Scalekit connected_account REVOKED") })
        #expect(try classify(row).unwrappedFrom == "scalekit")
    }

    // MARK: The stale-generation check

    @Test("An invalid_grant refresh failure from an older lease generation is a stale_generation race",
          arguments: ReferenceRows.generationChecked)
    func olderGenerationIsStale(_ row: ReferenceRow) throws {
        let result = try classify(row, leaseGeneration: 1, currentGeneration: 2)
        #expect(result.failureClass == .staleGeneration)
        #expect(result.rule == "stale-generation-check")
        #expect(result.confidence == .high)
    }

    @Test("An invalid_grant refresh failure on the current generation stays a dead_grant",
          arguments: ReferenceRows.generationChecked)
    func equalGenerationIsDeadGrant(_ row: ReferenceRow) throws {
        #expect(try classify(row, leaseGeneration: 2, currentGeneration: 2).failureClass == .deadGrant)
    }

    @Test("The generation check is covered by at least the nine reference rows that call for it")
    func generationCheckedRowsArePresent() {
        #expect(ReferenceRows.generationChecked.count == 9)
    }

    @Test("A newer generation does not turn a transient failure into a race")
    func transientIsNotStale() {
        let context = ClassificationContext(provider: .generic, operation: .refresh,
                                            leaseGeneration: .first, currentGeneration: LeaseGeneration.first.next())
        #expect(classifier.classify(ProviderSignal(status: 503), context: context).failureClass == .transient)
    }

    @Test("A broker-reported refresh failure from an older generation is a stale_generation race",
          arguments: ReferenceRows.brokerRefreshFailures)
    func brokerRefreshFailureFromOlderGenerationIsStale(_ row: ReferenceRow) throws {
        // Reference, "revive-lab (race)": refresh error but the store holds a newer generation →
        // stale_generation. The broker rows (Auth0 flow_failed, Scalekit REVOKED, Nango
        // invalid_credentials) are not marked `checksGeneration` in ClassificationTable.swift.
        let result = try classify(row, leaseGeneration: 1, currentGeneration: 2)
        #expect(result.failureClass == .staleGeneration, "decided by rule \(result.rule)")
    }

    // MARK: No answer and unknown signals

    @Test("A timeout with no answer is transient")
    func timeoutIsTransient() {
        let result = classifier.classify(nil, context: ClassificationContext(provider: .slack, operation: .timeout))
        #expect(result.failureClass == .transient)
        #expect(result.rule == "no-answer-timeout")
    }

    @Test("A timeout is transient even if a partial signal came with it")
    func timeoutWithSignalIsTransient() {
        let result = classifier.classify(ProviderSignal(status: 400, error: "invalid_grant"),
                                         context: ClassificationContext(provider: .google, operation: .timeout))
        #expect(result.failureClass == .transient)
    }

    @Test("An unrecognised client error defaults to dead_grant with low confidence")
    func unknownClientErrorDefault() {
        let result = classifier.classify(ProviderSignal(status: 418, error: "i_am_a_teapot"),
                                         context: ClassificationContext(provider: .generic, operation: .call))
        #expect(result.failureClass == .deadGrant)
        #expect(result.rule == "unknown-signal-default")
        #expect(result.confidence == .low)
    }

    @Test("An unrecognised server error defaults to transient with low confidence")
    func unknownServerErrorDefault() {
        let result = classifier.classify(ProviderSignal(status: 507),
                                         context: ClassificationContext(provider: .generic, operation: .call))
        #expect(result.failureClass == .transient)
        #expect(result.rule == "unknown-server-default")
        #expect(result.confidence == .low)
    }

    @Test("A signal with status 0 (connection dropped) defaults to transient with low confidence")
    func statusZeroDefault() {
        let result = classifier.classify(ProviderSignal(status: 0),
                                         context: ClassificationContext(provider: nil, operation: .call))
        #expect(result.failureClass == .transient)
        #expect(result.confidence == .low)
    }

    @Test("Spent rate-limit headers turn a transient 5xx into rate_limited")
    func rateLimitHeadersOverrideTransient() {
        let signal = ProviderSignal(status: 503, headers: ["x-ratelimit-remaining": "0"])
        let result = classifier.classify(signal, context: ClassificationContext(provider: .github, operation: .call))
        #expect(result.failureClass == .rateLimited)
        #expect(result.rule == "rate-limit-headers")
    }
}

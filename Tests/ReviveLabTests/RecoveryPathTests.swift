import Testing
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

// Recovery paths played end to end through the public surface only: a scenario is written as JSON
// text (assembled with `JSONValue` and `compactText`), loaded with `ScenarioLoader.load(text:file:)`,
// played with `ScenarioPlayer.play`, and judged on its transitions, outcome, effects and breaches.

/// Every recovery path of the class table, one behaviour per test, in nested suites.
@Suite("Recovery paths")
struct RecoveryPathTests {}

// MARK: - Reading results

fileprivate extension Transition {
    /// The value of the note named `name`, if the transition has one.
    func noteValue(_ name: String) -> String? { notes.first(where: { $0.name == name })?.value }
}

fileprivate extension ScenarioResult {
    /// Every transition with this name, in order.
    func transitions(named name: String) -> [Transition] { transitions.filter { $0.name.rawValue == name } }

    /// The index of the first transition with this name.
    func firstIndex(of name: String) -> Int? { transitions.firstIndex(where: { $0.name.rawValue == name }) }

    /// Whether a transition with this name appears.
    func has(_ name: String) -> Bool { firstIndex(of: name) != nil }

    /// The provider's effect count for the one mutating step.
    var sendEffects: Int? { effects.first(where: { $0.step.rawValue == RecoveryPathTests.Scenario.step })?.count }

    /// The attempts started before the run failed.
    var attemptsBeforeFailure: Int {
        let end = firstIndex(of: "run.failed") ?? transitions.count
        return transitions[..<end].filter { $0.name.rawValue == "step.started" }.count
    }

    /// The backoff notes of every `retry.scheduled`, in order.
    var backoffs: [String] { transitions(named: "retry.scheduled").compactMap { $0.noteValue("backoff") } }
}

extension RecoveryPathTests {
    // MARK: - Building scenarios

    /// A one-step scenario: the run `run_path` calls connection `conn_ops` once, in the mutating step
    /// `send-briefing`. Faults, events and retry policies are JSON fragments, so each test changes one thing.
    struct Scenario: Sendable, CustomTestStringConvertible {
        static let connection = "conn_ops"
        static let step = "send-briefing"
        static let owner = "ops@contoso.example"

        var label: String
        var provider = "microsoft"
        var broker = "nango"
        var subject = "oid-4f1c"
        var tenant = "tid-contoso"
        var scopes = ["Mail.Send"]
        /// Retry policies as JSON objects, at each level (nil: the level sets none).
        var stepRetry: String?
        var connectionRetry: String?
        var workflowRetry: String?
        var runtimeRetry: String?
        /// `faults[]` and `events[]` members as JSON objects.
        var faults: [String] = []
        var events: [String] = []

        var testDescription: String { label }

        /// The scenario file's text.
        func text() throws -> String {
            var connection: [(key: String, value: JSONValue)] = [
                ("id", .string(Self.connection)), ("provider", .string(provider)), ("broker", .string(broker)),
                ("owner", .string(Self.owner)), ("subject", .string(subject)), ("tenant", .string(tenant)),
                ("scopes", .array(scopes.map(JSONValue.string))),
            ]
            if let connectionRetry { connection.append(("retry", try JSONValue.parse(connectionRetry))) }
            var step: [(key: String, value: JSONValue)] = [
                ("id", .string(Self.step)), ("connection", .string(Self.connection)), ("effect", .string("mutation")),
            ]
            if let stepRetry { step.append(("retry", try JSONValue.parse(stepRetry))) }
            var workflow: [(key: String, value: JSONValue)] = [("run", .string("run_path")), ("steps", .array([.object(step)]))]
            if let workflowRetry { workflow.append(("retry", try JSONValue.parse(workflowRetry))) }
            var runtime: [(key: String, value: JSONValue)] = [("kind", .string("langgraph")), ("workers", .array([.string("worker-a")]))]
            if let runtimeRetry { runtime.append(("retry", try JSONValue.parse(runtimeRetry))) }
            let document = JSONValue.object([
                ("format", .integer(1)),
                ("name", .string("recovery-path")),
                ("seed", .integer(7)),
                ("runtime", .object(runtime)),
                ("connections", .array([.object(connection)])),
                ("workflow", .object(workflow)),
                ("faults", .array(try faults.map { try JSONValue.parse($0) })),
                ("events", .array(try events.map { try JSONValue.parse($0) })),
            ])
            return document.compactText
        }

        /// Loads the text as a file would be loaded, and plays it.
        func play() throws -> ScenarioResult {
            let scenario = try ScenarioLoader.load(text: try text(), file: "tests/\(label).json")
            return ScenarioPlayer.play(scenario)
        }
    }

    /// JSON fragments for faults, events and signals.
    enum Fragment {
        static let beforeCall = #"{"step": "send-briefing", "point": "before-call"}"#

        static func providerError(_ signal: String, count: Int) -> String {
            #"{"at": \#(beforeCall), "fault": "provider-error", "count": \#(count), "signal": \#(signal)}"#
        }

        static func revokeGrant(_ signal: String) -> String {
            #"{"at": \#(beforeCall), "fault": "revoke-grant", "signal": \#(signal)}"#
        }

        static func fault(_ kind: String) -> String {
            #"{"at": \#(beforeCall), "fault": "\#(kind)"}"#
        }

        static func reconnect(on transition: String, after: String = "5m", subject: String, tenant: String) -> String {
            #"{"on": "\#(transition)", "after": "\#(after)", "do": "reconnect", "connection": "conn_ops", "#
                + #""subject": "\#(subject)", "tenant": "\#(tenant)"}"#
        }

        static func operatorFix(on transition: String, after: String = "5m") -> String {
            #"{"on": "\#(transition)", "after": "\#(after)", "do": "operator-fix", "connection": "conn_ops"}"#
        }

        /// Microsoft's AADSTS700082 invalid_grant: a dead grant.
        static let inactiveRefreshToken =
            #"{"status": 400, "error": "invalid_grant", "description": "AADSTS700082: The refresh token has expired due to inactivity."}"#
        /// 503 temporarily_unavailable: transient.
        static let unavailable = #"{"status": 503, "error": "temporarily_unavailable"}"#
        /// A transient failure on every call the test can reach.
        static let unavailableForever = providerError(unavailable, count: 100)

        static func throttled(retryAfter: String) -> String {
            #"{"status": 429, "error": "TooManyRequests", "retryAfter": "\#(retryAfter)"}"#
        }
    }

    // MARK: - The scenarios under test

    /// Every scenario these tests play; the invariant suite plays them all.
    enum Paths {
        // Retry policy precedence (maxAttempts 2 at the step, 3 at the connection, 4 at the workflow, 5 at the runtime).

        static let allLevels = Scenario(
            label: "retry-all-levels", stepRetry: #"{"maxAttempts": 2}"#, connectionRetry: #"{"maxAttempts": 3}"#,
            workflowRetry: #"{"maxAttempts": 4}"#, runtimeRetry: #"{"maxAttempts": 5}"#, faults: [Fragment.unavailableForever])
        static let noStepLevel = Scenario(
            label: "retry-no-step-level", connectionRetry: #"{"maxAttempts": 3}"#,
            workflowRetry: #"{"maxAttempts": 4}"#, runtimeRetry: #"{"maxAttempts": 5}"#, faults: [Fragment.unavailableForever])
        static let workflowAndRuntime = Scenario(
            label: "retry-workflow-and-runtime", workflowRetry: #"{"maxAttempts": 4}"#, runtimeRetry: #"{"maxAttempts": 5}"#,
            faults: [Fragment.unavailableForever])
        static let runtimeOnly = Scenario(
            label: "retry-runtime-only", runtimeRetry: #"{"maxAttempts": 5}"#, faults: [Fragment.unavailableForever])
        /// The step sets only the initial backoff; the attempts come from the runtime.
        static let stepBackoffRuntimeAttempts = Scenario(
            label: "retry-step-backoff-runtime-attempts", stepRetry: #"{"initialBackoff": "5s"}"#,
            runtimeRetry: #"{"maxAttempts": 3, "initialBackoff": "1s"}"#, faults: [Fragment.unavailableForever])
        /// Three levels each give one key; the runtime's values for the same keys lose to all of them.
        static let keysFromThreeLevels = Scenario(
            label: "retry-keys-from-three-levels", stepRetry: #"{"initialBackoff": "2s"}"#,
            connectionRetry: #"{"backoffCoefficient": 3.0}"#, workflowRetry: #"{"maxAttempts": 4}"#,
            runtimeRetry: #"{"maxAttempts": 9, "initialBackoff": "7s", "backoffCoefficient": 1.5}"#,
            faults: [Fragment.unavailableForever])

        // Temporal's defaults and the policy's limits.

        /// No policy anywhere; ten 503s, then the call goes through.
        static let temporalDefaults = Scenario(
            label: "retry-temporal-defaults", faults: [Fragment.providerError(Fragment.unavailable, count: 10)])
        static let transientNonRetryable = Scenario(
            label: "retry-transient-non-retryable", workflowRetry: #"{"nonRetryable": ["transient"]}"#,
            faults: [Fragment.unavailableForever])
        static let maxElapsed = Scenario(
            label: "retry-max-elapsed", runtimeRetry: #"{"maxElapsed": "10s"}"#, faults: [Fragment.unavailableForever])

        // Rate limits.

        static let retryAfter30s = Scenario(
            label: "rate-limited-retry-after-30s", faults: [Fragment.providerError(Fragment.throttled(retryAfter: "30s"), count: 2)])
        static let retryAfter2h = Scenario(
            label: "rate-limited-retry-after-2h", faults: [Fragment.providerError(Fragment.throttled(retryAfter: "2h"), count: 1)])

        // Classes the owner answers; each scenario's owner signs in again as herself five minutes after the request.

        static let deadGrant = ownerAnswers(Scenario(
            label: "owner-dead-grant",
            faults: [Fragment.revokeGrant(Fragment.inactiveRefreshToken)]))
        static let stepUp = ownerAnswers(Scenario(
            label: "owner-step-up", provider: "google", subject: "108234567890", tenant: "contoso.example",
            scopes: ["https://www.googleapis.com/auth/gmail.send"],
            faults: [Fragment.revokeGrant(#"{"status": 400, "error": "invalid_grant", "description": "reauth related error (invalid_rapt)"}"#)]))
        static let consentRequired = ownerAnswers(Scenario(
            label: "owner-consent-required", provider: "salesforce", broker: "scalekit", subject: "005Dn000001AbCd",
            tenant: "00Dn0000000XyZa", scopes: ["api", "refresh_token"],
            faults: [Fragment.revokeGrant(#"{"status": 400, "error": "invalid_grant", "description": "user hasn't approved this consumer"}"#)]))
        static let notConnected = ownerAnswers(Scenario(
            label: "owner-not-connected", provider: "google", broker: "auth0", subject: "108234567890", tenant: "contoso.example",
            scopes: ["https://www.googleapis.com/auth/calendar.readonly"],
            faults: [Fragment.revokeGrant(
                #"{"status": 401, "body": {"error": "federated_connection_refresh_token_not_found"}}"#)]))
        static let accountBlocked = ownerAnswers(Scenario(
            label: "owner-account-blocked", provider: "salesforce", broker: "auth0", subject: "005Dn000001AbCd",
            tenant: "00Dn0000000XyZa", scopes: ["api", "refresh_token"],
            faults: [Fragment.revokeGrant(#"{"status": 400, "error": "invalid_grant", "description": "inactive user"}"#)]))
        static let insufficientScope = ownerAnswers(Scenario(
            label: "owner-insufficient-scope", provider: "slack", subject: "U04ABCD", tenant: "T01CONTOSO", scopes: ["chat:write"],
            faults: [Fragment.revokeGrant(#"{"status": 200, "body": {"ok": false, "error": "missing_scope", "needed": "chat:write.public"}}"#)]))

        static func ownerAnswers(_ scenario: Scenario) -> Scenario {
            var copy = scenario
            copy.events.append(Fragment.reconnect(on: "reconnect.requested", subject: scenario.subject, tenant: scenario.tenant))
            return copy
        }

        // Classes an operator answers.

        static let invalidClient = Fragment.providerError(#"{"status": 401, "body": {"error": "invalid_client"}}"#, count: 100)
        static let conditionalAccess = Fragment.providerError(
            #"{"status": 400, "error": "invalid_grant", "description": "AADSTS53003: Access has been blocked by Conditional Access policies."}"#,
            count: 100)
        static let ownerTriesReconnect = Fragment.reconnect(on: "operator.alerted", subject: "oid-4f1c", tenant: "tid-contoso")
        static let operatorFixesAfterRefusal = Fragment.operatorFix(on: "capability.refused", after: "10m")

        /// The owner tries a reconnect and nobody fixes anything.
        static let configErrorOwnerOnly = Scenario(
            label: "operator-config-error-owner-only", faults: [invalidClient], events: [ownerTriesReconnect])
        static let policyBlockedOwnerOnly = Scenario(
            label: "operator-policy-blocked-owner-only", faults: [conditionalAccess], events: [ownerTriesReconnect])
        /// The owner tries a reconnect, then the operator confirms the fix.
        static let configErrorFixed = Scenario(
            label: "operator-config-error-fixed", faults: [invalidClient], events: [ownerTriesReconnect, operatorFixesAfterRefusal])
        static let policyBlockedFixed = Scenario(
            label: "operator-policy-blocked-fixed", faults: [conditionalAccess], events: [ownerTriesReconnect, operatorFixesAfterRefusal])

        // Nobody is asked.

        static let expiredAccessToken = Scenario(label: "self-heal-expired-access-token", faults: [Fragment.fault("expire-access-token")])
        static let refreshElsewhere = Scenario(label: "self-heal-refresh-elsewhere", faults: [Fragment.fault("refresh-elsewhere")])

        // Identity pinning: a dead grant answered by the wrong person.

        static let deadGrantSignal = Fragment.revokeGrant(Fragment.inactiveRefreshToken)
        static let colleagueSameTenant = Scenario(
            label: "identity-colleague-same-tenant", faults: [deadGrantSignal],
            events: [Fragment.reconnect(on: "reconnect.requested", subject: "oid-77d2", tenant: "tid-contoso")])
        static let otherTenant = Scenario(
            label: "identity-other-tenant", faults: [deadGrantSignal],
            events: [Fragment.reconnect(on: "reconnect.requested", subject: "oid-4f1c", tenant: "tid-fabrikam")])
        /// A colleague answers first and is rejected; the owner answers five minutes later.
        static let colleagueThenOwner = Scenario(
            label: "identity-colleague-then-owner", faults: [deadGrantSignal],
            events: [Fragment.reconnect(on: "reconnect.requested", subject: "oid-77d2", tenant: "tid-contoso"),
                     Fragment.reconnect(on: "reconnect.rejected", subject: "oid-4f1c", tenant: "tid-contoso")])

        static let all: [Scenario] = [
            allLevels, noStepLevel, workflowAndRuntime, runtimeOnly, stepBackoffRuntimeAttempts, keysFromThreeLevels,
            temporalDefaults, transientNonRetryable, maxElapsed, retryAfter30s, retryAfter2h,
            deadGrant, stepUp, consentRequired, notConnected, accountBlocked, insufficientScope,
            configErrorOwnerOnly, policyBlockedOwnerOnly, configErrorFixed, policyBlockedFixed,
            expiredAccessToken, refreshElsewhere, colleagueSameTenant, otherTenant, colleagueThenOwner,
        ]
    }

    // MARK: - Retry policy precedence

    /// Policies layer key by key: step → connection → workflow → runtime → Temporal's defaults.
    @Suite("retry policy precedence")
    struct RetryPrecedence {
        @Test func stepMaxAttemptsWinsOverEveryBroaderLevel() throws {
            let result = try Paths.allLevels.play()
            #expect(result.outcome == .failed)
            #expect(result.attemptsBeforeFailure == 2)
        }

        @Test func connectionMaxAttemptsAppliesWithoutAStepPolicy() throws {
            let result = try Paths.noStepLevel.play()
            #expect(result.outcome == .failed)
            #expect(result.attemptsBeforeFailure == 3)
        }

        @Test func workflowMaxAttemptsAppliesWithoutStepOrConnectionPolicies() throws {
            let result = try Paths.workflowAndRuntime.play()
            #expect(result.outcome == .failed)
            #expect(result.attemptsBeforeFailure == 4)
        }

        @Test func runtimeMaxAttemptsAppliesAlone() throws {
            let result = try Paths.runtimeOnly.play()
            #expect(result.outcome == .failed)
            #expect(result.attemptsBeforeFailure == 5)
        }

        @Test func runFailedNamesTheMaxAttemptsInForce() throws {
            let result = try Paths.allLevels.play()
            let failed = try #require(result.transitions(named: "run.failed").first)
            #expect(failed.reason == "maxAttempts 2 reached")
            #expect(failed.step == Scenario.step)
            #expect(failed.attempt == 2)
        }

        @Test func keyMissingAtTheStepIsTakenFromTheRuntime() throws {
            let result = try Paths.stepBackoffRuntimeAttempts.play()
            #expect(result.attemptsBeforeFailure == 3, "maxAttempts comes from the runtime")
            #expect(result.backoffs == ["5s", "10s"], "initialBackoff comes from the step, not the runtime's 1s")
        }

        @Test func eachKeyComesFromTheMostSpecificLevelThatSetsIt() throws {
            let result = try Paths.keysFromThreeLevels.play()
            #expect(result.attemptsBeforeFailure == 4, "maxAttempts from the workflow, not the runtime's 9")
            #expect(result.backoffs == ["2s", "6s", "18s"], "initialBackoff from the step, coefficient from the connection")
        }
    }

    // MARK: - Temporal's defaults and the policy's limits

    @Suite("retry defaults and limits")
    struct RetryLimits {
        @Test func withNoPolicyBackoffsDoubleFromOneSecondAndCapAtOneHundredSeconds() throws {
            let result = try Paths.temporalDefaults.play()
            #expect(result.backoffs == ["1s", "2s", "4s", "8s", "16s", "32s", "64s", "100s", "100s", "100s"])
            #expect(result.outcome == .completed, "unlimited attempts: the eleventh call goes through")
            #expect(result.sendEffects == 1)
        }

        @Test func retriesAreTransientAndKeepTheCredential() throws {
            let result = try Paths.temporalDefaults.play()
            #expect(result.transitions(named: "retry.scheduled").allSatisfy { $0.failureClass?.rawValue == "transient" })
            #expect(!result.has("lease.rotated"))
            #expect(!result.has("run.parked"))
            #expect(!result.has("case.opened"))
        }

        @Test func nonRetryableTransientFailsAtTheFirstFailure() throws {
            let result = try Paths.transientNonRetryable.play()
            #expect(result.outcome == .failed)
            #expect(result.attemptsBeforeFailure == 1)
            #expect(!result.has("retry.scheduled"))
            let failed = try #require(result.transitions(named: "run.failed").first)
            #expect(failed.reason?.contains("non-retryable") == true, "reason: \(failed.reason ?? "none")")
        }

        @Test func maxElapsedGivesUpOnceTheNextWaitWouldPassIt() throws {
            let result = try Paths.maxElapsed.play()
            #expect(result.outcome == .failed)
            // Attempts fail at 0.1s, 1.2s, 3.3s and 7.4s: 1s, 2s and 4s waits fit in 10s; the next (8s) would not.
            #expect(result.backoffs == ["1s", "2s", "4s"])
            #expect(result.attemptsBeforeFailure == 4)
            let start = try #require(result.transitions(named: "step.started").first).time
            let lastRetry = try #require(result.transitions(named: "retry.scheduled").last)
            let failed = try #require(result.transitions(named: "run.failed").first)
            #expect(lastRetry.time.since(start) + .seconds(4) <= .seconds(10))
            #expect(failed.time.since(start) + .seconds(8) > .seconds(10))
            #expect(failed.reason?.contains("maxElapsed") == true, "reason: \(failed.reason ?? "none")")
        }
    }

    // MARK: - Rate limits

    @Suite("rate limits")
    struct RateLimits {
        @Test func retryAfterThirtySecondsIsTheWait() throws {
            let result = try Paths.retryAfter30s.play()
            let retries = result.transitions(named: "retry.scheduled")
            #expect(retries.count == 2)
            #expect(retries.allSatisfy { $0.failureClass?.rawValue == "rate_limited" })
            #expect(result.backoffs == ["30s", "30s"])
        }

        @Test func nextAttemptStartsThirtySecondsAfterTheThrottle() throws {
            let result = try Paths.retryAfter30s.play()
            let retry = try #require(result.transitions(named: "retry.scheduled").first)
            let second = try #require(result.transitions(named: "step.started").first(where: { $0.attempt == 2 }))
            #expect(second.time.since(retry.time) == .seconds(30))
        }

        @Test func rateLimitNeverParksAndSendsOnce() throws {
            let result = try Paths.retryAfter30s.play()
            #expect(result.outcome == .completed)
            #expect(result.sendEffects == 1)
            for name in ["run.parked", "case.opened", "reconnect.requested", "operator.alerted", "lease.rotated"] {
                #expect(!result.has(name), "\(name) appears")
            }
        }

        @Test func retryAfterLongerThanAnHourIsCappedAtAnHour() throws {
            let result = try Paths.retryAfter2h.play()
            #expect(result.backoffs == ["1h"])
            let retry = try #require(result.transitions(named: "retry.scheduled").first)
            let second = try #require(result.transitions(named: "step.started").first(where: { $0.attempt == 2 }))
            #expect(second.time.since(retry.time) == .hours(1))
            #expect(result.outcome == .completed)
            #expect(!result.has("run.parked"))
        }
    }

    // MARK: - Classes the owner answers

    /// A parking class, the scenario that provokes it, and what the request asks for.
    struct OwnerClass: Sendable, CustomTestStringConvertible {
        let scenario: Scenario
        let failureClass: String
        let ask: String
        var testDescription: String { failureClass }

        static let all: [OwnerClass] = [
            OwnerClass(scenario: Paths.deadGrant, failureClass: "dead_grant", ask: "reconnect"),
            OwnerClass(scenario: Paths.stepUp, failureClass: "step_up", ask: "reauthenticate"),
            OwnerClass(scenario: Paths.consentRequired, failureClass: "consent_required", ask: "consent"),
            OwnerClass(scenario: Paths.notConnected, failureClass: "not_connected", ask: "connect"),
            OwnerClass(scenario: Paths.accountBlocked, failureClass: "account_blocked", ask: "fix-account"),
            OwnerClass(scenario: Paths.insufficientScope, failureClass: "insufficient_scope", ask: "grant-scopes"),
        ]
    }

    @Suite("owner classes")
    struct OwnerClasses {
        @Test(arguments: OwnerClass.all)
        func signalIsClassifiedAsItsClass(_ c: OwnerClass) throws {
            let result = try c.scenario.play()
            let classified = try #require(result.transitions(named: "failure.classified").first)
            #expect(classified.failureClass?.rawValue == c.failureClass)
        }

        @Test(arguments: OwnerClass.all)
        func ownerIsAskedWithTheClassesRequestKind(_ c: OwnerClass) throws {
            let result = try c.scenario.play()
            let request = try #require(result.transitions(named: "reconnect.requested").first)
            #expect(request.noteValue("ask") == c.ask)
            #expect(request.noteValue("to") == Scenario.owner)
            #expect(request.failureClass?.rawValue == c.failureClass)
            #expect(request.capability != nil, "the request carries a capability")
            #expect(!result.has("operator.alerted"))
        }

        @Test(arguments: OwnerClass.all)
        func runParksBeforeTheRequest(_ c: OwnerClass) throws {
            let result = try c.scenario.play()
            let parked = try #require(result.firstIndex(of: "run.parked"))
            let requested = try #require(result.firstIndex(of: "reconnect.requested"))
            #expect(parked < requested)
            #expect(result.transitions[parked].failureClass?.rawValue == c.failureClass)
        }

        @Test(arguments: OwnerClass.all)
        func ownersReconnectResumesTheRunAndTheEffectHappensOnce(_ c: OwnerClass) throws {
            let result = try c.scenario.play()
            #expect(result.outcome == .completed)
            #expect(result.sendEffects == 1)
            let verified = try #require(result.firstIndex(of: "reconnect.verified"))
            let resumed = try #require(result.firstIndex(of: "run.resumed"))
            #expect(verified < resumed)
            let rotated = try #require(result.transitions(named: "lease.rotated").first)
            #expect(rotated.reason == "reconnect")
            #expect(rotated.generation == 2)
        }

        @Test func stepUpExpectsToRecur() throws {
            let result = try Paths.stepUp.play()
            let request = try #require(result.transitions(named: "reconnect.requested").first)
            #expect(request.noteValue("recurs") == "expected")
        }

        @Test func deadGrantIsNotMarkedAsRecurring() throws {
            let result = try Paths.deadGrant.play()
            let request = try #require(result.transitions(named: "reconnect.requested").first)
            #expect(request.noteValue("recurs") == nil)
        }

        @Test func insufficientScopeAsksForTheUnionOfGrantedAndNeededScopes() throws {
            let result = try Paths.insufficientScope.play()
            let request = try #require(result.transitions(named: "reconnect.requested").first)
            #expect(request.noteValue("scopes") == "chat:write+chat:write.public")
        }
    }

    // MARK: - Classes an operator answers

    /// An operator class: its scenarios (the owner alone; the owner, then the operator's fix).
    struct OperatorClass: Sendable, CustomTestStringConvertible {
        let failureClass: String
        let ownerOnly: Scenario
        let fixed: Scenario
        var testDescription: String { failureClass }

        static let all: [OperatorClass] = [
            OperatorClass(failureClass: "config_error", ownerOnly: Paths.configErrorOwnerOnly, fixed: Paths.configErrorFixed),
            OperatorClass(failureClass: "policy_blocked", ownerOnly: Paths.policyBlockedOwnerOnly, fixed: Paths.policyBlockedFixed),
        ]
    }

    @Suite("operator classes")
    struct OperatorClasses {
        @Test(arguments: OperatorClass.all)
        func signalIsClassifiedAsItsClass(_ c: OperatorClass) throws {
            let result = try c.ownerOnly.play()
            let classified = try #require(result.transitions(named: "failure.classified").first)
            #expect(classified.failureClass?.rawValue == c.failureClass)
        }

        @Test(arguments: OperatorClass.all)
        func operatorIsAlertedAndTheOwnerIsNotAskedToReconnect(_ c: OperatorClass) throws {
            let result = try c.ownerOnly.play()
            let alert = try #require(result.transitions(named: "operator.alerted").first)
            #expect(alert.failureClass?.rawValue == c.failureClass)
            #expect(alert.capability != nil, "the alert carries a capability to confirm the fix")
            #expect(alert.noteValue("to") != Scenario.owner)
            #expect(!result.has("reconnect.requested"))
        }

        @Test(arguments: OperatorClass.all)
        func ownersReconnectIsRefusedAsNeedingTheOperator(_ c: OperatorClass) throws {
            let result = try c.ownerOnly.play()
            let refused = try #require(result.transitions(named: "capability.refused").first)
            #expect(refused.reason == "needs-operator")
            #expect(!result.has("reconnect.verified"))
            #expect(!result.has("lease.rotated"))
        }

        @Test(arguments: OperatorClass.all)
        func runStaysParkedAfterTheRefusedReconnect(_ c: OperatorClass) throws {
            let result = try c.ownerOnly.play()
            #expect(result.outcome == .parked)
            #expect(!result.has("run.resumed"))
            #expect(result.sendEffects == 0)
        }

        @Test(arguments: OperatorClass.all)
        func operatorFixResolvesTheCaseAndResumesTheRun(_ c: OperatorClass) throws {
            let result = try c.fixed.play()
            let refused = try #require(result.firstIndex(of: "capability.refused"))
            let fixed = try #require(result.firstIndex(of: "operator.fixed"))
            let resolved = try #require(result.firstIndex(of: "case.resolved"))
            let resumed = try #require(result.firstIndex(of: "run.resumed"))
            #expect(refused < fixed && fixed < resolved && resolved < resumed)
            #expect(!result.transitions[refused..<fixed].contains { $0.name.rawValue == "run.resumed" }, "the refusal alone resumed nothing")
            #expect(result.outcome == .completed)
        }

        @Test(arguments: OperatorClass.all)
        func operatorFixSendsOnceWithoutTouchingTheGrant(_ c: OperatorClass) throws {
            let result = try c.fixed.play()
            #expect(result.sendEffects == 1)
            #expect(result.transitions(named: "effect.applied").count == 1)
            #expect(!result.has("lease.rotated"))
            #expect(!result.has("reconnect.requested"))
        }

        @Test func policyBlockedAlertCopiesTheOwner() throws {
            let result = try Paths.policyBlockedOwnerOnly.play()
            let alert = try #require(result.transitions(named: "operator.alerted").first)
            #expect(alert.noteValue("cc") == Scenario.owner)
        }

        @Test func configErrorAlertDoesNotCopyTheOwner() throws {
            let result = try Paths.configErrorOwnerOnly.play()
            let alert = try #require(result.transitions(named: "operator.alerted").first)
            #expect(alert.noteValue("cc") == nil)
        }
    }

    // MARK: - Classes nobody is asked about

    @Suite("self-healing classes")
    struct SelfHealing {
        @Test func expiredAccessTokenIsClassifiedRefreshable() throws {
            let result = try Paths.expiredAccessToken.play()
            let classified = try #require(result.transitions(named: "failure.classified").first)
            #expect(classified.failureClass?.rawValue == "refreshable")
        }

        @Test func refreshRotatesTheGenerationAndReissuesTheLeaseBeforeTheCallSucceeds() throws {
            let result = try Paths.expiredAccessToken.play()
            let refreshed = try #require(result.firstIndex(of: "token.refreshed"))
            let rotated = try #require(result.transitions.firstIndex(where: { $0.name.rawValue == "lease.rotated" && $0.reason == "refresh" }))
            let reissued = try #require(result.transitions.firstIndex(where: { $0.name.rawValue == "lease.issued" && $0.generation == 2 }))
            let applied = try #require(result.firstIndex(of: "effect.applied"))
            #expect(refreshed < rotated && rotated < reissued && reissued < applied)
            #expect(result.transitions[rotated].generation == 2)
            #expect(result.transitions[applied].generation == 2, "the call succeeds on the new generation")
            #expect(result.outcome == .completed)
            #expect(result.sendEffects == 1)
        }

        @Test func refreshOpensNoCaseAndPagesNobody() throws {
            let result = try Paths.expiredAccessToken.play()
            for name in ["case.opened", "run.parked", "reconnect.requested", "operator.alerted", "retry.scheduled"] {
                #expect(!result.has(name), "\(name) appears")
            }
        }

        @Test func refreshElsewhereIsAStaleGenerationRace() throws {
            let result = try Paths.refreshElsewhere.play()
            let classified = try #require(result.transitions(named: "failure.classified").first)
            #expect(classified.failureClass?.rawValue == "stale_generation")
            #expect(classified.generation == 1, "the failing call carried the old generation")
        }

        @Test func staleGenerationReloadsTheLeaseAndCompletesWithoutACase() throws {
            let result = try Paths.refreshElsewhere.play()
            let classified = try #require(result.firstIndex(of: "failure.classified"))
            let reloaded = try #require(result.transitions[classified...].firstIndex(where: { $0.name.rawValue == "lease.issued" }))
            #expect(result.transitions[reloaded].generation == 2)
            #expect(result.outcome == .completed)
            #expect(result.sendEffects == 1)
            for name in ["case.opened", "run.parked", "reconnect.requested", "operator.alerted"] {
                #expect(!result.has(name), "\(name) appears")
            }
        }
    }

    // MARK: - Identity pinning

    @Suite("identity pinning")
    struct IdentityPinning {
        @Test func colleagueInTheSameTenantIsRejectedAsSubjectMismatch() throws {
            let result = try Paths.colleagueSameTenant.play()
            let rejected = try #require(result.transitions(named: "reconnect.rejected").first)
            #expect(rejected.failureClass?.rawValue == "identity_mismatch")
            #expect(rejected.reason == "subject-mismatch")
            #expect(rejected.subject == "oid-77d2")
        }

        @Test func reconnectFromAnotherTenantIsRejectedAsTenantMismatch() throws {
            let result = try Paths.otherTenant.play()
            let rejected = try #require(result.transitions(named: "reconnect.rejected").first)
            #expect(rejected.failureClass?.rawValue == "identity_mismatch")
            #expect(rejected.reason == "tenant-mismatch")
            #expect(rejected.tenant == "tid-fabrikam")
        }

        @Test(arguments: [Paths.colleagueSameTenant, Paths.otherTenant])
        func rejectedReconnectRotatesNothingAndTheRunStaysParked(_ scenario: Scenario) throws {
            let result = try scenario.play()
            #expect(result.has("reconnect.rejected"))
            #expect(!result.has("lease.rotated"))
            #expect(!result.has("reconnect.verified"))
            #expect(!result.has("run.resumed"))
            #expect(result.outcome == .parked)
            #expect(result.sendEffects == 0)
        }

        @Test func ownerAfterARejectionRotatesFromTheFirstGeneration() throws {
            let result = try Paths.colleagueThenOwner.play()
            let rejected = try #require(result.firstIndex(of: "reconnect.rejected"))
            let rotations = result.transitions(named: "lease.rotated")
            #expect(rotations.count == 1)
            let rotated = try #require(result.firstIndex(of: "lease.rotated"))
            #expect(rejected < rotated)
            #expect(result.transitions[rotated].noteValue("from") == "1")
            #expect(result.transitions[rotated].generation == 2)
            #expect(result.outcome == .completed)
            #expect(result.sendEffects == 1)
        }
    }

    // MARK: - Invariants

    @Suite("invariants")
    struct Invariants {
        @Test(arguments: Paths.all)
        func everyPlayHoldsEveryInvariant(_ scenario: Scenario) throws {
            let result = try scenario.play()
            #expect(result.checkedInvariants.count == Invariant.allCases.count)
            #expect(result.breaches.isEmpty, "\(result.breaches)")
            #expect(result.limitReached == nil)
        }
    }
}

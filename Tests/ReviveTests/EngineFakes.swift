import Testing
@testable import Revive
import ReviveVocabulary

// Test doubles for the engine's three injected collaborators, plus small helpers shared by
// RecoveryEngineTests and ProtectActionTests. Every double is deterministic: no clock, no random.

/// Hands out ids and secrets from one counter: `case_1`, `cap_2`, `rvcap_secret-3-xyzzy` …
final class CountingIdentifiers: IdentifierSource {
    private var counter = 0

    func nextID(prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    func nextSecret(prefix: String) -> String {
        counter += 1
        return "\(prefix)secret-\(counter)-xyzzy"
    }
}

/// A credential broker that records every call and answers refreshes from a script.
final class RecordingBroker: CredentialBroker {
    /// Refresh answers, consumed in order; when empty a refresh succeeds.
    var scriptedRefreshFailures: [ProviderSignal?] = []
    private(set) var refreshes: [(connection: ConnectionID, generation: LeaseGeneration)] = []
    private(set) var installs: [(grant: PendingGrant, generation: LeaseGeneration)] = []
    private(set) var discards: [PendingGrant] = []

    func refresh(_ connection: ConnectionID, generation: LeaseGeneration, rotatingTo next: LeaseGeneration) -> ProviderSignal? {
        refreshes.append((connection, generation))
        return scriptedRefreshFailures.isEmpty ? nil : scriptedRefreshFailures.removeFirst()
    }

    func install(_ grant: PendingGrant, generation: LeaseGeneration) { installs.append((grant, generation)) }

    func discard(_ grant: PendingGrant) { discards.append(grant) }
}

/// Collects the engine's timeline.
final class TimelineRecorder: TransitionRecorder {
    private(set) var transitions: [Transition] = []

    func record(_ transition: Transition) { transitions.append(transition) }

    var names: [String] { transitions.map(\.name.rawValue) }

    func named(_ name: String) -> [Transition] { transitions.filter { $0.name.rawValue == name } }

    /// The names recorded after position `mark` (a previous `transitions.count`).
    func names(since mark: Int) -> [String] { Array(names.dropFirst(mark)) }
}

/// A fresh engine over fakes, with one Slack connection registered (and a second one on demand).
final class EngineHarness {
    let ids = CountingIdentifiers()
    let broker = RecordingBroker()
    let timeline = TimelineRecorder()
    let store = InMemoryRecoveryStore()
    let engine: RecoveryEngine

    static let pinned = ProviderIdentity(subject: "U0ADA", tenant: "T0ACME")
    static let slack = ConnectionRecord(
        id: ConnectionID("conn-slack-ada"), provider: .slack, broker: .nango, ownerAddress: "ada@acme.example",
        pinnedIdentity: pinned, scopes: ["chat:write"])
    static let github = ConnectionRecord(
        id: ConnectionID("conn-github-bob"), provider: .github, broker: .nango, ownerAddress: "bob@acme.example",
        pinnedIdentity: ProviderIdentity(subject: "583231", tenant: "acme-org"), scopes: ["repo"])

    /// Slack's answer to a call once the grant is revoked.
    static let tokenRevoked = ProviderSignal(status: 200, body: .object([("ok", .bool(false)), ("error", .string("token_revoked"))]))
    /// Slack's answer to a call when the access token expired.
    static let tokenExpired = ProviderSignal(status: 200, body: .object([("ok", .bool(false)), ("error", .string("token_expired"))]))
    /// An RFC 6749 refresh failure with no better hint.
    static let invalidGrant = ProviderSignal(status: 400, body: .object([("error", .string("invalid_grant"))]))
    /// A passing server fault.
    static let unavailable = ProviderSignal(status: 503)

    init(configuration: RecoveryConfiguration = RecoveryConfiguration()) {
        engine = RecoveryEngine(configuration: configuration, store: store, ids: ids, broker: broker, recorder: timeline)
        engine.register(EngineHarness.slack)
        engine.register(EngineHarness.github)
    }

    var connection: ConnectionID { EngineHarness.slack.id }

    func context(run: String = "run-1", action: String = "post-summary", worker: String = "worker-a",
                 checkpoint: String? = "cp-3", attempt: Int = 1) -> ActionContext {
        ActionContext(run: RunID(run), action: ActionKey(action), attempt: attempt, worker: WorkerID(worker), checkpoint: checkpoint)
    }

    func grant(_ identity: ProviderIdentity = EngineHarness.pinned, for connection: ConnectionID = EngineHarness.slack.id,
               id: String = "grant-1") -> PendingGrant {
        PendingGrant(id: id, connection: connection, identity: identity)
    }

    /// A mutating action that was authorized, sent, and refused with a dead grant at `time`.
    func parkOnDeadGrant(context: ActionContext? = nil, at time: Instant = clock(2)) throws
        -> (lease: Lease, key: IdempotencyKey, recoveryCase: RecoveryCase, request: ReconnectRequest) {
        let context = context ?? self.context()
        let lease = engine.issueLease(connection: connection, context: context, at: time)
        let key = try #require(engine.prepareAction(connection: connection, context: context, at: time).executeKey)
        #expect(engine.authorizeCall(with: lease, key: key, context: context, at: time) == .allowed)
        let decision = engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: lease, key: key,
                                            context: context, at: time)
        let (recoveryCase, request) = try #require(decision.parked)
        return (lease, key, recoveryCase, request)
    }
}

/// The instant `hour:minute` after the scenario's origin (midnight).
func clock(_ hour: Int64, _ minute: Int64 = 0) -> Instant {
    Instant.zero.advanced(by: .hours(hour) + .minutes(minute))
}

extension FailureDecision {
    var parked: (RecoveryCase, ReconnectRequest)? {
        if case .parked(let recoveryCase, let request) = self { return (recoveryCase, request) }
        return nil
    }

    var retryLaterClassification: Classification? {
        if case .retryLater(let classification) = self { return classification }
        return nil
    }

    var retryNowLease: Lease? {
        if case .retryNow(let lease) = self { return lease }
        return nil
    }
}

extension ActionPreparation {
    var executeKey: IdempotencyKey? {
        if case .execute(let key) = self { return key }
        return nil
    }
}

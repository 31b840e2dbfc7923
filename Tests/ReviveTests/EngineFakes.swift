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

    /// Called at each refresh, before it answers (to see what the timeline holds at that instant).
    var onRefresh: (() -> Void)?

    func refresh(_ connection: ConnectionID, generation: LeaseGeneration, rotatingTo next: LeaseGeneration) -> ProviderSignal? {
        onRefresh?()
        refreshes.append((connection, generation))
        return scriptedRefreshFailures.isEmpty ? nil : scriptedRefreshFailures.removeFirst()
    }

    func install(_ grant: PendingGrant, generation: LeaseGeneration) { installs.append((grant, generation)) }

    func discard(_ grant: PendingGrant) { discards.append(grant) }
}

/// Collects the engine's timeline.
final class TimelineRecorder: TransitionRecorder {
    private(set) var transitions: [Transition] = []

    func record(_ transition: consuming Transition) { transitions.append(transition) }

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
    let store: RecoveryStore
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

    init(configuration: RecoveryConfiguration = RecoveryConfiguration(),
         store: RecoveryStore = InMemoryRecoveryStore()) throws(RecoveryStoreError) {
        self.store = store
        engine = RecoveryEngine(configuration: configuration, store: store, ids: ids, broker: broker, recorder: timeline)
        try engine.register(EngineHarness.slack)
        try engine.register(EngineHarness.github)
    }

    var connection: ConnectionID { EngineHarness.slack.id }

    /// A new engine over the same store, ids, broker and timeline, as after a process restart:
    /// it knows only what the store kept.
    func restartedEngine() -> RecoveryEngine {
        RecoveryEngine(configuration: engine.configuration, store: store, ids: ids, broker: broker, recorder: timeline)
    }

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
        let lease = try engine.issueLease(connection: connection, context: context, at: time)
        let key = try #require(try engine.prepareAction(connection: connection, context: context, at: time).executeKey)
        #expect(try engine.authorizeCall(with: lease, key: key, context: context, at: time) == .allowed)
        let decision = try engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: lease, key: key,
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

/// Reads of the store, each in a transaction of its own, for tests that look behind the engine.
extension RecoveryStore {
    func capability(_ id: CapabilityID) throws(RecoveryStoreError) -> CapabilityRecord? {
        try transaction { (tx) throws(RecoveryStoreError) in try tx.capability(id) }
    }

    func lease(_ id: LeaseID) throws(RecoveryStoreError) -> LeaseRecord? {
        try transaction { (tx) throws(RecoveryStoreError) in try tx.lease(id) }
    }

    func leases(heldBy worker: WorkerID) throws(RecoveryStoreError) -> [LeaseRecord] {
        try transaction { (tx) throws(RecoveryStoreError) in try tx.leases(heldBy: worker) }
    }

    func refreshMark(run: RunID, action: ActionKey) throws(RecoveryStoreError) -> RefreshMark? {
        try transaction { (tx) throws(RecoveryStoreError) in try tx.refreshMark(run: run, action: action) }
    }
}

/// A store over the in-memory one that can refuse a commit, as a database can fail at COMMIT.
final class ScriptedStore: RecoveryStore {
    private let inner = InMemoryRecoveryStore()
    /// When set, this many more commits go through, then one is refused (and the count clears).
    var commitsBeforeRefusal: Int?
    /// Called when a transaction is about to commit (or be refused).
    var onCommit: (() -> Void)?

    func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
        try inner.transaction { (tx) throws(RecoveryStoreError) -> T in
            let result = try body(tx)
            onCommit?()
            if let remaining = commitsBeforeRefusal {
                commitsBeforeRefusal = remaining == 0 ? nil : remaining - 1
                // Thrown at the commit: the inner store rolls back every write of the decision.
                if remaining == 0 { throw RecoveryStoreError.unavailable("the test refused the commit") }
            }
            return result
        }
    }
}

/// The engine's step-level calls, each run as a decision of its own, for tests that drive one step at a time.
extension RecoveryEngine {
    func issueLease(connection: ConnectionID, context: ActionContext, at time: Instant) throws(RecoveryStoreError) -> Lease {
        try decide { (tx) throws(RecoveryStoreError) in try issueLease(connection: connection, context: context, at: time, in: tx) }
    }

    func authorizeCall(with lease: Lease, key: IdempotencyKey?, context: ActionContext,
                       at time: Instant) throws(RecoveryStoreError) -> CallAuthorization {
        try decide { (tx) throws(RecoveryStoreError) in try authorizeCall(with: lease, key: key, context: context, at: time, in: tx) }
    }

    func prepareAction(connection: ConnectionID, context: ActionContext, at time: Instant) throws(RecoveryStoreError) -> ActionPreparation {
        try decide { (tx) throws(RecoveryStoreError) in try prepareAction(connection: connection, context: context, at: time, in: tx) }
    }

    func handleFailure(_ signal: ProviderSignal?, operation: FailedOperation, lease: Lease, key: IdempotencyKey?,
                       context: ActionContext, at time: Instant) throws(RecoveryStoreError) -> FailureDecision {
        try resolveFailure(lease: lease, key: key, context: context, at: time) { (tx) throws(RecoveryStoreError) in
            try classifyFailure(signal, operation: operation, lease: lease, key: key, context: context, at: time, in: tx)
        }
    }

    func recordNoAnswer(with lease: Lease, key: IdempotencyKey?, context: ActionContext,
                        at time: Instant) throws(RecoveryStoreError) -> FailureDecision {
        try resolveFailure(lease: lease, key: key, context: context, at: time) { (tx) throws(RecoveryStoreError) in
            try recordNoAnswer(with: lease, key: key, context: context, at: time, in: tx)
        }
    }

    func recordReconciliation(_ answer: ReconcileAnswer, key: IdempotencyKey, context: ActionContext,
                              at time: Instant) throws(RecoveryStoreError) {
        try decide { (tx) throws(RecoveryStoreError) in
            try recordReconciliation(answer, key: key, context: context, at: time, in: tx)
        }
    }

    func recordSuccess(with lease: Lease, key: IdempotencyKey?, context: ActionContext, at time: Instant) throws(RecoveryStoreError) {
        try decide { (tx) throws(RecoveryStoreError) in try recordSuccess(with: lease, key: key, context: context, at: time, in: tx) }
    }
}

/// A suite over a fresh `EngineHarness`: the harness's parts under short names.
protocol EngineSuite {
    var harness: EngineHarness { get }
}

extension EngineSuite {
    var engine: RecoveryEngine { harness.engine }
    var timeline: TimelineRecorder { harness.timeline }
    var broker: RecordingBroker { harness.broker }
    var connection: ConnectionID { harness.connection }
}

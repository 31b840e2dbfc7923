import Testing
@testable import Revive
import ReviveVocabulary

/// The recovery engine through its step-by-step API, over fake ids, broker and timeline.
@Suite("RecoveryEngine: classify, join, park, ask, verify, rotate, reconcile")
struct RecoveryEngineTests: EngineSuite {
    let harness: EngineHarness

    init() throws { harness = try EngineHarness() }

    // MARK: Leases

    @Test("A connection's first lease is on generation 1")
    func firstLeaseIsGenerationOne() throws {
        let lease = try engine.issueLease(connection: connection, context: harness.context(), at: clock(1))
        #expect(lease.generation == .first)
        #expect(lease.generation.value == 1)
        #expect(try engine.currentGeneration(of: connection) == .first)
    }

    @Test("Issuing a lease records lease.issued with its generation and holder")
    func leaseIssuedIsRecorded() throws {
        let lease = try engine.issueLease(connection: connection, context: harness.context(worker: "worker-b"), at: clock(1))
        let issued = try #require(timeline.named("lease.issued").first)
        #expect(issued.generation == 1)
        #expect(issued.lease == lease.id.rawValue)
        #expect(issued.worker == "worker-b")
        #expect(lease.holder == WorkerID("worker-b"))
    }

    @Test("A current lease is allowed to call")
    func currentLeaseIsAllowed() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        #expect(try engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1)) == .allowed)
    }

    // MARK: A dead grant opens one case

    @Test("A dead-grant failure opens one case joining connection, identity, run, checkpoint, action, key, signal and generation")
    func deadGrantOpensJoinedCase() throws {
        let parked = try harness.parkOnDeadGrant(context: harness.context(run: "run-7", action: "post-summary",
                                                                          worker: "worker-a", checkpoint: "cp-3"))
        let recoveryCase = parked.recoveryCase
        #expect(recoveryCase.connection == connection)
        #expect(recoveryCase.pinnedIdentity == EngineHarness.pinned)
        #expect(recoveryCase.run == RunID("run-7"))
        #expect(recoveryCase.checkpoint == "cp-3")
        #expect(recoveryCase.action == ActionKey("post-summary"))
        #expect(recoveryCase.idempotencyKey == parked.key)
        #expect(recoveryCase.signal == EngineHarness.tokenRevoked)
        #expect(recoveryCase.rejectedGeneration == .first)
        #expect(recoveryCase.classification.failureClass == .deadGrant)
        #expect(recoveryCase.openedBy == WorkerID("worker-a"))
        #expect(recoveryCase.state == .awaitingReconnect)
        #expect(timeline.named("case.opened").count == 1)
    }

    @Test("The opened case is durable: it can be read back by id")
    func caseIsStored() throws {
        let parked = try harness.parkOnDeadGrant()
        #expect(try engine.recoveryCase(parked.recoveryCase.id) == parked.recoveryCase)
    }

    @Test("A refused call's action is intended again when the case opens (nothing happened remotely)")
    func caseRecordsLedgerState() throws {
        let parked = try harness.parkOnDeadGrant()
        #expect(parked.recoveryCase.ledgerState == .intended)
        #expect(try engine.ledgerEntry(parked.key)?.state == .intended)
    }

    @Test("A dead grant records failure.classified, case.opened, run.parked, reconnect.requested in that order")
    func deadGrantTransitionOrder() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(2))
        let mark = timeline.transitions.count
        _ = try engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: lease, key: nil, context: context, at: clock(2))
        #expect(timeline.names(since: mark) == ["failure.classified", "case.opened", "run.parked", "reconnect.requested"])
    }

    @Test("The case.opened transition names the pinned subject, tenant, checkpoint and rejected generation")
    func caseOpenedTransitionFacts() throws {
        let parked = try harness.parkOnDeadGrant()
        let opened = try #require(timeline.named("case.opened").first)
        #expect(opened.caseID == parked.recoveryCase.id.rawValue)
        #expect(opened.subject == "U0ADA")
        #expect(opened.tenant == "T0ACME")
        #expect(opened.checkpoint == "cp-3")
        #expect(opened.generation == 1)
        #expect(opened.key == parked.key.rawValue)
        #expect(opened.failureClass?.rawValue == "dead_grant")
    }

    @Test("The reconnect request goes to the owner and carries a capability for this case and connection")
    func requestGoesToOwner() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let request = parked.request
        #expect(request.recipient == "ada@acme.example")
        #expect(request.responder == .owner)
        #expect(request.caseID == parked.recoveryCase.id)
        #expect(request.connection == connection)
        #expect(request.reminder == 0)
        #expect(request.expiresAt == clock(3))
        #expect(!request.capabilityValue.isEmpty)
    }

    @Test("The capability value never appears in any recorded transition or in the case record")
    func capabilityValueIsNeverRecorded() throws {
        let parked = try harness.parkOnDeadGrant()
        let secret = parked.request.capabilityValue
        #expect(timeline.transitions.allSatisfy { transition in !transition.allValues.contains { $0.contains(secret) } })
        #expect(!String(describing: parked.recoveryCase).contains(secret))
        #expect(timeline.named("reconnect.requested").first?.capability == parked.request.capabilityID.rawValue)
    }

    @Test("The store keeps only the capability's SHA-256 digest")
    func storeKeepsDigestOnly() throws {
        let parked = try harness.parkOnDeadGrant()
        let record = try #require(try harness.store.capability(parked.request.capabilityID))
        #expect(record.digest == SHA256.hexDigest(parked.request.capabilityValue))
        #expect(!String(describing: record).contains(parked.request.capabilityValue))
    }

    @Test("A dead grant fences any later lease on the same generation (no dead retry)")
    func deadGenerationIsFenced() throws {
        _ = try harness.parkOnDeadGrant()
        let context = harness.context(worker: "worker-b")
        let retry = try engine.issueLease(connection: connection, context: context, at: clock(2, 5))
        #expect(try engine.authorizeCall(with: retry, key: nil, context: context, at: clock(2, 5)) == .fenced(reason: .deadGrant))
    }

    @Test("A second failure on the same connection while the case awaits a reconnect joins that case")
    func secondFailureJoinsOpenCase() throws {
        let first = try harness.parkOnDeadGrant()
        let context = harness.context(action: "post-summary")
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(2, 1))
        let decision = try engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: lease, key: nil,
                                            context: context, at: clock(2, 1))
        let (joined, _) = try #require(decision.parked)
        #expect(joined.id == first.recoveryCase.id)
        #expect(timeline.named("case.opened").count == 1)
    }

    @Test("A configuration error is sent to the operator, not the owner")
    func configErrorGoesToOperator() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(2))
        let signal = ProviderSignal(status: 401, body: .object([("error", .string("invalid_client"))]))
        let decision = try engine.handleFailure(signal, operation: .refresh, lease: lease, key: nil, context: context, at: clock(2))
        let (_, request) = try #require(decision.parked)
        #expect(request.responder == .operator)
        #expect(request.recipient == "operator")
    }

    // MARK: Verified reconnects

    @Test("A matching reconnect is verified and rotates the connection to generation 2")
    func matchingReconnectRotates() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let two = try #require(LeaseGeneration(recorded: 2))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3", generation: two))
        #expect(try engine.currentGeneration(of: connection) == two)
    }

    @Test("A verified reconnect installs the grant once on the new generation and discards nothing")
    func verifiedReconnectInstallsGrant() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(broker.installs.map(\.grant) == [harness.grant()])
        #expect(broker.installs.map(\.generation.value) == [2])
        #expect(broker.discards.isEmpty)
    }

    @Test("A verified reconnect consumes the capability and moves the case to awaiting-resume")
    func verifiedReconnectConsumesCapability() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(try harness.store.capability(parked.request.capabilityID)?.consumedAt == clock(2, 20))
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingResume)
    }

    @Test("A verified reconnect records reconnect.verified then lease.rotated from 1 to 2")
    func verifiedReconnectTransitions() throws {
        let parked = try harness.parkOnDeadGrant()
        let mark = timeline.transitions.count
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(timeline.names(since: mark) == ["reconnect.verified", "lease.rotated"])
        let rotated = try #require(timeline.named("lease.rotated").first)
        #expect(rotated.generation == 2)
        #expect(rotated.notes.contains(Transition.Note("from", "1")))
    }

    @Test("After rotation the old lease is fenced as stale-generation")
    func oldLeaseIsFencedAfterRotation() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let context = harness.context()
        #expect(try engine.authorizeCall(with: parked.lease, key: nil, context: context, at: clock(2, 21)) == .fenced(reason: .staleGeneration))
        let fenced = try #require(timeline.named("lease.fenced").last)
        #expect(fenced.reason == "stale-generation")
        #expect(fenced.lease == parked.lease.id.rawValue)
    }

    @Test("After rotation a new lease is on generation 2 and allowed")
    func newLeaseAfterRotationIsAllowed() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let context = harness.context(worker: "worker-b")
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(2, 21))
        #expect(lease.generation.value == 2)
        #expect(try engine.authorizeCall(with: lease, key: parked.key, context: context, at: clock(2, 21)) == .allowed)
    }

    @Test("The whole reconnect flow never records the capability value")
    func fullFlowNeverRecordsSecret() throws {
        let parked = try harness.parkOnDeadGrant()
        let secret = parked.request.capabilityValue
        _ = try engine.presentReconnect(capabilityValue: secret, grant: harness.grant(), at: clock(2, 20))
        _ = try engine.presentReconnect(capabilityValue: secret, grant: harness.grant(id: "grant-2"), at: clock(2, 25))
        try engine.closeCase(parked.recoveryCase.id, resumedOn: WorkerID("worker-b"), at: clock(2, 30))
        #expect(timeline.transitions.allSatisfy { transition in !transition.allValues.contains { $0.contains(secret) } })
    }

    @Test("closeCase closes a resumed case from whichever worker resumed the run")
    func closeCaseFromAnotherWorker() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        try engine.closeCase(parked.recoveryCase.id, resumedOn: WorkerID("worker-b"), at: clock(2, 30))
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .closed)
        let closed = try #require(timeline.named("case.closed").first)
        #expect(closed.worker == "worker-b")
        #expect(closed.notes.contains(Transition.Note("opened-by", "worker-a")))
    }

    // MARK: Identity mismatches

    enum Mismatch: String, CaseIterable, Sendable {
        case sameTenantOtherSubject = "same tenant, other subject"
        case otherTenant = "other tenant"

        var identity: ProviderIdentity {
            switch self {
            case .sameTenantOtherSubject: return ProviderIdentity(subject: "U0EVE", tenant: "T0ACME")
            case .otherTenant: return ProviderIdentity(subject: "U0MAL", tenant: "T0OTHER")
            }
        }

        var reason: String { self == .sameTenantOtherSubject ? "subject-mismatch" : "tenant-mismatch" }
    }

    @Test("A reconnect as someone else is rejected as an identity mismatch", arguments: Mismatch.allCases)
    func mismatchIsRejected(_ mismatch: Mismatch) throws {
        let parked = try harness.parkOnDeadGrant()
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue,
                                              grant: harness.grant(mismatch.identity), at: clock(2, 20))
        #expect(outcome == .rejected(caseID: parked.recoveryCase.id))
        let rejected = try #require(timeline.named("reconnect.rejected").first)
        #expect(rejected.failureClass?.rawValue == "identity_mismatch")
        #expect(rejected.reason == mismatch.reason)
    }

    @Test("A mismatched reconnect's grant is discarded and nothing is installed", arguments: Mismatch.allCases)
    func mismatchDiscardsGrant(_ mismatch: Mismatch) throws {
        let parked = try harness.parkOnDeadGrant()
        let wrong = harness.grant(mismatch.identity, id: "grant-wrong")
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: wrong, at: clock(2, 20))
        #expect(broker.discards == [wrong])
        #expect(broker.installs.isEmpty)
    }

    @Test("A mismatched reconnect leaves the generation and the parked case unchanged", arguments: Mismatch.allCases)
    func mismatchKeepsGeneration(_ mismatch: Mismatch) throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(mismatch.identity), at: clock(2, 20))
        #expect(try engine.currentGeneration(of: connection) == .first)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.refusals == 1)
        #expect(timeline.named("lease.rotated").isEmpty)
    }

    @Test("A mismatched reconnect leaves the capability unconsumed and usable by the right owner", arguments: Mismatch.allCases)
    func mismatchKeepsCapabilityUsable(_ mismatch: Mismatch) throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(mismatch.identity), at: clock(2, 20))
        #expect(try harness.store.capability(parked.request.capabilityID)?.consumedAt == nil)
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(id: "grant-2"), at: clock(2, 30))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    // MARK: Refused capabilities

    @Test("A second use of a consumed capability is refused as already-used")
    func secondUseIsRefused() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let again = harness.grant(id: "grant-2")
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: again, at: clock(2, 25))
        #expect(outcome == .refused(reason: "already-used"))
        #expect(try engine.currentGeneration(of: connection).value == 2)
        #expect(broker.discards == [again])
        #expect(broker.installs.count == 1)
    }

    @Test("A capability presented at its expiry instant is refused as expired")
    func expiredCapabilityIsRefused() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(3))
        #expect(outcome == .refused(reason: "expired"))
        #expect(try engine.currentGeneration(of: connection) == .first)
        #expect(broker.discards == [harness.grant()])
        #expect(timeline.named("capability.refused").first?.reason == "expired")
    }

    @Test("A capability is still valid one minute before it expires")
    func capabilityValidJustBeforeExpiry() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 59))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("A capability of another connection is refused as foreign")
    func foreignCapabilityIsRefused() throws {
        let parked = try harness.parkOnDeadGrant()
        let otherGrant = harness.grant(ProviderIdentity(subject: "583231", tenant: "acme-org"), for: EngineHarness.github.id)
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: otherGrant, at: clock(2, 20))
        #expect(outcome == .refused(reason: "foreign"))
        #expect(try engine.currentGeneration(of: EngineHarness.github.id) == .first)
        #expect(broker.discards == [otherGrant])
        #expect(try harness.store.capability(parked.request.capabilityID)?.consumedAt == nil)
    }

    @Test("An unknown capability value is refused")
    func unknownCapabilityIsRefused() throws {
        _ = try harness.parkOnDeadGrant()
        #expect(try engine.presentReconnect(capabilityValue: "rvcap_forged", grant: harness.grant(), at: clock(2, 20)) == .refused(reason: "unknown"))
    }

    @Test("A reconnect without a capability is refused")
    func missingCapabilityIsRefused() throws {
        _ = try harness.parkOnDeadGrant()
        #expect(try engine.presentReconnect(capabilityValue: nil, grant: harness.grant(), at: clock(2, 20)) == .refused(reason: "no-request"))
    }
}

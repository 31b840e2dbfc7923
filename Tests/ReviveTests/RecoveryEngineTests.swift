import Testing
@testable import Revive
import ReviveVocabulary

/// The recovery engine through its step-by-step API, over fake ids, broker and timeline.
@Suite("RecoveryEngine: classify, join, park, ask, verify, rotate, reconcile")
struct RecoveryEngineTests {
    let harness: EngineHarness
    var engine: RecoveryEngine { harness.engine }
    var timeline: TimelineRecorder { harness.timeline }
    var broker: RecordingBroker { harness.broker }
    var connection: ConnectionID { harness.connection }

    init() { harness = EngineHarness() }

    // MARK: Leases

    @Test("A connection's first lease is on generation 1")
    func firstLeaseIsGenerationOne() {
        let lease = engine.issueLease(connection: connection, context: harness.context(), at: clock(1))
        #expect(lease.generation == .first)
        #expect(lease.generation.value == 1)
        #expect(engine.currentGeneration(of: connection) == .first)
    }

    @Test("Issuing a lease records lease.issued with its generation and holder")
    func leaseIssuedIsRecorded() throws {
        let lease = engine.issueLease(connection: connection, context: harness.context(worker: "worker-b"), at: clock(1))
        let issued = try #require(timeline.named("lease.issued").first)
        #expect(issued.generation == 1)
        #expect(issued.lease == lease.id.rawValue)
        #expect(issued.worker == "worker-b")
        #expect(lease.holder == WorkerID("worker-b"))
    }

    @Test("A current lease is allowed to call")
    func currentLeaseIsAllowed() {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        #expect(engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1)) == .allowed)
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
        #expect(engine.recoveryCase(parked.recoveryCase.id) == parked.recoveryCase)
    }

    @Test("A refused call's action is intended again when the case opens (nothing happened remotely)")
    func caseRecordsLedgerState() throws {
        let parked = try harness.parkOnDeadGrant()
        #expect(parked.recoveryCase.ledgerState == .intended)
        #expect(engine.ledgerEntry(parked.key)?.state == .intended)
    }

    @Test("A dead grant records failure.classified, case.opened, run.parked, reconnect.requested in that order")
    func deadGrantTransitionOrder() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(2))
        let mark = timeline.transitions.count
        _ = engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: lease, key: nil, context: context, at: clock(2))
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
        let record = try #require(harness.store.capability(parked.request.capabilityID))
        #expect(record.digest == SHA256.hexDigest(parked.request.capabilityValue))
        #expect(!String(describing: record).contains(parked.request.capabilityValue))
    }

    @Test("A dead grant fences any later lease on the same generation (no dead retry)")
    func deadGenerationIsFenced() throws {
        _ = try harness.parkOnDeadGrant()
        let context = harness.context(worker: "worker-b")
        let retry = engine.issueLease(connection: connection, context: context, at: clock(2, 5))
        #expect(engine.authorizeCall(with: retry, key: nil, context: context, at: clock(2, 5)) == .fenced(reason: .deadGrant))
    }

    @Test("A second failure on the same connection while the case awaits a reconnect joins that case")
    func secondFailureJoinsOpenCase() throws {
        let first = try harness.parkOnDeadGrant()
        let context = harness.context(action: "post-summary")
        let lease = engine.issueLease(connection: connection, context: context, at: clock(2, 1))
        let decision = engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: lease, key: nil,
                                            context: context, at: clock(2, 1))
        let (joined, _) = try #require(decision.parked)
        #expect(joined.id == first.recoveryCase.id)
        #expect(timeline.named("case.opened").count == 1)
    }

    @Test("A configuration error is sent to the operator, not the owner")
    func configErrorGoesToOperator() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(2))
        let signal = ProviderSignal(status: 401, body: .object([("error", .string("invalid_client"))]))
        let decision = engine.handleFailure(signal, operation: .refresh, lease: lease, key: nil, context: context, at: clock(2))
        let (_, request) = try #require(decision.parked)
        #expect(request.responder == .operator)
        #expect(request.recipient == "operator")
    }

    // MARK: Verified reconnects

    @Test("A matching reconnect is verified and rotates the connection to generation 2")
    func matchingReconnectRotates() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let outcome = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let two = try #require(LeaseGeneration(recorded: 2))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3", generation: two))
        #expect(engine.currentGeneration(of: connection) == two)
    }

    @Test("A verified reconnect installs the grant once on the new generation and discards nothing")
    func verifiedReconnectInstallsGrant() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(broker.installs.map(\.grant) == [harness.grant()])
        #expect(broker.installs.map(\.generation.value) == [2])
        #expect(broker.discards.isEmpty)
    }

    @Test("A verified reconnect consumes the capability and moves the case to awaiting-resume")
    func verifiedReconnectConsumesCapability() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(harness.store.capability(parked.request.capabilityID)?.consumedAt == clock(2, 20))
        #expect(engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingResume)
    }

    @Test("A verified reconnect records reconnect.verified then lease.rotated from 1 to 2")
    func verifiedReconnectTransitions() throws {
        let parked = try harness.parkOnDeadGrant()
        let mark = timeline.transitions.count
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(timeline.names(since: mark) == ["reconnect.verified", "lease.rotated"])
        let rotated = try #require(timeline.named("lease.rotated").first)
        #expect(rotated.generation == 2)
        #expect(rotated.notes.contains(Transition.Note("from", "1")))
    }

    @Test("After rotation the old lease is fenced as stale-generation")
    func oldLeaseIsFencedAfterRotation() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let context = harness.context()
        #expect(engine.authorizeCall(with: parked.lease, key: nil, context: context, at: clock(2, 21)) == .fenced(reason: .staleGeneration))
        let fenced = try #require(timeline.named("lease.fenced").last)
        #expect(fenced.reason == "stale-generation")
        #expect(fenced.lease == parked.lease.id.rawValue)
    }

    @Test("After rotation a new lease is on generation 2 and allowed")
    func newLeaseAfterRotationIsAllowed() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let context = harness.context(worker: "worker-b")
        let lease = engine.issueLease(connection: connection, context: context, at: clock(2, 21))
        #expect(lease.generation.value == 2)
        #expect(engine.authorizeCall(with: lease, key: parked.key, context: context, at: clock(2, 21)) == .allowed)
    }

    @Test("The whole reconnect flow never records the capability value")
    func fullFlowNeverRecordsSecret() throws {
        let parked = try harness.parkOnDeadGrant()
        let secret = parked.request.capabilityValue
        _ = engine.presentReconnect(capabilityValue: secret, grant: harness.grant(), at: clock(2, 20))
        _ = engine.presentReconnect(capabilityValue: secret, grant: harness.grant(id: "grant-2"), at: clock(2, 25))
        engine.closeCase(parked.recoveryCase.id, resumedOn: WorkerID("worker-b"), at: clock(2, 30))
        #expect(timeline.transitions.allSatisfy { transition in !transition.allValues.contains { $0.contains(secret) } })
    }

    @Test("closeCase closes a resumed case from whichever worker resumed the run")
    func closeCaseFromAnotherWorker() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        engine.closeCase(parked.recoveryCase.id, resumedOn: WorkerID("worker-b"), at: clock(2, 30))
        #expect(engine.recoveryCase(parked.recoveryCase.id)?.state == .closed)
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
        let outcome = engine.presentReconnect(capabilityValue: parked.request.capabilityValue,
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
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: wrong, at: clock(2, 20))
        #expect(broker.discards == [wrong])
        #expect(broker.installs.isEmpty)
    }

    @Test("A mismatched reconnect leaves the generation and the parked case unchanged", arguments: Mismatch.allCases)
    func mismatchKeepsGeneration(_ mismatch: Mismatch) throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(mismatch.identity), at: clock(2, 20))
        #expect(engine.currentGeneration(of: connection) == .first)
        #expect(engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
        #expect(engine.recoveryCase(parked.recoveryCase.id)?.refusals == 1)
        #expect(timeline.named("lease.rotated").isEmpty)
    }

    @Test("A mismatched reconnect leaves the capability unconsumed and usable by the right owner", arguments: Mismatch.allCases)
    func mismatchKeepsCapabilityUsable(_ mismatch: Mismatch) throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(mismatch.identity), at: clock(2, 20))
        #expect(harness.store.capability(parked.request.capabilityID)?.consumedAt == nil)
        let outcome = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(id: "grant-2"), at: clock(2, 30))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    // MARK: Refused capabilities

    @Test("A second use of a consumed capability is refused as already-used")
    func secondUseIsRefused() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let again = harness.grant(id: "grant-2")
        let outcome = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: again, at: clock(2, 25))
        #expect(outcome == .refused(reason: "already-used"))
        #expect(engine.currentGeneration(of: connection).value == 2)
        #expect(broker.discards == [again])
        #expect(broker.installs.count == 1)
    }

    @Test("A capability presented at its expiry instant is refused as expired")
    func expiredCapabilityIsRefused() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let outcome = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(3))
        #expect(outcome == .refused(reason: "expired"))
        #expect(engine.currentGeneration(of: connection) == .first)
        #expect(broker.discards == [harness.grant()])
        #expect(timeline.named("capability.refused").first?.reason == "expired")
    }

    @Test("A capability is still valid one minute before it expires")
    func capabilityValidJustBeforeExpiry() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let outcome = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 59))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("A capability of another connection is refused as foreign")
    func foreignCapabilityIsRefused() throws {
        let parked = try harness.parkOnDeadGrant()
        let otherGrant = harness.grant(ProviderIdentity(subject: "583231", tenant: "acme-org"), for: EngineHarness.github.id)
        let outcome = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: otherGrant, at: clock(2, 20))
        #expect(outcome == .refused(reason: "foreign"))
        #expect(engine.currentGeneration(of: EngineHarness.github.id) == .first)
        #expect(broker.discards == [otherGrant])
        #expect(harness.store.capability(parked.request.capabilityID)?.consumedAt == nil)
    }

    @Test("An unknown capability value is refused")
    func unknownCapabilityIsRefused() throws {
        _ = try harness.parkOnDeadGrant()
        #expect(engine.presentReconnect(capabilityValue: "rvcap_forged", grant: harness.grant(), at: clock(2, 20)) == .refused(reason: "unknown"))
    }

    @Test("A reconnect without a capability is refused")
    func missingCapabilityIsRefused() throws {
        _ = try harness.parkOnDeadGrant()
        #expect(engine.presentReconnect(capabilityValue: nil, grant: harness.grant(), at: clock(2, 20)) == .refused(reason: "no-request"))
    }

    // MARK: Expiry, reminders and escalation

    @Test("An expired capability's case gets a fresh request as reminder 1 with a new capability")
    func expiryIssuesReminder() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let mark = timeline.transitions.count
        let reminder = try #require(engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
        #expect(reminder.reminder == 1)
        #expect(reminder.caseID == parked.recoveryCase.id)
        #expect(reminder.capabilityID != parked.request.capabilityID)
        #expect(reminder.capabilityValue != parked.request.capabilityValue)
        #expect(reminder.expiresAt == clock(4))
        #expect(timeline.names(since: mark) == ["capability.expired", "reconnect.requested"])
        #expect(timeline.named("reconnect.requested").last?.notes.contains(Transition.Note("reminder", "1")) == true)
    }

    @Test("A reminder's capability completes the reconnect")
    func reminderCapabilityWorks() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let reminder = try #require(engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
        let outcome = engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(), at: clock(3, 30))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("Fails at 02:00, owner clicks the first link at 09:00: refused as expired, and the reminder's link works")
    func failsAtTwoReconnectsAtNine() throws {
        // Default configuration: 1h capabilities. The first link expired at 03:00.
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        #expect(engine.configuration.capabilityLifetime == .hours(1))
        let late = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(9))
        #expect(late == .refused(reason: "expired"))
        #expect(engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)

        let reminder = try #require(engine.capabilityExpired(parked.request.capabilityID, at: clock(9)))
        #expect(reminder.reminder == 1)
        let outcome = engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(id: "grant-2"), at: clock(9, 5))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("Fails at 02:00 with hourly expiry: at 09:00 the newest reminder's link works and older ones are expired")
    func hourlyRemindersUntilNine() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        var requests = [parked.request]
        for hour in Int64(3)...9 {
            requests.append(try #require(engine.capabilityExpired(requests.last!.capabilityID, at: clock(hour))))
        }
        #expect(requests.map(\.reminder) == Array(0...7))
        let stale = engine.presentReconnect(capabilityValue: requests[3].capabilityValue, grant: harness.grant(), at: clock(9, 10))
        #expect(stale == .refused(reason: "expired"))
        let outcome = engine.presentReconnect(capabilityValue: requests[7].capabilityValue, grant: harness.grant(id: "grant-2"), at: clock(9, 10))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("After maxReminders unanswered requests the case is escalated to the operator")
    func remindersExhaustedEscalates() throws {
        let small = EngineHarness(configuration: RecoveryConfiguration(maxReminders: 2))
        let parked = try small.parkOnDeadGrant(at: clock(2))
        let first = try #require(small.engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
        let second = try #require(small.engine.capabilityExpired(first.capabilityID, at: clock(4)))
        #expect(second.reminder == 2)
        #expect(small.engine.capabilityExpired(second.capabilityID, at: clock(5)) == nil)
        #expect(small.engine.recoveryCase(parked.recoveryCase.id)?.state == .escalated)
        let escalated = try #require(small.timeline.named("case.escalated").first)
        #expect(escalated.reason == "reminders-exhausted")
        #expect(escalated.notes.contains(Transition.Note("to", "operator")))
    }

    @Test("With the defaults an owner holds a valid link for 25 hours before escalation")
    func defaultsGiveTwentyFiveHours() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        var current = parked.request
        for hour in Int64(3)...26 {
            current = try #require(engine.capabilityExpired(current.capabilityID, at: clock(hour)))
        }
        #expect(current.reminder == 24)
        #expect(engine.capabilityExpired(current.capabilityID, at: clock(27)) == nil)
        #expect(engine.recoveryCase(parked.recoveryCase.id)?.state == .escalated)
    }

    @Test("An expiry timer that fires early does nothing")
    func earlyExpiryTimerIsIgnored() throws {
        let small = EngineHarness(configuration: RecoveryConfiguration(capabilityLifetime: .hours(1), maxReminders: 0))
        let parked = try small.parkOnDeadGrant(at: clock(2))
        #expect(small.engine.capabilityExpired(parked.request.capabilityID, at: clock(2, 30)) == nil)
        #expect(small.engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
        #expect(small.timeline.named("capability.expired").isEmpty)
    }

    @Test("An escalated case refuses its last capability and stays escalated")
    func escalatedCaseRefusesReconnect() throws {
        let small = EngineHarness(configuration: RecoveryConfiguration(capabilityLifetime: .hours(1), maxReminders: 0))
        let parked = try small.parkOnDeadGrant(at: clock(2))
        #expect(small.engine.capabilityExpired(parked.request.capabilityID, at: clock(3)) == nil)
        let outcome = small.engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: small.grant(), at: clock(3, 10))
        #expect(outcome == .refused(reason: "expired"))
        #expect(small.engine.recoveryCase(parked.recoveryCase.id)?.state == .escalated)
    }

    @Test("A repeated expiry timer sends one reminder, not two")
    func repeatedExpiryTimerIsIdempotent() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let first = try #require(engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
        #expect(engine.capabilityExpired(parked.request.capabilityID, at: clock(3)) == nil)
        #expect(first.reminder == 1)
        #expect(harness.timeline.named("reconnect.requested").count == 2)
    }

    @Test("Expiry of a consumed capability issues nothing")
    func expiryAfterConsumptionIsQuiet() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(engine.capabilityExpired(parked.request.capabilityID, at: clock(3)) == nil)
        #expect(timeline.named("capability.expired").isEmpty)
    }

    // MARK: Lost workers

    @Test("workerLost fences the lost worker's leases as holder-lost")
    func lostWorkerIsFenced() throws {
        let context = harness.context(worker: "worker-a")
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        engine.workerLost(WorkerID("worker-a"), at: .zero)
        #expect(engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1, 5)) == .fenced(reason: .holderLost))
        #expect(timeline.named("lease.fenced").first?.reason == "holder-lost")
    }

    @Test("workerLost leaves other workers' leases alone")
    func otherWorkersAreNotFenced() {
        let other = harness.context(worker: "worker-b")
        let lease = engine.issueLease(connection: connection, context: other, at: clock(1))
        engine.workerLost(WorkerID("worker-a"), at: .zero)
        #expect(engine.authorizeCall(with: lease, key: nil, context: other, at: clock(1, 5)) == .allowed)
    }

    // MARK: The action ledger

    @Test("prepareAction records a new mutating action as intended and says execute")
    func prepareRecordsIntended() throws {
        let context = harness.context(run: "run-9", action: "send-invoice")
        let preparation = engine.prepareAction(connection: connection, context: context, at: clock(1))
        let key = IdempotencyKey(run: RunID("run-9"), action: ActionKey("send-invoice"))
        #expect(preparation == .execute(key))
        #expect(engine.ledgerEntry(key)?.state == .intended)
        #expect(timeline.named("action.intended").first?.key == key.rawValue)
    }

    @Test("An authorized call moves the action to executing")
    func authorizeMovesToExecuting() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        #expect(engine.ledgerEntry(key)?.state == .executing)
        #expect(engine.ledgerEntry(key)?.executingWorker == WorkerID("worker-a"))
    }

    @Test("A lost answer leaves the action unknown and is retried later without a case")
    func lostAnswerIsUnknown() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        let decision = engine.recordNoAnswer(with: lease, key: key, context: context, at: clock(1, 1))
        #expect(engine.ledgerEntry(key)?.state == .unknown)
        #expect(decision.retryLaterClassification?.failureClass == .transient)
        #expect(timeline.named("action.unknown").first?.reason == "no-answer")
        #expect(timeline.named("case.opened").isEmpty)
    }

    @Test("An unknown action must be reconciled before it executes again")
    func unknownMustReconcile() throws {
        let (key, _) = try lostAnswer()
        #expect(engine.prepareAction(connection: connection, context: harness.context(attempt: 2), at: clock(1, 2)) == .reconcile(key))
    }

    @Test("Reconciliation that finds the effect makes the action already committed: skip it")
    func reconciledCommittedIsSkipped() throws {
        let (key, _) = try lostAnswer()
        let context = harness.context(attempt: 2)
        _ = engine.prepareAction(connection: connection, context: context, at: clock(1, 2))
        engine.recordReconciliation(.committed, key: key, context: context, at: clock(1, 2))
        #expect(engine.ledgerEntry(key)?.state == .reconciledCommitted)
        #expect(engine.prepareAction(connection: connection, context: context, at: clock(1, 3)) == .alreadyCommitted(key))
        #expect(timeline.named("action.reconciled").first?.result == "committed")
    }

    @Test("Reconciliation that finds nothing lets the action execute again with the same idempotency key")
    func reconciledAbsentExecutesWithSameKey() throws {
        let (key, _) = try lostAnswer()
        let context = harness.context(worker: "worker-b", attempt: 2)
        _ = engine.prepareAction(connection: connection, context: context, at: clock(1, 2))
        engine.recordReconciliation(.absent, key: key, context: context, at: clock(1, 2))
        #expect(engine.prepareAction(connection: connection, context: context, at: clock(1, 3)) == .execute(key))
        #expect(engine.ledgerEntry(key)?.state == .reconciledAbsent)
    }

    @Test("An action left executing by a lost worker is unknown to the next worker")
    func executingWithoutOutcomeBecomesUnknown() throws {
        let context = harness.context(worker: "worker-a")
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        engine.workerLost(WorkerID("worker-a"), at: .zero)
        let next = harness.context(worker: "worker-b", attempt: 2)
        #expect(engine.prepareAction(connection: connection, context: next, at: clock(1, 5)) == .reconcile(key))
        let unknown = try #require(timeline.named("action.unknown").first)
        #expect(unknown.reason == "no-outcome-recorded")
        #expect(unknown.notes.contains(Transition.Note("sent-by", "worker-a")))
    }

    @Test("A successful answer commits the action and a later prepare skips it")
    func successCommits() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        engine.recordSuccess(with: lease, key: key, context: context, at: clock(1))
        #expect(engine.ledgerEntry(key)?.state == .committed)
        #expect(engine.prepareAction(connection: connection, context: context, at: clock(1, 1)) == .alreadyCommitted(key))
    }

    /// An action sent at 01:00 whose answer was lost.
    private func lostAnswer() throws -> (IdempotencyKey, Lease) {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        _ = engine.recordNoAnswer(with: lease, key: key, context: context, at: clock(1, 1))
        return (key, lease)
    }

    // MARK: Refreshable, transient, rate-limited and stale failures

    @Test("A refreshable failure refreshes once, rotates the generation and retries now with a fresh lease")
    func refreshableRefreshesAndRetries() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let decision = engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        guard case .retryNow(let fresh) = decision else {
            Issue.record("expected retryNow, got \(decision)")
            return
        }
        #expect(fresh.generation == LeaseGeneration.first.next())
        #expect(fresh.id != lease.id)
        #expect(engine.currentGeneration(of: connection) == LeaseGeneration.first.next())
        #expect(engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1)) == .fenced(reason: .staleGeneration))
        #expect(timeline.named("lease.rotated").first?.reason == "refresh")
        #expect(broker.refreshes.count == 1)
        #expect(broker.refreshes.first?.connection == connection)
        #expect(broker.refreshes.first?.generation == .first)
        #expect(timeline.named("token.refreshed").count == 1)
        #expect(timeline.named("case.opened").isEmpty)
    }

    @Test("A second refreshable failure in the same attempt is not refreshed again")
    func secondRefreshableIsNotRefreshed() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let first = engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        guard case .retryNow(let fresh) = first else {
            Issue.record("expected retryNow, got \(first)")
            return
        }
        let decision = engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: fresh, key: nil, context: context, at: clock(1))
        #expect(decision.retryLaterClassification?.failureClass == .refreshable)
        #expect(broker.refreshes.count == 1)
    }

    @Test("A failed refresh is classified from the refresh error, not the original call's")
    func failedRefreshIsClassified() throws {
        broker.scriptedRefreshFailures = [EngineHarness.invalidGrant]
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let decision = engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        let (recoveryCase, _) = try #require(decision.parked)
        #expect(recoveryCase.classification.failureClass == .deadGrant)
        #expect(recoveryCase.signal == EngineHarness.invalidGrant)
        let classified = timeline.named("failure.classified")
        #expect(classified.map(\.failureClass) == [.refreshable, .deadGrant])
        #expect(classified.last?.notes.contains(Transition.Note("op", "refresh")) == true)
        #expect(timeline.named("token.refreshed").isEmpty)
    }

    @Test("A transient failure is retried later, opens no case and leaves the action intended")
    func transientRetriesLater() throws {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        let decision = engine.handleFailure(EngineHarness.unavailable, operation: .call, lease: lease, key: key, context: context, at: clock(1))
        #expect(decision.retryLaterClassification?.failureClass == .transient)
        #expect(timeline.named("case.opened").isEmpty)
        #expect(timeline.named("reconnect.requested").isEmpty)
        #expect(engine.ledgerEntry(key)?.state == .intended)
        #expect(engine.authorizeCall(with: lease, key: key, context: context, at: clock(1, 1)) == .allowed)
    }

    @Test("A rate-limited failure is retried later with the provider's wait and keeps the lease usable")
    func rateLimitedRetriesLater() {
        let context = harness.context()
        let lease = engine.issueLease(connection: connection, context: context, at: clock(1))
        let signal = ProviderSignal(status: 429, headers: ["Retry-After": "30"])
        let decision = engine.handleFailure(signal, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        #expect(decision.retryLaterClassification?.failureClass == .rateLimited)
        #expect(decision.retryLaterClassification?.retryAfter == .seconds(30))
        #expect(engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1, 1)) == .allowed)
    }

    @Test("A refresh race with an older lease reloads a lease on the new generation and pages nobody")
    func staleRefreshReloadsLease() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let mark = timeline.transitions.count
        let context = harness.context(worker: "worker-c")
        let decision = engine.handleFailure(EngineHarness.invalidGrant, operation: .refresh, lease: parked.lease, key: nil,
                                            context: context, at: clock(2, 21))
        let fresh = try #require(decision.retryNowLease)
        #expect(fresh.generation.value == 2)
        #expect(timeline.names(since: mark) == ["failure.classified", "lease.issued"])
        #expect(timeline.named("failure.classified").last?.failureClass?.rawValue == "stale_generation")
    }

    @Test("A call refused with a revoked token from an older lease after a rotation pages nobody")
    func staleCallAfterRotationPagesNobody() throws {
        // Run 1 parks on missing_scope (generation 1 stays usable: it is not a dead grant). Run 2's
        // call is authorized on generation 1 and in flight when the owner's reinstall rotates to 2;
        // Slack then refuses the replaced token as token_revoked.
        let first = harness.context(run: "run-1", worker: "worker-a")
        let lease1 = engine.issueLease(connection: connection, context: first, at: clock(2))
        let missingScope = ProviderSignal(status: 200, body: .object([
            ("ok", .bool(false)), ("error", .string("missing_scope")), ("needed", .string("files:write"))]))
        let (_, request) = try #require(engine.handleFailure(missingScope, operation: .call, lease: lease1, key: nil,
                                                             context: first, at: clock(2)).parked)
        let second = harness.context(run: "run-2", worker: "worker-c")
        let inFlight = engine.issueLease(connection: connection, context: second, at: clock(2, 19))
        #expect(engine.authorizeCall(with: inFlight, key: nil, context: second, at: clock(2, 19)) == .allowed)
        _ = engine.presentReconnect(capabilityValue: request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let decision = engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: inFlight, key: nil,
                                            context: second, at: clock(2, 21))
        #expect(decision.retryNowLease?.generation.value == 2)
        #expect(timeline.named("case.opened").count == 1)
    }
}

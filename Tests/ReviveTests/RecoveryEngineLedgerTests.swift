import Testing
@testable import Revive
import ReviveVocabulary

/// The recovery engine's later steps: reminders and escalation, lost workers, the action ledger,
/// and the failures it heals alone (refresh, retry, reload), over fake ids, broker and timeline.
@Suite("RecoveryEngine: remind, escalate, fence lost workers, reconcile, refresh")
struct RecoveryEngineLedgerTests: EngineSuite {
    let harness: EngineHarness

    init() throws { harness = try EngineHarness() }

    // MARK: Expiry, reminders and escalation

    @Test("An expired capability's case gets a fresh request as reminder 1 with a new capability")
    func expiryIssuesReminder() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let mark = timeline.transitions.count
        let reminder = try #require(try engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
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
        let reminder = try #require(try engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
        let outcome = try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(), at: clock(3, 30))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("Fails at 02:00, owner clicks the first link at 09:00: refused as expired, and the reminder's link works")
    func failsAtTwoReconnectsAtNine() throws {
        // Default configuration: 1h capabilities. The first link expired at 03:00.
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        #expect(engine.configuration.capabilityLifetime == .hours(1))
        let late = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(9))
        #expect(late == .refused(reason: "expired"))
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)

        let reminder = try #require(try engine.capabilityExpired(parked.request.capabilityID, at: clock(9)))
        #expect(reminder.reminder == 1)
        let outcome = try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(id: "grant-2"), at: clock(9, 5))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("Fails at 02:00 with hourly expiry: at 09:00 the newest reminder's link works and older ones are expired")
    func hourlyRemindersUntilNine() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        var requests = [parked.request]
        for hour in Int64(3)...9 {
            requests.append(try #require(try engine.capabilityExpired(requests.last!.capabilityID, at: clock(hour))))
        }
        #expect(requests.map(\.reminder) == Array(0...7))
        let stale = try engine.presentReconnect(capabilityValue: requests[3].capabilityValue, grant: harness.grant(), at: clock(9, 10))
        #expect(stale == .refused(reason: "expired"))
        let outcome = try engine.presentReconnect(capabilityValue: requests[7].capabilityValue, grant: harness.grant(id: "grant-2"), at: clock(9, 10))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("After maxReminders unanswered requests the case is escalated to the operator")
    func remindersExhaustedEscalates() throws {
        let small = try EngineHarness(configuration: RecoveryConfiguration(maxReminders: 2))
        let parked = try small.parkOnDeadGrant(at: clock(2))
        let first = try #require(try small.engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
        let second = try #require(try small.engine.capabilityExpired(first.capabilityID, at: clock(4)))
        #expect(second.reminder == 2)
        #expect(try small.engine.capabilityExpired(second.capabilityID, at: clock(5)) == nil)
        #expect(try small.engine.recoveryCase(parked.recoveryCase.id)?.state == .escalated)
        let escalated = try #require(small.timeline.named("case.escalated").first)
        #expect(escalated.reason == "reminders-exhausted")
        #expect(escalated.notes.contains(Transition.Note("to", "operator")))
    }

    @Test("With the defaults an owner holds a valid link for 25 hours before escalation")
    func defaultsGiveTwentyFiveHours() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        var current = parked.request
        for hour in Int64(3)...26 {
            current = try #require(try engine.capabilityExpired(current.capabilityID, at: clock(hour)))
        }
        #expect(current.reminder == 24)
        #expect(try engine.capabilityExpired(current.capabilityID, at: clock(27)) == nil)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .escalated)
    }

    @Test("An expiry timer that fires early does nothing")
    func earlyExpiryTimerIsIgnored() throws {
        let small = try EngineHarness(configuration: RecoveryConfiguration(capabilityLifetime: .hours(1), maxReminders: 0))
        let parked = try small.parkOnDeadGrant(at: clock(2))
        #expect(try small.engine.capabilityExpired(parked.request.capabilityID, at: clock(2, 30)) == nil)
        #expect(try small.engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
        #expect(small.timeline.named("capability.expired").isEmpty)
    }

    @Test("An escalated case refuses its last capability and stays escalated")
    func escalatedCaseRefusesReconnect() throws {
        let small = try EngineHarness(configuration: RecoveryConfiguration(capabilityLifetime: .hours(1), maxReminders: 0))
        let parked = try small.parkOnDeadGrant(at: clock(2))
        #expect(try small.engine.capabilityExpired(parked.request.capabilityID, at: clock(3)) == nil)
        let outcome = try small.engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: small.grant(), at: clock(3, 10))
        #expect(outcome == .refused(reason: "expired"))
        #expect(try small.engine.recoveryCase(parked.recoveryCase.id)?.state == .escalated)
    }

    @Test("A repeated expiry timer sends one reminder, not two")
    func repeatedExpiryTimerIsIdempotent() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let first = try #require(try engine.capabilityExpired(parked.request.capabilityID, at: clock(3)))
        #expect(try engine.capabilityExpired(parked.request.capabilityID, at: clock(3)) == nil)
        #expect(first.reminder == 1)
        #expect(harness.timeline.named("reconnect.requested").count == 2)
    }

    @Test("Expiry of a consumed capability issues nothing")
    func expiryAfterConsumptionIsQuiet() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(try engine.capabilityExpired(parked.request.capabilityID, at: clock(3)) == nil)
        #expect(timeline.named("capability.expired").isEmpty)
    }

    // MARK: Lost workers

    @Test("workerLost fences the lost worker's leases as holder-lost")
    func lostWorkerIsFenced() throws {
        let context = harness.context(worker: "worker-a")
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        try engine.workerLost(WorkerID("worker-a"), at: .zero)
        #expect(try engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1, 5)) == .fenced(reason: .holderLost))
        #expect(timeline.named("lease.fenced").first?.reason == "holder-lost")
    }

    @Test("workerLost leaves other workers' leases alone")
    func otherWorkersAreNotFenced() throws {
        let other = harness.context(worker: "worker-b")
        let lease = try engine.issueLease(connection: connection, context: other, at: clock(1))
        try engine.workerLost(WorkerID("worker-a"), at: .zero)
        #expect(try engine.authorizeCall(with: lease, key: nil, context: other, at: clock(1, 5)) == .allowed)
    }

    // MARK: The action ledger

    @Test("prepareAction records a new mutating action as intended and says execute")
    func prepareRecordsIntended() throws {
        let context = harness.context(run: "run-9", action: "send-invoice")
        let preparation = try engine.prepareAction(connection: connection, context: context, at: clock(1))
        let key = IdempotencyKey(run: RunID("run-9"), action: ActionKey("send-invoice"))
        #expect(preparation == .execute(key))
        #expect(try engine.ledgerEntry(key)?.state == .intended)
        #expect(timeline.named("action.intended").first?.key == key.rawValue)
    }

    @Test("An authorized call moves the action to executing")
    func authorizeMovesToExecuting() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(try engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = try engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        #expect(try engine.ledgerEntry(key)?.state == .executing)
        #expect(try engine.ledgerEntry(key)?.executingWorker == WorkerID("worker-a"))
    }

    @Test("A lost answer leaves the action unknown and is retried later without a case")
    func lostAnswerIsUnknown() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(try engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = try engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        let decision = try engine.recordNoAnswer(with: lease, key: key, context: context, at: clock(1, 1))
        #expect(try engine.ledgerEntry(key)?.state == .unknown)
        #expect(decision.retryLaterClassification?.failureClass == .transient)
        #expect(timeline.named("action.unknown").first?.reason == "no-answer")
        #expect(timeline.named("case.opened").isEmpty)
    }

    @Test("An unknown action must be reconciled before it executes again")
    func unknownMustReconcile() throws {
        let (key, _) = try lostAnswer()
        #expect(try engine.prepareAction(connection: connection, context: harness.context(attempt: 2), at: clock(1, 2)) == .reconcile(key))
    }

    @Test("Reconciliation that finds the effect makes the action already committed: skip it")
    func reconciledCommittedIsSkipped() throws {
        let (key, _) = try lostAnswer()
        let context = harness.context(attempt: 2)
        _ = try engine.prepareAction(connection: connection, context: context, at: clock(1, 2))
        try engine.recordReconciliation(.committed, key: key, context: context, at: clock(1, 2))
        #expect(try engine.ledgerEntry(key)?.state == .reconciledCommitted)
        #expect(try engine.prepareAction(connection: connection, context: context, at: clock(1, 3)) == .alreadyCommitted(key))
        #expect(timeline.named("action.reconciled").first?.result == "committed")
    }

    @Test("Reconciliation that finds nothing lets the action execute again with the same idempotency key")
    func reconciledAbsentExecutesWithSameKey() throws {
        let (key, _) = try lostAnswer()
        let context = harness.context(worker: "worker-b", attempt: 2)
        _ = try engine.prepareAction(connection: connection, context: context, at: clock(1, 2))
        try engine.recordReconciliation(.absent, key: key, context: context, at: clock(1, 2))
        #expect(try engine.prepareAction(connection: connection, context: context, at: clock(1, 3)) == .execute(key))
        #expect(try engine.ledgerEntry(key)?.state == .reconciledAbsent)
    }

    @Test("An action left executing by a lost worker is unknown to the next worker")
    func executingWithoutOutcomeBecomesUnknown() throws {
        let context = harness.context(worker: "worker-a")
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(try engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = try engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        try engine.workerLost(WorkerID("worker-a"), at: .zero)
        let next = harness.context(worker: "worker-b", attempt: 2)
        #expect(try engine.prepareAction(connection: connection, context: next, at: clock(1, 5)) == .reconcile(key))
        let unknown = try #require(timeline.named("action.unknown").first)
        #expect(unknown.reason == "no-outcome-recorded")
        #expect(unknown.notes.contains(Transition.Note("sent-by", "worker-a")))
    }

    @Test("A successful answer commits the action and a later prepare skips it")
    func successCommits() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(try engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = try engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        try engine.recordSuccess(with: lease, key: key, context: context, at: clock(1))
        #expect(try engine.ledgerEntry(key)?.state == .committed)
        #expect(try engine.prepareAction(connection: connection, context: context, at: clock(1, 1)) == .alreadyCommitted(key))
    }

    /// An action sent at 01:00 whose answer was lost.
    private func lostAnswer() throws -> (IdempotencyKey, Lease) {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(try engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = try engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        _ = try engine.recordNoAnswer(with: lease, key: key, context: context, at: clock(1, 1))
        return (key, lease)
    }

    // MARK: Refreshable, transient, rate-limited and stale failures

    @Test("A refreshable failure refreshes once, rotates the generation and retries now with a fresh lease")
    func refreshableRefreshesAndRetries() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let decision = try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        guard case .retryNow(let fresh) = decision else {
            Issue.record("expected retryNow, got \(decision)")
            return
        }
        #expect(fresh.generation == LeaseGeneration.first.next())
        #expect(fresh.id != lease.id)
        #expect(try engine.currentGeneration(of: connection) == LeaseGeneration.first.next())
        #expect(try engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1)) == .fenced(reason: .staleGeneration))
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
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let first = try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        guard case .retryNow(let fresh) = first else {
            Issue.record("expected retryNow, got \(first)")
            return
        }
        let decision = try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: fresh, key: nil, context: context, at: clock(1))
        #expect(decision.retryLaterClassification?.failureClass == .refreshable)
        #expect(broker.refreshes.count == 1)
    }

    @Test("A failed refresh is classified from the refresh error, not the original call's")
    func failedRefreshIsClassified() throws {
        broker.scriptedRefreshFailures = [EngineHarness.invalidGrant]
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let decision = try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
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
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let key = try #require(try engine.prepareAction(connection: connection, context: context, at: clock(1)).executeKey)
        _ = try engine.authorizeCall(with: lease, key: key, context: context, at: clock(1))
        let decision = try engine.handleFailure(EngineHarness.unavailable, operation: .call, lease: lease, key: key, context: context, at: clock(1))
        #expect(decision.retryLaterClassification?.failureClass == .transient)
        #expect(timeline.named("case.opened").isEmpty)
        #expect(timeline.named("reconnect.requested").isEmpty)
        #expect(try engine.ledgerEntry(key)?.state == .intended)
        #expect(try engine.authorizeCall(with: lease, key: key, context: context, at: clock(1, 1)) == .allowed)
    }

    @Test("A rate-limited failure is retried later with the provider's wait and keeps the lease usable")
    func rateLimitedRetriesLater() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1))
        let signal = ProviderSignal(status: 429, headers: ["Retry-After": "30"])
        let decision = try engine.handleFailure(signal, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        #expect(decision.retryLaterClassification?.failureClass == .rateLimited)
        #expect(decision.retryLaterClassification?.retryAfter == .seconds(30))
        #expect(try engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1, 1)) == .allowed)
    }

    @Test("A refresh race with an older lease reloads a lease on the new generation and pages nobody")
    func staleRefreshReloadsLease() throws {
        let parked = try harness.parkOnDeadGrant()
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let mark = timeline.transitions.count
        let context = harness.context(worker: "worker-c")
        let decision = try engine.handleFailure(EngineHarness.invalidGrant, operation: .refresh, lease: parked.lease, key: nil,
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
        let lease1 = try engine.issueLease(connection: connection, context: first, at: clock(2))
        let missingScope = ProviderSignal(status: 200, body: .object([
            ("ok", .bool(false)), ("error", .string("missing_scope")), ("needed", .string("files:write"))]))
        let (_, request) = try #require(try engine.handleFailure(missingScope, operation: .call, lease: lease1, key: nil,
                                                             context: first, at: clock(2)).parked)
        let second = harness.context(run: "run-2", worker: "worker-c")
        let inFlight = try engine.issueLease(connection: connection, context: second, at: clock(2, 19))
        #expect(try engine.authorizeCall(with: inFlight, key: nil, context: second, at: clock(2, 19)) == .allowed)
        _ = try engine.presentReconnect(capabilityValue: request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        let decision = try engine.handleFailure(EngineHarness.tokenRevoked, operation: .call, lease: inFlight, key: nil,
                                            context: second, at: clock(2, 21))
        #expect(decision.retryNowLease?.generation.value == 2)
        #expect(timeline.named("case.opened").count == 1)
    }
}

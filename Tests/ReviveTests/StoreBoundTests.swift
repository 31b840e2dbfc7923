import Testing
@testable import Revive
import ReviveVocabulary

/// What the store keeps and for how long: the bound stated on `RecoveryStore`.
@Suite("RecoveryStore: the stated bound on what it keeps")
struct StoreBoundTests: EngineSuite {
    let harness: EngineHarness
    var retention: Span { engine.configuration.closedCaseRetention }
    static let oneMillisecond = Span(milliseconds: 1)

    init() throws { harness = try EngineHarness() }

    /// A rotation of the other connection: a decision that sweeps, without touching the Slack one.
    func sweep(at time: Instant) throws {
        _ = try engine.recordRefreshElsewhere(of: EngineHarness.github.id, by: "another-worker", run: nil, at: time)
    }

    /// Parks on a dead grant at 02:00, reconnects at 02:20 and closes the case at 03:00.
    func closedCase() throws -> (recoveryCase: RecoveryCase, request: ReconnectRequest) {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        _ = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        try engine.closeCase(parked.recoveryCase.id, resumedOn: WorkerID("worker-b"), at: clock(3))
        return (parked.recoveryCase, parked.request)
    }

    /// A mutating action of `run` begun, sent and committed at `time`.
    func commit(run: String, action: String = "post-summary", at time: Instant) throws -> IdempotencyKey {
        let request = ActionRequest(run: RunID(run), action: ActionKey(action), attempt: 1, worker: WorkerID("worker-a"),
                                    checkpoint: nil, connection: connection, mutating: true)
        guard case .call(let ticket) = try engine.beginAction(request, at: time) else { throw StoreBoundFailure.notCalled }
        #expect(try engine.clearForSend(ticket, at: time) == .allowed)
        #expect(try engine.finishAction(ticket, .succeeded, at: time) == .completed)
        return ticket.idempotencyKey
    }

    enum StoreBoundFailure: Error { case notCalled }

    @Test("The default retention is 7 days")
    func defaultRetention() {
        #expect(RecoveryConfiguration().closedCaseRetention == .days(7))
    }

    @Test("A closed case and its capability are kept for the retention window, then pruned by the next sweep")
    func closedCaseIsPrunedAfterRetention() throws {
        let (recoveryCase, request) = try closedCase()
        try sweep(at: clock(3).advanced(by: retention))
        #expect(try engine.recoveryCase(recoveryCase.id)?.state == .closed)
        #expect(try harness.store.capability(request.capabilityID) != nil)

        try sweep(at: clock(3).advanced(by: retention + StoreBoundTests.oneMillisecond))
        #expect(try engine.recoveryCase(recoveryCase.id) == nil)
        #expect(try harness.store.capability(request.capabilityID) == nil)
    }

    @Test("Within the window an old link is still known as used; after it, it is unknown")
    func oldLinkIsForgottenAfterRetention() throws {
        let (_, request) = try closedCase()
        let early = try engine.presentReconnect(capabilityValue: request.capabilityValue, grant: harness.grant(id: "grant-2"),
                                                at: clock(3).advanced(by: .days(1)))
        #expect(early == .refused(reason: "already-used"))
        try sweep(at: clock(4).advanced(by: retention))
        let late = try engine.presentReconnect(capabilityValue: request.capabilityValue, grant: harness.grant(id: "grant-3"),
                                               at: clock(4).advanced(by: retention))
        #expect(late == .refused(reason: "unknown"))
    }

    @Test("Closing a case prunes the cases closed longer ago than the window")
    func closingPrunesOlderClosedCases() throws {
        let (old, _) = try closedCase()
        let later = clock(3).advanced(by: retention + .hours(1))
        // An operator's case on the other connection: its fix rotates nothing, so only the close sweeps.
        let context = harness.context(run: "run-2", action: "open-issue")
        let lease = try engine.issueLease(connection: EngineHarness.github.id, context: context, at: later)
        let misconfigured = ProviderSignal(status: 401, body: .object([("error", .string("invalid_client"))]))
        let decision = try engine.handleFailure(misconfigured, operation: .refresh, lease: lease, key: nil, context: context, at: later)
        let (githubCase, alert) = try #require(decision.parked)
        _ = try engine.presentOperatorFix(capabilityValue: alert.capabilityValue, connection: EngineHarness.github.id, at: later)
        #expect(try engine.recoveryCase(old.id) != nil, "no decision so far has swept")
        try engine.closeCase(githubCase.id, resumedOn: WorkerID("worker-a"), at: later)
        #expect(try engine.recoveryCase(old.id) == nil)
        #expect(try engine.recoveryCase(githubCase.id)?.state == .closed)
    }

    @Test("An open case is never pruned, however old")
    func openCaseIsKept() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        try sweep(at: clock(2).advanced(by: .days(60)))
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
        #expect(try harness.store.capability(parked.request.capabilityID) != nil)
    }

    @Test("A committed ledger entry is kept for the window after its last change, so a retry stays idempotent")
    func committedEntryIsKeptForTheWindow() throws {
        let key = try commit(run: "run-9", at: clock(1))
        try sweep(at: clock(1).advanced(by: retention))
        #expect(try engine.ledgerEntry(key)?.state == .committed)
        try sweep(at: clock(1).advanced(by: retention + StoreBoundTests.oneMillisecond))
        #expect(try engine.ledgerEntry(key) == nil)
    }

    @Test("The ledger of a run whose case is still open is kept, and so is an unsettled entry")
    func parkedRunsLedgerIsKept() throws {
        let done = try commit(run: "run-1", action: "fetch-thread", at: clock(1))
        let parked = try harness.parkOnDeadGrant(context: harness.context(run: "run-1", action: "post-summary"), at: clock(2))
        try sweep(at: clock(2).advanced(by: .days(30)))
        #expect(try engine.ledgerEntry(done)?.state == .committed)
        #expect(try engine.ledgerEntry(parked.key)?.state == .intended)
    }

    // MARK: Leases

    @Test("A rotation deletes the older generation's leases, and a stale lease is still fenced as stale-generation")
    func rotationPrunesOldLeases() throws {
        let context = harness.context(worker: "worker-a")
        let old = try engine.issueLease(connection: connection, context: context, at: clock(1))
        #expect(try harness.store.lease(old.id)?.lease == old)
        _ = try engine.recordRefreshElsewhere(of: connection, by: "another-worker", run: nil, at: clock(1, 5))
        #expect(try harness.store.lease(old.id) == nil)
        #expect(try harness.store.leases(heldBy: WorkerID("worker-a")).isEmpty)
        #expect(try engine.authorizeCall(with: old, key: nil, context: context, at: clock(1, 6)) == .fenced(reason: .staleGeneration))
        #expect(timeline.named("lease.fenced").last?.reason == "stale-generation")
        #expect(timeline.named("lease.fenced").last?.notes.first(where: { $0.name == "current" })?.value == "2")
    }

    @Test("A stale lease whose holder was lost and whose generation is dead is fenced as stale-generation first")
    func staleOutranksDeadAndLost() throws {
        let context = harness.context(worker: "worker-a")
        let old = try engine.issueLease(connection: connection, context: context, at: clock(1))
        _ = try engine.recordRefreshElsewhere(of: connection, by: "another-worker", run: nil, at: clock(1, 5))
        try engine.workerLost(WorkerID("worker-a"), at: clock(1, 6))
        _ = try harness.parkOnDeadGrant(context: harness.context(worker: "worker-b"), at: clock(2))
        #expect(try engine.authorizeCall(with: old, key: nil, context: context, at: clock(2, 1)) == .fenced(reason: .staleGeneration))
    }

    @Test("A lost worker's pruned older lease gets no reload and no refresh: its retry is fenced")
    func lostHolderOfPrunedLeaseGetsNoReload() throws {
        let context = harness.context(worker: "worker-a")
        let old = try engine.issueLease(connection: connection, context: context, at: clock(1))
        _ = try engine.recordRefreshElsewhere(of: connection, by: "another-worker", run: nil, at: clock(1, 1))
        try engine.workerLost(WorkerID("worker-a"), at: clock(1, 2))
        let decision = try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: old, key: nil,
                                                context: context, at: clock(1, 3))
        #expect(decision.retryNowLease == old)
        #expect(harness.broker.refreshes.isEmpty)
        #expect(timeline.named("lease.issued").count == 1)
    }

    @Test("A worker that comes back after its loss gets leases that are not fenced")
    func returningWorkerIsNotFenced() throws {
        try engine.workerLost(WorkerID("worker-a"), at: clock(1))
        let context = harness.context(worker: "worker-a")
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(1, 10))
        #expect(try engine.authorizeCall(with: lease, key: nil, context: context, at: clock(1, 10)) == .allowed)
    }

    // MARK: Refresh marks

    @Test("One refresh mark per run and action: a newer attempt replaces it, an older attempt is not refreshed again")
    func refreshMarkIsPerAction() throws {
        let first = harness.context(attempt: 1)
        let lease = try engine.issueLease(connection: connection, context: first, at: clock(1))
        let refreshed = try #require(try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil,
                                                              context: first, at: clock(1)).retryNowLease)
        #expect(try harness.store.refreshMark(run: first.run, action: first.action)?.attempt == 1)

        let second = harness.context(attempt: 2)
        let next = try engine.issueLease(connection: connection, context: second, at: clock(2))
        _ = try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: next, key: nil, context: second, at: clock(2))
        #expect(try harness.store.refreshMark(run: first.run, action: first.action)?.attempt == 2)
        #expect(harness.broker.refreshes.count == 2)

        _ = try engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: refreshed, key: nil,
                                     context: first, at: clock(2, 1))
        #expect(harness.broker.refreshes.count == 2)
        #expect(try harness.store.refreshMark(run: first.run, action: first.action)?.attempt == 2)
    }
}

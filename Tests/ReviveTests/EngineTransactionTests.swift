import Testing
@testable import Revive
import ReviveVocabulary

/// One transaction per decision: transitions after the commit, nothing of a failed decision, and
/// an engine restarted over the same store that carries on.
@Suite("RecoveryEngine over its store: transactions, failures and restarts")
struct EngineTransactionTests {
    static func request(run: String = "run-1", worker: String = "worker-a", attempt: Int = 1, connection: ConnectionID = EngineHarness.slack.id,
                        mutating: Bool = true) -> ActionRequest {
        ActionRequest(run: RunID(run), action: ActionKey("post-summary"), attempt: attempt, worker: WorkerID(worker),
                      checkpoint: "cp-3", connection: connection, mutating: mutating)
    }

    // MARK: Transitions after the commit

    @Test("A decision's transitions reach the recorder only once its transaction commits")
    func transitionsFollowTheCommit() throws {
        let store = ScriptedStore()
        let harness = try EngineHarness(store: store)
        let before = harness.timeline.transitions.count
        var recordedAtCommit: [Int] = []
        store.onCommit = { [timeline = harness.timeline] in recordedAtCommit.append(timeline.transitions.count) }
        _ = try harness.engine.beginAction(EngineTransactionTests.request(), at: clock(1))
        #expect(recordedAtCommit == [before])
        #expect(harness.timeline.names(since: before) == ["lease.issued", "action.intended"])
    }

    @Test("A commit the store refuses throws RecoveryStoreError and keeps and records nothing of that decision")
    func refusedCommitLeavesNothing() throws {
        let store = ScriptedStore()
        let harness = try EngineHarness(store: store)
        let before = harness.timeline.transitions.count
        store.commitsBeforeRefusal = 0
        let error = #expect(throws: RecoveryStoreError.self) {
            try harness.engine.beginAction(EngineTransactionTests.request(), at: clock(1))
        }
        #expect(error?.code == .unavailable)
        #expect(error?.code.rawValue == "store-unavailable")
        #expect(error?.message.contains("retry") == true)
        #expect(harness.timeline.transitions.count == before)
        #expect(try harness.engine.ledgerEntry(IdempotencyKey(run: RunID("run-1"), action: ActionKey("post-summary"))) == nil)
        #expect(try harness.store.leases(heldBy: WorkerID("worker-a")).isEmpty)

        // The same call, retried once the store is healthy, is decided once.
        _ = try harness.engine.beginAction(EngineTransactionTests.request(), at: clock(1))
        #expect(harness.timeline.names(since: before) == ["lease.issued", "action.intended"])
    }

    @Test("A refresh splits its decision around the broker: the call's classification is recorded before the provider is asked")
    func refreshSplitsTheDecision() throws {
        let harness = try EngineHarness()
        var recordedAtRefresh: [String] = []
        harness.broker.onRefresh = { [timeline = harness.timeline] in recordedAtRefresh = timeline.names }
        let context = harness.context()
        let lease = try harness.engine.issueLease(connection: harness.connection, context: context, at: clock(1))
        let mark = harness.timeline.transitions.count
        _ = try harness.engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        #expect(Array(recordedAtRefresh.dropFirst(mark)) == ["failure.classified"])
        #expect(harness.timeline.names(since: mark) == ["failure.classified", "token.refreshed", "lease.rotated", "lease.issued"])
    }

    @Test("A refresh overtaken by another engine's rotation between its two transactions reloads the current lease, rotating nothing")
    func refreshOvertakenByARotation() throws {
        let harness = try EngineHarness()
        let two = try #require(LeaseGeneration(recorded: 2))
        // Another engine on the same store rotates the connection while this one's broker refreshes.
        harness.broker.onRefresh = { [store = harness.store, connection = harness.connection] in
            try? store.transaction { (tx) throws(RecoveryStoreError) in try tx.setGeneration(two, of: connection) }
        }
        let context = harness.context()
        let lease = try harness.engine.issueLease(connection: harness.connection, context: context, at: clock(1))
        let mark = harness.timeline.transitions.count
        let decision = try harness.engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil,
                                                        context: context, at: clock(1))
        guard case .retryNow(let reloaded) = decision else { Issue.record("expected a reload, got \(decision)"); return }
        #expect(reloaded.generation == two)
        #expect(harness.timeline.names(since: mark) == ["failure.classified", "token.refreshed", "lease.issued"])
        let refreshed = try #require(harness.timeline.named("token.refreshed").first)
        #expect(refreshed.notes.contains { $0.name == "overtaken-by" && $0.value == "2" })
        #expect(try harness.engine.currentGeneration(of: harness.connection) == two)
    }

    @Test("A store failure after the refresh keeps the classification recorded before it, and nothing of the rest")
    func failureAfterTheRefresh() throws {
        let store = ScriptedStore()
        let harness = try EngineHarness(store: store)
        let context = harness.context()
        let lease = try harness.engine.issueLease(connection: harness.connection, context: context, at: clock(1))
        let mark = harness.timeline.transitions.count
        store.commitsBeforeRefusal = 1
        #expect(throws: RecoveryStoreError.self) {
            try harness.engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil, context: context, at: clock(1))
        }
        #expect(harness.broker.refreshes.count == 1)
        #expect(harness.timeline.names(since: mark) == ["failure.classified"])
        #expect(try harness.engine.currentGeneration(of: harness.connection) == .first)
    }

    @Test("A failed decision in the middle of a reconnect installs nothing and the reconnect can be presented again")
    func failedReconnectInstallsNothing() throws {
        let store = ScriptedStore()
        let harness = try EngineHarness(store: store)
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        store.commitsBeforeRefusal = 0
        #expect(throws: RecoveryStoreError.self) {
            try harness.engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        }
        #expect(harness.broker.installs.isEmpty)
        #expect(harness.broker.discards.isEmpty)
        #expect(try harness.store.capability(parked.request.capabilityID)?.consumedAt == nil)
        let outcome = try harness.engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(),
                                                          at: clock(2, 21))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
        #expect(harness.broker.installs.count == 1)
    }

    @Test("The in-memory store rolls back every write of a transaction whose body throws")
    func inMemoryRollback() throws {
        let store = InMemoryRecoveryStore()
        let connection = EngineHarness.slack.id
        #expect(throws: RecoveryStoreError.self) {
            try store.transaction { (tx) throws(RecoveryStoreError) in
                try tx.save(EngineHarness.slack)
                try tx.setGeneration(LeaseGeneration.first.next(), of: connection)
                try tx.setDeadGeneration(.first, of: connection)
                throw RecoveryStoreError.conflict("the test gave up")
            }
        }
        try store.transaction { (tx) throws(RecoveryStoreError) in
            #expect(try tx.connection(connection) == nil)
            #expect(try tx.generation(of: connection) == .first)
            #expect(try tx.deadGeneration(of: connection) == nil)
        }
    }

    // MARK: A restart over the same store

    @Test("An engine restarted over the same store still fences a lost worker's revoked lease")
    func restartKeepsRevocations() throws {
        let harness = try EngineHarness()
        guard case .call(let ticket) = try harness.engine.beginAction(EngineTransactionTests.request(), at: clock(1)) else {
            Issue.record("expected a call")
            return
        }
        try harness.engine.workerLost(WorkerID("worker-a"), at: clock(1, 1))
        let restarted = harness.restartedEngine()
        #expect(try restarted.clearForSend(ticket, at: clock(1, 2)) == .fenced(reason: .holderLost))
    }

    @Test("An engine restarted over the same store still refuses a dead generation: an old lease is fenced, a new action joins the case")
    func restartKeepsDeadGenerations() throws {
        let harness = try EngineHarness()
        guard case .call(let ticket) = try harness.engine.beginAction(EngineTransactionTests.request(run: "run-2", worker: "worker-b"),
                                                                      at: clock(1)) else {
            Issue.record("expected a call")
            return
        }
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let restarted = harness.restartedEngine()
        #expect(try restarted.clearForSend(ticket, at: clock(2, 5)) == .fenced(reason: .deadGrant))
        let again = try restarted.beginAction(EngineTransactionTests.request(run: "run-2", worker: "worker-b", attempt: 2), at: clock(2, 5))
        guard case .parked(let joined, _) = again else {
            Issue.record("expected the new attempt parked on the open case, got \(again)")
            return
        }
        #expect(joined.id == parked.recoveryCase.id)
    }

    @Test("An engine restarted over the same store still knows the registered connections and the open cases")
    func restartKeepsConnectionsAndCases() throws {
        let harness = try EngineHarness()
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let restarted = harness.restartedEngine()
        let request = EngineTransactionTests.request(connection: EngineHarness.github.id, mutating: false)
        guard case .call(let ticket) = try restarted.beginAction(request, at: clock(2, 1)) else {
            Issue.record("expected a call")
            return
        }
        guard case .parked(let githubCase, let ask) = try restarted.finishAction(ticket, .failed(EngineHarness.tokenRevoked), at: clock(2, 1)) else {
            Issue.record("expected parked")
            return
        }
        #expect(githubCase.pinnedIdentity == EngineHarness.github.pinnedIdentity)
        #expect(ask.recipient == "bob@acme.example")
        let outcome = try restarted.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 20))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("An engine restarted over the same store refreshes an attempt only once")
    func restartKeepsRefreshMarks() throws {
        let harness = try EngineHarness()
        let context = harness.context()
        let lease = try harness.engine.issueLease(connection: harness.connection, context: context, at: clock(1))
        let fresh = try #require(try harness.engine.handleFailure(EngineHarness.tokenExpired, operation: .call, lease: lease, key: nil,
                                                                  context: context, at: clock(1)).retryNowLease)
        let restarted = harness.restartedEngine()
        let again = try restarted.finishAction(ActionTicket(request: EngineTransactionTests.request(mutating: false), lease: fresh,
                                                            idempotencyKey: IdempotencyKey(run: context.run, action: context.action)),
                                               .failed(EngineHarness.tokenExpired), at: clock(1))
        guard case .retryLater(let classification) = again else {
            Issue.record("expected retryLater, got \(again)")
            return
        }
        #expect(classification.failureClass == .refreshable)
        #expect(harness.broker.refreshes.count == 1)
    }
}

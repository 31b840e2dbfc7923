import Testing
@testable import Revive
import ReviveVocabulary

/// `protectAction`: the closure API a real runtime embeds in a step, end to end over fakes.
@Suite("protectAction: the closure API end to end")
struct ProtectActionTests: EngineSuite {
    let harness: EngineHarness

    init() throws { harness = try EngineHarness() }

    /// Records what the closures were called with.
    final class Calls {
        var executed: [(lease: Lease, key: IdempotencyKey)] = []
        var reconciled: [IdempotencyKey] = []
    }

    private func protect<Output>(run: String = "run-1", worker: String = "worker-a", mutating: Bool = true, attempt: Int = 1,
                                 at time: Instant, calls: Calls,
                                 answers: [ActionAttempt<Output>], reconcile: ReconcileAnswer = .absent) throws -> ProtectedOutcome<Output> {
        var remaining = answers
        return try engine.protectAction(
            run: RunID(run), checkpoint: "cp-3", connection: connection, action: ActionKey("post-summary"), mutating: mutating,
            worker: WorkerID(worker), attempt: attempt, at: time,
            execute: { lease, key in
                calls.executed.append((lease, key))
                return remaining.isEmpty ? .noAnswer : remaining.removeFirst()
            },
            reconcile: { key in
                calls.reconciled.append(key)
                return reconcile
            })
    }

    private let key = IdempotencyKey(run: RunID("run-1"), action: ActionKey("post-summary"))

    @Test("A successful call completes with the output and commits the action")
    func successCompletes() throws {
        let calls = Calls()
        let outcome = try protect(at: clock(1), calls: calls, answers: [.succeeded("ts-1700000000.000100")])
        guard case .completed(let output) = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(output == "ts-1700000000.000100")
        #expect(calls.executed.count == 1)
        #expect(calls.executed.first?.key == key)
        #expect(calls.executed.first?.lease.generation == .first)
        #expect(try engine.ledgerEntry(key)?.state == .committed)
    }

    @Test("A non-mutating call keeps no ledger entry")
    func nonMutatingKeepsNoLedger() throws {
        let calls = Calls()
        _ = try protect(mutating: false, at: clock(1), calls: calls, answers: [.succeeded(1)])
        #expect(try engine.ledgerEntry(key) == nil)
    }

    @Test("A dead grant parks the run on a case with a reconnect request for the owner")
    func deadGrantParks() throws {
        let calls = Calls()
        let outcome = try protect(at: clock(2), calls: calls, answers: [ActionAttempt<String>.failed(EngineHarness.tokenRevoked)])
        guard case .parked(let recoveryCase, let request) = outcome else {
            Issue.record("expected parked, got \(outcome)")
            return
        }
        #expect(recoveryCase.classification.failureClass == .deadGrant)
        #expect(recoveryCase.run == RunID("run-1"))
        #expect(recoveryCase.checkpoint == "cp-3")
        #expect(recoveryCase.idempotencyKey == key)
        #expect(request.recipient == "ada@acme.example")
        #expect(calls.executed.count == 1)
    }

    @Test("A lost answer asks for a later retry; reconciliation then finds it committed and completes without executing")
    func lostAnswerThenReconciledCommitted() throws {
        let first = Calls()
        let lost = try protect(at: clock(1), calls: first, answers: [ActionAttempt<String>.noAnswer])
        guard case .retryLater(let classification) = lost else {
            Issue.record("expected retryLater, got \(lost)")
            return
        }
        #expect(classification.failureClass == .transient)
        #expect(try engine.ledgerEntry(key)?.state == .unknown)

        let second = Calls()
        let outcome = try protect(worker: "worker-b", attempt: 2, at: clock(1, 1), calls: second,
                              answers: [ActionAttempt<String>.succeeded("duplicate!")], reconcile: .committed)
        guard case .completed(let output) = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(output == nil)
        #expect(second.executed.isEmpty)
        #expect(second.reconciled == [key])
        #expect(try engine.ledgerEntry(key)?.state == .reconciledCommitted)
    }

    @Test("A lost answer reconciled as absent executes once more with the same idempotency key")
    func lostAnswerThenReconciledAbsent() throws {
        let first = Calls()
        _ = try protect(at: clock(1), calls: first, answers: [ActionAttempt<String>.noAnswer])
        let second = Calls()
        let outcome = try protect(worker: "worker-b", attempt: 2, at: clock(1, 1), calls: second,
                              answers: [ActionAttempt<String>.succeeded("ok")], reconcile: .absent)
        guard case .completed(let output) = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(output == "ok")
        #expect(second.reconciled == [key])
        #expect(first.executed.map(\.key) + second.executed.map(\.key) == [key, key])
        #expect(try engine.ledgerEntry(key)?.state == .committed)
    }

    @Test("An already committed action completes with nil without executing or reconciling")
    func committedActionIsSkipped() throws {
        _ = try protect(at: clock(1), calls: Calls(), answers: [ActionAttempt<String>.succeeded("once")])
        let calls = Calls()
        let outcome = try protect(attempt: 2, at: clock(1, 5), calls: calls, answers: [ActionAttempt<String>.succeeded("twice")])
        guard case .completed(let output) = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(output == nil)
        #expect(calls.executed.isEmpty)
        #expect(calls.reconciled.isEmpty)
    }

    @Test("Another run on a dead generation gets no lease: it joins the open case before any call is made")
    func deadGenerationJoinsTheOpenCase() throws {
        let first = try protect(at: clock(2), calls: Calls(), answers: [ActionAttempt<String>.failed(EngineHarness.tokenRevoked)])
        guard case .parked(let opened, _) = first else {
            Issue.record("expected the first run parked, got \(first)")
            return
        }
        let calls = Calls()
        let leasesBefore = timeline.named("lease.issued").count
        let outcome = try protect(run: "run-2", worker: "worker-b", at: clock(2, 5), calls: calls, answers: [ActionAttempt<String>.succeeded("x")])
        guard case .parked(let joined, let request) = outcome else {
            Issue.record("expected parked on the open case, got \(outcome)")
            return
        }
        #expect(joined.id == opened.id)
        #expect(request.caseID == opened.id)
        #expect(calls.executed.isEmpty)
        #expect(timeline.named("lease.issued").count == leasesBefore, "no lease on a generation known dead")
        let parked = try #require(timeline.named("run.parked").last)
        #expect(parked.run == "run-2" && parked.caseID == opened.id.rawValue && parked.reason == "generation-dead")
        #expect(timeline.named("case.opened").count == 1)
    }

    @Test("A worker declared lost mid-call is fenced on its retry")
    func lostWorkerIsFencedOnRetry() throws {
        var executions = 0
        let outcome: ProtectedOutcome<String> = try engine.protectAction(
            run: RunID("run-1"), checkpoint: "cp-3", connection: connection, action: ActionKey("post-summary"), mutating: false,
            worker: WorkerID("worker-a"), at: clock(1),
            execute: { _, _ in
                executions += 1
                // The runtime declares this worker lost while its call is out; the token had expired.
                do { try engine.workerLost(WorkerID("worker-a"), at: .zero) } catch { Issue.record(error) }
                return .failed(EngineHarness.tokenExpired)
            },
            reconcile: { _ in .absent })
        guard case .fenced(let reason) = outcome else {
            Issue.record("expected fenced, got \(outcome)")
            return
        }
        #expect(reason == .holderLost)
        #expect(executions == 1)
    }

    @Test("A refreshable failure is refreshed and the call retried once with the same key")
    func refreshableRetriesOnce() throws {
        let calls = Calls()
        let outcome = try protect(at: clock(1), calls: calls,
                              answers: [.failed(EngineHarness.tokenExpired), ActionAttempt<String>.succeeded("ok")])
        guard case .completed(let output) = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(output == "ok")
        #expect(calls.executed.map(\.key) == [key, key])
        #expect(harness.broker.refreshes.count == 1)
    }

    @Test("A transient failure hands the retry to the runtime")
    func transientRetriesLater() throws {
        let outcome = try protect(at: clock(1), calls: Calls(), answers: [ActionAttempt<String>.failed(EngineHarness.unavailable)])
        guard case .retryLater(let classification) = outcome else {
            Issue.record("expected retryLater, got \(outcome)")
            return
        }
        #expect(classification.failureClass == .transient)
        #expect(harness.timeline.named("case.opened").isEmpty)
    }

    @Test("After a verified reconnect the parked run resumes on generation 2 with the same key")
    func resumeAfterReconnect() throws {
        let parked = try protect(at: clock(2), calls: Calls(), answers: [ActionAttempt<String>.failed(EngineHarness.tokenRevoked)])
        guard case .parked(_, let request) = parked else {
            Issue.record("expected parked, got \(parked)")
            return
        }
        _ = try engine.presentReconnect(capabilityValue: request.capabilityValue, grant: harness.grant(), at: clock(2, 30))
        let calls = Calls()
        let outcome = try protect(worker: "worker-b", attempt: 2, at: clock(2, 31), calls: calls, answers: [ActionAttempt<String>.succeeded("ok")])
        guard case .completed(let output) = outcome else {
            Issue.record("expected completed, got \(outcome)")
            return
        }
        #expect(output == "ok")
        #expect(calls.executed.first?.lease.generation.value == 2)
        #expect(calls.executed.first?.key == key)
    }
}

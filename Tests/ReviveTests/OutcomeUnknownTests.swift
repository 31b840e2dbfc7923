import Testing
@testable import Revive
import ReviveVocabulary

/// `idempotency: none`: an ambiguous mutation is never resent automatically; the run parks on an
/// `outcome_unknown` case and an operator's answer settles the ledger.
@Suite("RecoveryEngine: outcome_unknown on a provider with no lookup")
struct OutcomeUnknownTests: EngineSuite {
    let harness: EngineHarness

    init() throws { harness = try EngineHarness.withWeakPromises() }

    var sms: ConnectionID { EngineHarness.sms.id }

    @Test("An unknown mutation on a `none` connection parks the run and alerts the operator to confirm the outcome")
    func unknownOnNoneParks() throws {
        let ticket = try harness.loseFirstAnswer(on: sms, sentAt: clock(1))
        let mark = timeline.transitions.count
        let start = try engine.beginAction(harness.mutation(on: sms, attempt: 2), at: clock(1, 1))
        let (recoveryCase, alert) = try #require(start.parked, "got \(start)")
        #expect(timeline.names(since: mark) == ["lease.issued", "failure.classified", "case.opened", "run.parked", "operator.alerted"])
        #expect(recoveryCase.classification.failureClass == .outcomeUnknown)
        #expect(recoveryCase.classification.rule == "no-lookup")
        #expect(recoveryCase.idempotencyKey == ticket.idempotencyKey)
        #expect(recoveryCase.checkpoint == "cp-3")
        #expect(alert.responder == .operator)
        #expect(alert.recipient == "operator")
        #expect(alert.kind == .confirmOutcome)
        let classified = try #require(timeline.named("failure.classified").last)
        #expect(classified.failureClass == .outcomeUnknown)
        #expect(classified.note("rule") == "no-lookup")
        #expect(classified.key == ticket.idempotencyKey.rawValue)
        let alerted = try #require(timeline.named("operator.alerted").last)
        #expect(alerted.note("ask") == "confirm-outcome")
        #expect(alerted.note("to") == "operator")
        #expect(alerted.capability == alert.capabilityID.rawValue)
        #expect(timeline.named("reconnect.requested").isEmpty, "the owner is not asked: no reconnect helps")
        #expect(try engine.ledgerEntry(ticket.idempotencyKey)?.state == .unknown)
    }

    @Test("Nothing is sent again before the operator answers, however long the run waits")
    func nothingIsResentBeforeTheAnswer() throws {
        let parked = try harness.parkOnUnknownOutcome()
        let later = try engine.beginAction(harness.mutation(on: sms, attempt: 3), at: clock(9))
        let (joined, _) = try #require(later.parked, "got \(later)")
        #expect(joined.id == parked.recoveryCase.id)
        #expect(timeline.named("action.waiting").isEmpty)
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .unknown)
    }

    @Test("A worker lost in the middle of the send leaves the outcome unknown, and the next worker parks instead of resending")
    func lostWorkerOnNoneParks() throws {
        let ticket = try #require(try engine.beginAction(harness.mutation(on: sms, attempt: 1), at: clock(1)).callTicket)
        #expect(try engine.clearForSend(ticket, at: clock(1)) == .allowed)
        try engine.workerLost(WorkerID("worker-a"), at: clock(1, 2))
        let start = try engine.beginAction(harness.mutation(on: sms, attempt: 2, worker: "worker-b"), at: clock(1, 3))
        let (recoveryCase, _) = try #require(start.parked, "got \(start)")
        #expect(recoveryCase.classification.failureClass == .outcomeUnknown)
        #expect(timeline.named("action.unknown").last?.reason == "no-outcome-recorded")
    }

    @Test("The operator says it happened: the ledger is reconciled as committed by the operator and the step is skipped")
    func operatorSaysItHappened() throws {
        let parked = try harness.parkOnUnknownOutcome()
        let mark = timeline.transitions.count
        let outcome = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms,
                                                        happened: true, at: clock(1, 20))
        #expect(outcome == .resolved(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3"))
        #expect(timeline.names(since: mark) == ["action.reconciled", "case.resolved"])
        let reconciled = try #require(timeline.named("action.reconciled").last)
        #expect(reconciled.result == "committed")
        #expect(reconciled.note("by") == "operator")
        #expect(reconciled.key == parked.ticket.idempotencyKey.rawValue)
        let resolved = try #require(timeline.named("case.resolved").last)
        #expect(resolved.note("happened") == "yes")
        #expect(resolved.failureClass == .outcomeUnknown)
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .reconciledCommitted)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingResume)
        #expect(try harness.store.capability(parked.alert.capabilityID)?.consumedAt == clock(1, 20))
        let resumed = try engine.beginAction(harness.mutation(on: sms, attempt: 3), at: clock(1, 21))
        guard case .alreadyDone = resumed else {
            Issue.record("a send the operator says happened is not sent again, got \(resumed)")
            return
        }
    }

    @Test("The operator says it did not happen, once the send can no longer land: it is sent once more with the same key")
    func operatorSaysItDidNotHappen() throws {
        let parked = try harness.parkOnUnknownOutcome()
        let outcome = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms,
                                                        happened: false, at: clock(2))
        #expect(outcome == .resolved(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3"))
        #expect(timeline.named("action.reconciled").last?.result == "absent")
        #expect(timeline.named("action.reconciled").last?.note("by") == "operator")
        #expect(timeline.named("case.resolved").last?.note("happened") == "no")
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .reconciledAbsent)
        let resumed = try engine.beginAction(harness.mutation(on: sms, attempt: 3), at: clock(2, 1))
        let ticket = try #require(resumed.callTicket, "got \(resumed)")
        #expect(ticket.idempotencyKey == parked.ticket.idempotencyKey)
    }

    @Test("\"It did not happen\" is refused as may-still-land before the send settles, and the capability stays usable")
    func didNotHappenIsRefusedWhileTheSendMayLand() throws {
        let parked = try harness.parkOnUnknownOutcome()
        let early = EngineHarness.smsSettlesAt.advanced(by: Span(milliseconds: -1))
        let mark = timeline.transitions.count
        let refused = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms,
                                                        happened: false, at: early)
        #expect(refused == .refused(reason: "may-still-land"))
        #expect(timeline.names(since: mark) == ["capability.refused"])
        #expect(timeline.named("capability.refused").last?.reason == "may-still-land")
        #expect(timeline.named("capability.refused").last?.capability == parked.alert.capabilityID.rawValue)
        #expect(try harness.store.capability(parked.alert.capabilityID)?.consumedAt == nil)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .unknown)
        // At the settle point (valid from, not after) the same capability is taken.
        let accepted = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms,
                                                         happened: false, at: EngineHarness.smsSettlesAt)
        #expect(accepted == .resolved(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3"))
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .reconciledAbsent)
    }

    @Test("\"It happened\" is taken before the send settles: nothing is resent on it")
    func happenedIsTakenBeforeTheSendSettles() throws {
        let parked = try harness.parkOnUnknownOutcome()
        let outcome = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms,
                                                        happened: true, at: clock(1, 2))
        #expect(outcome == .resolved(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3"))
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .reconciledCommitted)
    }

    @Test("An answer with a used capability is refused already-used and changes nothing")
    func secondAnswerIsRefused() throws {
        let parked = try harness.parkOnUnknownOutcome()
        _ = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms, happened: true, at: clock(1, 20))
        let again = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms,
                                                      happened: false, at: clock(2))
        #expect(again == .refused(reason: "already-used"))
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .reconciledCommitted)
        #expect(timeline.named("action.reconciled").count == 1)
    }
}

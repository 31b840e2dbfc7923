import Testing
@testable import Revive
import ReviveVocabulary

/// The other ways to an `outcome_unknown` case (lookups that failed until the retry policy gave
/// up, a `dedupe` key past its retention), and the paths that must not complete one.
@Suite("RecoveryEngine: outcome_unknown escalation and its capability paths")
struct OutcomeEscalationTests: EngineSuite {
    let harness: EngineHarness

    init() throws { harness = try EngineHarness.withWeakPromises() }

    var sms: ConnectionID { EngineHarness.sms.id }
    var payments: ConnectionID { EngineHarness.payments.id }

    // MARK: Paths that may not complete an outcome case

    @Test("An operator's fix is refused on an outcome case (needs-outcome-answer); the capability then answers it")
    func operatorFixOnOutcomeCaseIsRefused() throws {
        let parked = try harness.parkOnUnknownOutcome()
        let fix = try engine.presentOperatorFix(capabilityValue: parked.alert.capabilityValue, connection: sms, at: clock(1, 30))
        #expect(fix == .refused(reason: "needs-outcome-answer"))
        #expect(timeline.named("capability.refused").last?.reason == "needs-outcome-answer")
        #expect(try harness.store.capability(parked.alert.capabilityID)?.consumedAt == nil)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .unknown)
        let answer = try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: sms,
                                                       happened: true, at: clock(1, 31))
        #expect(answer == .resolved(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3"))
    }

    @Test("An owner's reconnect is refused on an outcome case (needs-operator) and its grant is discarded")
    func reconnectOnOutcomeCaseIsRefused() throws {
        let parked = try harness.parkOnUnknownOutcome()
        let grant = harness.grant(EngineHarness.sms.pinnedIdentity, for: sms)
        let outcome = try engine.presentReconnect(capabilityValue: parked.alert.capabilityValue, grant: grant, at: clock(2))
        #expect(outcome == .refused(reason: "needs-operator"))
        #expect(broker.installs.isEmpty)
        #expect(broker.discards == [grant])
        #expect(try engine.currentGeneration(of: sms) == .first)
        #expect(try harness.store.capability(parked.alert.capabilityID)?.consumedAt == nil)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .awaitingReconnect)
    }

    @Test("An operator's outcome answer is refused on a configuration case (not-an-outcome-case); the fix still works")
    func confirmOnConfigCaseIsRefused() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(2))
        let signal = ProviderSignal(status: 401, body: .object([("error", .string("invalid_client"))]))
        let decision = try engine.handleFailure(signal, operation: .refresh, lease: lease, key: nil, context: context, at: clock(2))
        let (recoveryCase, alert) = try #require(decision.parked)
        #expect(recoveryCase.classification.failureClass == .configError)
        let answer = try engine.presentOperatorConfirm(capabilityValue: alert.capabilityValue, connection: connection,
                                                       happened: true, at: clock(2, 10))
        #expect(answer == .refused(reason: "not-an-outcome-case"))
        #expect(timeline.named("capability.refused").last?.reason == "not-an-outcome-case")
        #expect(timeline.named("case.resolved").isEmpty)
        #expect(try harness.store.capability(alert.capabilityID)?.consumedAt == nil)
        let fix = try engine.presentOperatorFix(capabilityValue: alert.capabilityValue, connection: connection, at: clock(2, 20))
        #expect(fix == .resolved(caseID: recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3"))
    }

    @Test("An outcome answer with no capability, or another connection's, is refused")
    func confirmNeedsTheAlertsCapability() throws {
        let parked = try harness.parkOnUnknownOutcome()
        #expect(try engine.presentOperatorConfirm(capabilityValue: nil, connection: sms, happened: true, at: clock(2))
                == .refused(reason: "no-request"))
        #expect(try engine.presentOperatorConfirm(capabilityValue: parked.alert.capabilityValue, connection: connection,
                                                  happened: true, at: clock(2)) == .refused(reason: "foreign"))
        #expect(try engine.ledgerEntry(parked.ticket.idempotencyKey)?.state == .unknown)
    }

    // MARK: Lookups that failed until the retry policy gave up

    /// A lookup connection's send at 01:00 whose answer was lost, and a refused lookup at 01:01.
    func lookupRefused() throws -> ActionTicket {
        _ = try harness.loseFirstAnswer(on: connection, sentAt: clock(1))
        let start = try engine.beginAction(harness.mutation(on: connection, attempt: 2), at: clock(1, 1))
        guard case .lookUp(let ticket) = start else {
            Issue.record("a settled unknown send on a lookup connection is looked up, got \(start)")
            throw CancellationError()
        }
        guard case .retryLater = try engine.lookupFailed(ticket, at: clock(1, 1)) else {
            Issue.record("a refused lookup is retried later")
            throw CancellationError()
        }
        return ticket
    }

    @Test("When the retry policy gives up on an unknown action, the run parks for an operator (rule lookups-failed)")
    func escalationParksWhileUnknown() throws {
        let ticket = try lookupRefused()
        let mark = timeline.transitions.count
        let verdict = try engine.escalateUnknownOutcome(ticket, at: clock(1, 5))
        let (recoveryCase, alert) = try #require(verdict?.parked, "got \(String(describing: verdict))")
        #expect(recoveryCase.classification.failureClass == .outcomeUnknown)
        #expect(recoveryCase.classification.rule == "lookups-failed")
        #expect(alert.kind == .confirmOutcome)
        #expect(timeline.names(since: mark) == ["failure.classified", "case.opened", "run.parked", "operator.alerted"])
        #expect(timeline.named("failure.classified").last?.note("rule") == "lookups-failed")
        #expect(try engine.ledgerEntry(ticket.idempotencyKey)?.state == .unknown, "the ledger never calls it failed")
    }

    @Test("Escalation returns nil, and records nothing, once the outcome is known")
    func escalationIsNilOnceKnown() throws {
        let ticket = try lookupRefused()
        _ = try engine.recordLookup(.absent, for: ticket, at: clock(1, 2))
        let mark = timeline.transitions.count
        #expect(try engine.escalateUnknownOutcome(ticket, at: clock(1, 5)) == nil)
        #expect(timeline.transitions.count == mark)
    }

    @Test("Escalation returns nil for an action that was never sent, and for a read")
    func escalationIsNilWithoutAnUnknownSend() throws {
        let ticket = try #require(try engine.beginAction(harness.mutation(on: connection, attempt: 1), at: clock(1)).callTicket)
        #expect(try engine.escalateUnknownOutcome(ticket, at: clock(1, 1)) == nil)
        var read = harness.mutation(on: connection, attempt: 1)
        read.mutating = false
        read.action = ActionKey("read-inbox")
        let readTicket = try #require(try engine.beginAction(read, at: clock(1)).callTicket)
        #expect(try engine.escalateUnknownOutcome(readTicket, at: clock(1, 1)) == nil)
        #expect(timeline.named("case.opened").isEmpty)
    }

    // MARK: A dedupe key past its retention

    @Test("A dedupe connection resends the same key within its retention and asks an operator from the first send's retention on")
    func dedupeKeyRetentionBoundary() throws {
        let first = try harness.loseFirstAnswer(on: payments, sentAt: clock(1))
        let within = try engine.beginAction(harness.mutation(on: payments, attempt: 2), at: clock(2).advanced(by: Span(milliseconds: -1)))
        #expect(within.callTicket?.idempotencyKey == first.idempotencyKey, "got \(within)")
        #expect(timeline.named("case.opened").isEmpty)
        let past = try engine.beginAction(harness.mutation(on: payments, attempt: 3), at: clock(2))
        let (recoveryCase, alert) = try #require(past.parked, "got \(past)")
        #expect(recoveryCase.classification.failureClass == .outcomeUnknown)
        #expect(recoveryCase.classification.rule == "key-retention-passed")
        #expect(alert.kind == .confirmOutcome)
        #expect(timeline.named("operator.alerted").last?.note("ask") == "confirm-outcome")
    }

    @Test("The retention counts from the first send, not from a resend within it")
    func dedupeRetentionCountsFromTheFirstSend() throws {
        _ = try harness.loseFirstAnswer(on: payments, sentAt: clock(1))
        // A resend at 01:50 with the same key, whose answer is lost as well.
        let resend = try #require(try engine.beginAction(harness.mutation(on: payments, attempt: 2), at: clock(1, 50)).callTicket)
        #expect(try engine.clearForSend(resend, at: clock(1, 50)) == .allowed)
        _ = try engine.finishAction(resend, .noAnswer, at: clock(1, 50).advanced(by: .seconds(30)))
        #expect(try engine.ledgerEntry(resend.idempotencyKey)?.firstSentAt == clock(1))
        let start = try engine.beginAction(harness.mutation(on: payments, attempt: 3), at: clock(2, 1))
        let (recoveryCase, _) = try #require(start.parked, "11 minutes after the resend but past the first send's retention: \(start)")
        #expect(recoveryCase.classification.rule == "key-retention-passed")
    }
}

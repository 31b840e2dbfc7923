import Testing
@testable import Revive
import ReviveVocabulary

// Helpers for the `outcome_unknown` tests: connections whose provider promises less than a
// lookup, and a mutating action driven through the engine's public action API.

extension EngineHarness {
    /// A provider with no lookup and no dedupe; a request may land up to 10 minutes after its caller's deadline.
    static let sms = ConnectionRecord(
        id: ConnectionID("conn-sms-ada"), provider: .generic, broker: .nango, ownerAddress: "ada@acme.example",
        pinnedIdentity: ProviderIdentity(subject: "sms-ada", tenant: "acme"), scopes: ["sms:send"],
        idempotency: IdempotencyPromise(mode: .none, settleAfter: .minutes(10)))
    /// A provider that collapses requests with the same key, and keeps a key for 1 hour.
    static let payments = ConnectionRecord(
        id: ConnectionID("conn-pay-ada"), provider: .generic, broker: .nango, ownerAddress: "ada@acme.example",
        pinnedIdentity: ProviderIdentity(subject: "pay-ada", tenant: "acme"), scopes: ["charges:write"],
        idempotency: IdempotencyPromise(mode: .dedupe, keyRetention: .hours(1)))

    /// A harness with the Slack (lookup), SMS (none) and payments (dedupe) connections registered.
    static func withWeakPromises() throws -> EngineHarness {
        let harness = try EngineHarness()
        try harness.engine.register(EngineHarness.sms)
        try harness.engine.register(EngineHarness.payments)
        return harness
    }

    /// Attempt `attempt` of the mutating step `send-notice` of run-1 on `connection`, with a 30 s call timeout.
    func mutation(on connection: ConnectionID, attempt: Int, worker: String = "worker-a") -> ActionRequest {
        ActionRequest(run: RunID("run-1"), action: ActionKey("send-notice"), attempt: attempt, worker: WorkerID(worker),
                      checkpoint: "cp-3", connection: connection, mutating: true, callTimeout: .seconds(30))
    }

    /// Begins attempt 1 at `sentAt`, sends it, and loses its answer at the caller's deadline (30 s later).
    func loseFirstAnswer(on connection: ConnectionID, sentAt: Instant, sourceLocation: SourceLocation = #_sourceLocation) throws -> ActionTicket {
        let ticket = try #require(try engine.beginAction(mutation(on: connection, attempt: 1), at: sentAt).callTicket,
                                  sourceLocation: sourceLocation)
        #expect(try engine.clearForSend(ticket, at: sentAt) == .allowed, sourceLocation: sourceLocation)
        let verdict = try engine.finishAction(ticket, .noAnswer, at: sentAt.advanced(by: .seconds(30)))
        guard case .retryLater(let classification) = verdict else {
            Issue.record("a lost answer is retried later, got \(verdict)", sourceLocation: sourceLocation)
            return ticket
        }
        #expect(classification.failureClass == .transient, sourceLocation: sourceLocation)
        #expect(try engine.ledgerEntry(ticket.idempotencyKey)?.state == .unknown, sourceLocation: sourceLocation)
        return ticket
    }

    /// A send on the SMS connection at 01:00 whose answer was lost, and the retry at 01:01 that
    /// parks the run on an `outcome_unknown` case.
    func parkOnUnknownOutcome(sourceLocation: SourceLocation = #_sourceLocation) throws
        -> (ticket: ActionTicket, recoveryCase: RecoveryCase, alert: ReconnectRequest) {
        let ticket = try loseFirstAnswer(on: EngineHarness.sms.id, sentAt: clock(1), sourceLocation: sourceLocation)
        let start = try engine.beginAction(mutation(on: EngineHarness.sms.id, attempt: 2), at: clock(1, 1))
        let (recoveryCase, alert) = try #require(start.parked, "expected the run to park, got \(start)", sourceLocation: sourceLocation)
        return (ticket, recoveryCase, alert)
    }

    /// When the SMS send of `parkOnUnknownOutcome` can no longer land: 01:00 + 30 s + 10 min.
    static let smsSettlesAt = clock(1, 10).advanced(by: .seconds(30))
}

extension ActionStart {
    var callTicket: ActionTicket? {
        if case .call(let ticket) = self { return ticket }
        return nil
    }

    var parked: (RecoveryCase, ReconnectRequest)? {
        if case .parked(let recoveryCase, let request) = self { return (recoveryCase, request) }
        return nil
    }
}

extension ActionVerdict {
    var parked: (RecoveryCase, ReconnectRequest)? {
        if case .parked(let recoveryCase, let request) = self { return (recoveryCase, request) }
        return nil
    }
}

extension Transition {
    /// The value of the note named `name`, if any.
    func note(_ name: String) -> String? { notes.first(where: { $0.name == name })?.value }
}

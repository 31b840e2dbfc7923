import Testing
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// `outcome_unknown` played in the simulated world (beyond the shipped goldens): answers that come
/// too early or by the wrong path leave the run parked, and nothing is resent before a valid answer.
@Suite("Plays: outcome_unknown answers")
struct OutcomeUnknownPlayTests {
    typealias S = ScenarioText

    /// conn_ops with no lookup, whose provider may apply a request up to 10 minutes after its caller's deadline.
    static let noLookup = #"""
        [{"id": "conn_ops", "provider": "microsoft", "broker": "nango", "owner": "ops@contoso.example",
          "subject": "oid-4f1c", "tenant": "tid-contoso", "idempotency": "none", "settleAfter": "10m"}]
        """#

    /// The send's request is dropped; `events` answer the operator's alert.
    static func play(events: [String]) throws -> ScenarioResult {
        let faults = #""faults": [{"at": {"step": "send-briefing", "point": "before-call"}, "fault": "drop-request"}]"#
        let text = S.make(connections: noLookup, extra: [faults, #""events": [\#(events.joined(separator: ", "))]"#])
        return ScenarioPlayer.play(try ScenarioLoader.load(text: text, file: S.file))
    }

    static func confirm(after: String, happened: Bool) -> String {
        #"{"on": "operator.alerted", "after": "\#(after)", "do": "operator-confirm", "connection": "conn_ops", "happened": \#(happened)}"#
    }

    /// Calls of the send step.
    static func sends(_ result: ScenarioResult) -> Int {
        result.transitions.filter { $0.name == .providerCalled && $0.step == "send-briefing" }.count
    }

    @Test func notSentTooEarlyIsRefusedAndTheRunStaysParked() throws {
        let result = try Self.play(events: [Self.confirm(after: "1m", happened: false)])
        #expect(result.outcome == .parked)
        #expect(result.transitions.contains { $0.name == .capabilityRefused && $0.reason == "may-still-land" })
        #expect(!result.transitions.contains { $0.name == .caseResolved })
        #expect(Self.sends(result) == 1, "nothing is resent before a valid answer")
        // The engine did what the contract asks (refuse, keep the run parked); the refused answer
        // answered nothing, so liveness does not blame the run.
        #expect(result.breaches.isEmpty, "\(result.breaches)")
    }

    @Test func notSentAskedAgainOnceTheSendSettledResumesAndSendsOnce() throws {
        let result = try Self.play(events: [Self.confirm(after: "1m", happened: false), Self.confirm(after: "20m", happened: false)])
        #expect(result.outcome == .completed)
        #expect(result.effects.first(where: { $0.step == ActionKey("send-briefing") })?.count == 1)
        #expect(Self.sends(result) == 2)
        let keys = Set(result.transitions.filter { $0.name == .providerCalled && $0.step == "send-briefing" }.compactMap(\.key))
        #expect(keys.count == 1, "the resend carries the same key: \(keys)")
        #expect(result.breaches.isEmpty, "\(result.breaches)")
    }

    @Test func anOperatorFixDoesNotAnswerTheOutcome() throws {
        let fix = #"{"on": "operator.alerted", "after": "20m", "do": "operator-fix", "connection": "conn_ops"}"#
        let result = try Self.play(events: [fix])
        #expect(result.outcome == .parked)
        #expect(result.transitions.contains { $0.name == .capabilityRefused && $0.reason == "needs-outcome-answer" })
        #expect(Self.sends(result) == 1)
        #expect(result.breaches.isEmpty, "\(result.breaches)")
    }

    @Test func anOwnersReconnectDoesNotAnswerTheOutcome() throws {
        let reconnect = #"{"on": "operator.alerted", "after": "20m", "do": "reconnect", "connection": "conn_ops", "subject": "oid-4f1c", "tenant": "tid-contoso"}"#
        let result = try Self.play(events: [reconnect])
        #expect(result.outcome == .parked)
        #expect(result.transitions.contains { $0.name == .capabilityRefused && $0.reason == "needs-operator" })
        #expect(!result.transitions.contains { $0.name == .leaseRotated })
        #expect(Self.sends(result) == 1)
        #expect(result.breaches.isEmpty, "an owner's reconnect does not answer an operator's case: \(result.breaches)")
    }

    @Test func theAlertAsksTheOperatorToConfirmTheOutcome() throws {
        let result = try Self.play(events: [])
        let alert = try #require(result.transitions.first { $0.name == .operatorAlerted })
        #expect(alert.failureClass == .outcomeUnknown)
        #expect(alert.notes.contains(Transition.Note("ask", "confirm-outcome")))
        #expect(result.firstClassification == .transient, "the lost answer is classified first; the outcome question comes on the retry")
        let classes = result.transitions.filter { $0.name == .failureClassified }.compactMap(\.failureClass)
        #expect(classes.last == .outcomeUnknown)
        #expect(!result.transitions.contains { $0.name == .reconnectRequested }, "the owner is not asked")
    }
}

import Testing
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// The scenario format's `operator-confirm` event and `expect.providerBreaches`, read by the loader:
/// what loads, and the one problem (with its key path) each mistake gives.
@Suite("ScenarioLoader: operator-confirm and providerBreaches")
struct OutcomeScenarioFormatTests {
    typealias S = ScenarioText

    /// The scenario with one `events` entry.
    static func withEvent(_ event: String) -> String { S.make(extra: [#""events": [\#(event)]"#]) }

    /// The scenario with one `expect` object.
    static func withExpect(_ expect: String) -> String { S.make(extra: [#""expect": \#(expect)"#]) }

    @Test(arguments: [true, false])
    func operatorConfirmLoadsWithItsAnswer(_ happened: Bool) throws {
        let text = Self.withEvent(#"{"on": "operator.alerted", "after": "20m", "do": "operator-confirm", "connection": "conn_ops", "happened": \#(happened)}"#)
        let scenario = try ScenarioLoader.load(text: text, file: S.file)
        let event = try #require(scenario.events.first)
        guard case .operatorConfirm(let connection, let answer) = event.action else {
            Issue.record("expected an operator-confirm action, got \(event.action)")
            return
        }
        #expect(connection == ConnectionID("conn_ops"))
        #expect(answer == happened)
        guard case .on(let transition, let after) = event.trigger else {
            Issue.record("expected an \"on\" trigger, got \(event.trigger)")
            return
        }
        #expect(transition == .operatorAlerted)
        #expect(after == .minutes(20))
    }

    @Test func operatorConfirmWithoutHappenedNamesTheKey() {
        let found = S.problems(Self.withEvent(#"{"at": "+5m", "do": "operator-confirm", "connection": "conn_ops"}"#))
        #expect(found.map(\.path) == ["events[0].happened"])
        #expect(found.first?.message == #"missing required key for "operator-confirm""#)
    }

    @Test(arguments: [#""yes""#, "1", "null", "[true]"])
    func operatorConfirmWithANonBooleanHappenedNamesTheKey(_ value: String) throws {
        let found = S.problems(Self.withEvent(#"{"at": "+5m", "do": "operator-confirm", "connection": "conn_ops", "happened": \#(value)}"#))
        #expect(found.map(\.path) == ["events[0].happened"])
        let message = try #require(found.first?.message)
        #expect(message.hasPrefix("expected true or false, found "), "\(message)")
    }

    @Test func operatorConfirmWithoutAConnectionNamesTheKey() {
        let found = S.problems(Self.withEvent(#"{"at": "+5m", "do": "operator-confirm", "happened": true}"#))
        #expect(found.map(\.path) == ["events[0].connection"])
        #expect(found.first?.message == #"missing required key for "operator-confirm""#)
    }

    @Test func operatorConfirmOnAnUnknownConnectionNamesTheKey() throws {
        let found = S.problems(Self.withEvent(#"{"at": "+5m", "do": "operator-confirm", "connection": "conn_sms", "happened": true}"#))
        #expect(found.map(\.path) == ["events[0].connection"])
        #expect(try #require(found.first?.message).contains("conn_sms"))
    }

    @Test(arguments: [
        (#"{"at": "+5m", "do": "operator-fix", "connection": "conn_ops", "happened": true}"#, #""operator-fix" takes no "happened"; it takes connection"#),
        (#"{"at": "+5m", "do": "reconnect", "connection": "conn_ops", "subject": "oid-4f1c", "tenant": "tid-contoso", "happened": false}"#,
         #""reconnect" takes no "happened"; it takes connection, subject, tenant"#),
        (#"{"at": "+5m", "do": "start-worker", "worker": "worker-b", "happened": true}"#, #""start-worker" takes no "happened"; it takes worker"#),
    ])
    func happenedOnAnotherEventKindNamesTheKey(_ event: String, _ message: String) {
        let found = S.problems(Self.withEvent(event))
        #expect(found.map(\.path) == ["events[0].happened"])
        #expect(found.first?.message == message)
    }

    @Test func theEventKindsListOperatorConfirm() throws {
        let found = S.problems(Self.withEvent(#"{"at": "+5m", "do": "operator-answer", "connection": "conn_ops"}"#))
        #expect(found.map(\.path) == ["events[0].do"])
        #expect(try #require(found.first?.message).contains("operator-confirm"))
    }

    // MARK: expect.providerBreaches

    @Test func providerBreachesLoad() throws {
        let scenario = try ScenarioLoader.load(text: Self.withExpect(#"{"providerBreaches": ["late-apply"]}"#), file: S.file)
        #expect(scenario.expect.providerBreaches == [.lateApply])
        let none = try ScenarioLoader.load(text: Self.withExpect(#"{"outcome": "completed"}"#), file: S.file)
        #expect(none.expect.providerBreaches == nil)
    }

    @Test func anUnknownProviderBreachNamesItsIndex() throws {
        let found = S.problems(Self.withExpect(#"{"providerBreaches": ["late-apply", "early-apply"]}"#))
        #expect(found.map(\.path) == ["expect.providerBreaches[1]"])
        let message = try #require(found.first?.message)
        #expect(message.contains(#""early-apply" is not a provider breach"#), "\(message)")
        #expect(message.contains("late-apply"), "the message lists the known breaches: \(message)")
    }

    @Test func anInvariantIsNotAProviderBreach() {
        let found = S.problems(Self.withExpect(#"{"providerBreaches": ["effect-once"]}"#))
        #expect(found.map(\.path) == ["expect.providerBreaches[0]"])
    }

    @Test(arguments: [#""late-apply""#, "true", #"{"late-apply": 1}"#])
    func providerBreachesMustBeAList(_ value: String) throws {
        let found = S.problems(Self.withExpect(#"{"providerBreaches": \#(value)}"#))
        #expect(found.map(\.path) == ["expect.providerBreaches"])
        #expect(try #require(found.first?.message).contains("expected a list of provider breach names"))
    }
}

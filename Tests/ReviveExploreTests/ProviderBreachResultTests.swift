import Testing
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// A play's verdict on provider breaches: a late apply fails the scenario unless its
/// `expect.providerBreaches` names it, and naming one that does not happen fails it too.
struct ProviderBreachResultTests {
    static func lateApply() throws -> Scenario { try ExplorerTests.shipped("late-apply-breaks-provider-bound") }

    @Test func theShippedLateApplyScenarioPassesBecauseItNamesTheBreach() throws {
        let result = ScenarioPlayer.play(try Self.lateApply())
        #expect(result.providerBreaches.map(\.kind) == [.lateApply])
        #expect(result.breaches.isEmpty, "the double send is the provider's, not effect-once's: \(result.breaches)")
        #expect(result.failedExpectations.isEmpty, "\(result.failedExpectations)")
        #expect(result.passed)
    }

    @Test func aLateApplyNotNamedInExpectFailsThePlay() throws {
        var scenario = try Self.lateApply()
        scenario.expect.providerBreaches = nil
        let result = ScenarioPlayer.play(scenario)
        #expect(!result.passed)
        #expect(result.breaches.isEmpty)
        #expect(result.failedExpectations.count == 1, "\(result.failedExpectations)")
        let failure = try #require(result.failedExpectations.first)
        #expect(failure.hasPrefix("provider breach late-apply: the provider applied send-briefing's request 1m after its declared bound"), "\(failure)")
        #expect(failure.contains("name it in expect.providerBreaches"), "\(failure)")
    }

    @Test func anEmptyListNamesNoBreach() throws {
        var scenario = try Self.lateApply()
        scenario.expect.providerBreaches = []
        let result = ScenarioPlayer.play(scenario)
        #expect(!result.passed)
        #expect(result.failedExpectations.contains { $0.hasPrefix("provider breach late-apply: ") }, "\(result.failedExpectations)")
    }

    @Test func aNamedBreachThatDoesNotHappenFailsThePlay() throws {
        var scenario = try Self.lateApply()
        scenario.faults = []
        var expect = Expectations()
        expect.providerBreaches = [.lateApply]
        scenario.expect = expect
        let result = ScenarioPlayer.play(scenario)
        #expect(result.providerBreaches.isEmpty)
        #expect(result.failedExpectations == ["expect.providerBreaches: expected the provider to break late-apply, but it kept its promise"])
        #expect(!result.passed)
    }

    @Test func aScenarioWithoutLateApplyHasNoProviderBreach() throws {
        let result = ScenarioPlayer.play(try ExplorerTests.shipped("timeout-after-mutation"))
        #expect(result.providerBreaches.isEmpty)
        #expect(result.passed)
    }

    @Test func theLateEffectIsMarkedOnTheTimeline() throws {
        let result = ScenarioPlayer.play(try Self.lateApply())
        let effects = result.transitions.filter { $0.name == .effectApplied }
        #expect(effects.count == 2)
        #expect(effects.map { $0.notes.first(where: { $0.name == "late" })?.value } == [nil, "1m"],
                "the resend lands on time, the first request 1m past its bound")
        #expect(result.providerBreaches.first?.evidence == result.transitions.indices.filter { result.transitions[$0].name == .effectApplied })
    }
}

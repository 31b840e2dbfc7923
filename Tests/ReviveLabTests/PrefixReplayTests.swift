import Foundation
import Testing
import Revive
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// The replayed prefix (format 2, LangGraph): `Command(resume)` re-runs the interrupted node from
/// its start. With Revive its replayed call carries the rotated generation; without Revive it
/// calls the dead grant again before `interrupt()` hands the node the reconnected grant.
struct PrefixReplayTests {
    static let name = "langgraph-resume-replays-prefix"

    static func scenario(format: Int = 2) throws -> Scenario {
        var text = try String(contentsOf: GoldenTests.scenarioDirectory.appendingPathComponent(name + ".json"), encoding: .utf8)
        if format == 1 { text = text.replacingOccurrences(of: #""format": 2"#, with: #""format": 1"#) }
        return try ScenarioLoader.load(text: text, file: "scenarios/\(name).json")
    }

    static func note(_ t: Transition, _ name: String) -> String? { t.notes.first(where: { $0.name == name })?.value }

    /// The transitions after the run resumed.
    static func afterResume(_ result: ScenarioResult) throws -> ArraySlice<Transition> {
        let resumed = try #require(result.transitions.firstIndex { $0.name == .runResumed })
        return result.transitions[(resumed + 1)...]
    }

    @Test func withReviveTheReplayedCallCarriesTheRotatedGeneration() throws {
        let result = ScenarioPlayer.play(try PrefixReplayTests.scenario(), mode: .revive)
        #expect(result.passed, "\(result.breaches) \(result.failedExpectations)")
        let after = try PrefixReplayTests.afterResume(result)
        let calls = after.filter { $0.name == .providerCalled }
        #expect(calls.count == 1, "one call: the replay, which succeeds")
        let replay = try #require(calls.first)
        #expect(PrefixReplayTests.note(replay, "replay") == "prefix")
        #expect(replay.generation == 2)
        #expect(result.transitions.contains { $0.name == .leaseRotated && $0.time <= replay.time })
        #expect(!after.contains { $0.name == .providerFailed })
        #expect(result.effects.first { $0.step.rawValue == "send-briefing" }?.count == 1)
    }

    @Test func withoutReviveTheReplayCallsTheDeadGrantAgainThenTheResumeValue() throws {
        let result = ScenarioPlayer.play(try PrefixReplayTests.scenario(), mode: .withoutRevive)
        let parkedCall = try #require(result.transitions.last { $0.name == .providerCalled && $0.time <= (result.transitions.first { $0.name == .runParked }?.time ?? .zero) })
        let after = Array(try PrefixReplayTests.afterResume(result)).filter { [.providerCalled, .providerFailed, .effectApplied].contains($0.name) }
        #expect(after.map(\.name) == [.providerCalled, .providerFailed, .providerCalled, .effectApplied], "\(after.map(\.name))")
        guard after.count == 4 else { return }
        // The node still holds the credential it called with before interrupt(): the same lease.
        #expect(PrefixReplayTests.note(after[0], "replay") == "prefix")
        #expect(after[0].lease == parkedCall.lease)
        #expect(PrefixReplayTests.note(after[1], "error") == "invalid_grant")
        #expect(after[1].attempt == after[0].attempt)
        // interrupt() returned the resume value; the node calls again with the reconnected grant.
        #expect(PrefixReplayTests.note(after[2], "after") == "interrupt()")
        #expect(after[2].lease != parkedCall.lease && after[2].attempt == after[0].attempt)
        #expect(result.breaches.contains { $0.invariant == .noDeadRetry && $0.evidence.contains { result.transitions[$0].lease == after[0].lease && PrefixReplayTests.note(result.transitions[$0], "replay") == "prefix" } })
    }

    @Test(arguments: [RecoveryMode.revive, RecoveryMode.withoutRevive])
    func formatOneShowsNoReplay(_ mode: RecoveryMode) throws {
        let result = ScenarioPlayer.play(try PrefixReplayTests.scenario(format: 1), mode: mode)
        #expect(!result.transitions.contains { PrefixReplayTests.note($0, "replay") != nil || PrefixReplayTests.note($0, "after") != nil })
        let afterResume = try PrefixReplayTests.afterResume(result)
        #expect(!afterResume.contains { $0.name == .providerFailed }, "format 1 keeps the lab's original resume")
    }
}

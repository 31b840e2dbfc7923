import Foundation
import Testing

/// `run --without-revive` (the naive baseline) and `compare` (Revive and the baseline side by side).
struct CompareCommandTests {
    /// A seed story and the invariant the naive baseline breaks in it.
    struct Story: Sendable, CustomTestStringConvertible {
        let name: String
        let breaks: String
        let message: String
        var testDescription: String { "\(name) → \(breaks)" }
    }

    static let stories = [
        Story(name: "revoked-grant", breaks: "no-dead-retry", message: "with a generation already classified a dead grant"),
        Story(name: "wrong-tenant-reconnect", breaks: "identity-bound",
              message: "reconnect.verified for conn_microsoft_ops as oid-9a77@tid-fabrikam, but the pinned identity is oid-4f1c@tid-contoso"),
        Story(name: "timeout-after-mutation", breaks: "effect-once", message: "the idempotency key of send-briefing changed"),
        Story(name: "worker-loss", breaks: "durable-case", message: "was lost with its worker"),
    ]

    @Test func withoutReviveATimeoutAfterAMutationSendsTwiceAndFails() throws {
        let result = try Lab.run(["run", "scenarios/timeout-after-mutation.json", "--without-revive"])
        #expect(result.status == 1, "\(result.summary)")
        #expect(!result.showsCrash)
        #expect(result.stdout.contains("\n   effects     send-briefing=2"), "\(result.summary)")
        #expect(result.stdout.contains("\n   verdict     FAIL\n"))
        #expect(result.stdout.contains("\n   breach      effect-once: the effect of send-briefing happened again at the provider\n"),
                "\(result.summary)")
        #expect(result.stdout.contains("   WITHOUT REVIVE: a naive integration handles failures"))
        #expect(result.stdout.contains("   reproduce   revive-lab run scenarios/timeout-after-mutation.json --seed 7 --without-revive\n"))
        #expect(result.stdoutLines.last == "0 passed, 1 failed")
        let effects = result.stdoutLines.filter { $0.hasPrefix("+") && $0.contains(" effect.applied ") }
        #expect(effects.count == 2, "two sends reach the provider: \(effects)")
    }

    @Test func withReviveTheSameScenarioSendsOnce() throws {
        let result = try Lab.run(["run", "scenarios/timeout-after-mutation.json"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains("\n   effects     send-briefing=1 (expected 1)\n"))
    }

    @Test(arguments: CompareCommandTests.stories)
    func compareShowsRevivePassingAndTheBaselineBreaking(story: Story) throws {
        let result = try Lab.run(["compare", "scenarios/\(story.name).json"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.showsCrash)
        #expect(result.stderr.isEmpty)
        #expect(result.stdoutLines.first == "== \(story.name)  (scenarios/\(story.name).json), seed 7, langgraph")
        let rows = Formats.compareRows(result.stdoutLines)
        #expect(rows[""]?.with == "with Revive" && rows[""]?.without == "without Revive", "\(result.summary)")
        #expect(rows["verdict"]?.with == "PASS", "\(result.summary)")
        #expect(rows["verdict"]?.without.hasSuffix(" broken") == true, "\(result.summary)")
        let broken = try #require(rows[story.breaks], "a row for \(story.breaks): \(result.summary)")
        #expect(broken.without.hasPrefix("BROKEN: "), "\(story.breaks) without Revive: \(broken.without)")
        #expect(broken.without.contains(story.message), "\(broken.without)")
    }

    @Test(arguments: CompareCommandTests.stories)
    func withReviveEveryInvariantRowSaysHeld(story: Story) throws {
        let result = try Lab.run(["compare", "scenarios/\(story.name).json"])
        #expect(result.status == 0, "\(result.summary)")
        let rows = Formats.compareRows(result.stdoutLines)
        for invariant in Formats.invariants {
            #expect(rows[invariant]?.with == "held", "\(story.name): \(invariant) with Revive: \(rows[invariant]?.with ?? "no row")")
        }
    }

    @Test func timeoutAfterMutationShowsOneEffectWithReviveAndTwoWithout() throws {
        let result = try Lab.run(["compare", "scenarios/timeout-after-mutation.json"])
        #expect(result.status == 0, "\(result.summary)")
        let rows = Formats.compareRows(result.stdoutLines)
        #expect(rows["effects send-briefing"]?.with == "1", "\(result.summary)")
        #expect(rows["effects send-briefing"]?.without == "2", "\(result.summary)")
        #expect(rows["effect-once"]?.without.hasPrefix("BROKEN") == true)
    }

    @Test func workerLossLosesTheBaselinesCaseButNotRevives() throws {
        let result = try Lab.run(["compare", "scenarios/worker-loss.json"])
        #expect(result.status == 0, "\(result.summary)")
        let rows = Formats.compareRows(result.stdoutLines)
        #expect(rows["durable-case"]?.with == "held")
        #expect(rows["durable-case"]?.without.hasPrefix("BROKEN: case ") == true, "\(rows["durable-case"]?.without ?? "no row")")
        #expect(rows["outcome"]?.with == "completed")
    }

    @Test func compareShowsTheReplayedPrefixAfterTheRotationAndOnTheDeadGrant() throws {
        let result = try Lab.run(["compare", "scenarios/langgraph-resume-replays-prefix.json"])
        #expect(result.status == 0, "\(result.summary)")
        let rows = Formats.compareRows(result.stdoutLines)
        #expect(rows["replayed prefix"]?.with == "gen 2, applied", "\(result.summary)")
        #expect(rows["replayed prefix"]?.without == "gen 1, invalid_grant", "\(result.summary)")
        #expect(rows["effects send-briefing"]?.with == "1" && rows["effects send-briefing"]?.without == "1")
        #expect(rows["no-dead-retry"]?.without.hasPrefix("BROKEN") == true)
    }

    @Test func compareShowsNoReplayRowWhereNoNodeResumed() throws {
        let result = try Lab.run(["compare", "scenarios/revoked-grant.json"])
        #expect(Formats.compareRows(result.stdoutLines)["replayed prefix"] == nil, "format 1 draws no replay: \(result.summary)")
    }

    @Test func compareReportsEveryStoryInOneRunSeparatedByABlankLine() throws {
        let paths = CompareCommandTests.stories.map { "scenarios/\($0.name).json" }
        let result = try Lab.run(["compare"] + paths)
        #expect(result.status == 0, "\(result.summary)")
        let headers = result.stdoutLines.filter { $0.hasPrefix("== ") }
        #expect(headers.count == 4)
        #expect(result.stdout.components(separatedBy: "\n\n== ").count == 4, "a blank line before each report but the first")
    }

    @Test func compareExitsOneWhenTheReviveRunFails() throws {
        let fixtures = try Fixtures()
        let failing = try JUnitFormatTests.failingCopy(in: fixtures)
        let result = try Lab.run(["compare", failing])
        #expect(result.status == 1, "\(result.summary)")
        #expect(Formats.compareRows(result.stdoutLines)["verdict"]?.with == "FAIL", "\(result.summary)")
    }
}

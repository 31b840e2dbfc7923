import Foundation
import Testing
@testable import Revive
@testable import ReviveCheck
@testable import ReviveExplore
@testable import ReviveLab
@testable import ReviveVocabulary
@testable import ReviveWorld

/// The explorer's proof: each planted engine bug is found from a shipped scenario within a stated
/// budget (exhaustive single faults at step points and at the instants around calls, at most 500 schedules, then at most 300 plays of shrinking)
/// and shrunk to a replayable repro of at most two added items; the real engine breaks nothing.
struct ExplorerTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shipped(_ name: String) throws -> Scenario {
        try ScenarioLoader.load(path: root.appendingPathComponent("scenarios/\(name).json").path)
    }

    /// Each planted bug, the invariant that must catch it, and the fault-free or faulted base it
    /// is found from (a bug that only shows inside a slow call needs a slow call to strike).
    static let bugs: [(bug: PlantedBug, invariant: Invariant, base: String)] = [
        (.skipReconciliation, .effectOnce, "revoked-grant"),
        (.noFencing, .effectOnce, "zombie-worker-fenced"),
        (.consumeBeforeVerify, .identityBound, "revoked-grant"),
        (.newRunOnResume, .sameRun, "revoked-grant"),
        (.resumeFromStart, .checkpointResume, "revoked-grant"),
        (.retryDeadGrant, .noDeadRetry, "revoked-grant"),
        (.rotateOnMismatch, .identityBound, "revoked-grant"),
        (.leakToken, .tokenCustody, "revoked-grant"),
        (.reconcileInFlight, .effectOnce, "slow-send-two-workers"),
    ]

    /// Bugs only a process death shows (a decision split over two commits): `explore --kill`
    /// proves them, in EndToEndTests/KillProofTests.
    static let killProofBugs: Set<PlantedBug> = [.splitReconnect]

    @Test func everyPlantedBugHasAProofCase() {
        #expect(Set(ExplorerTests.bugs.map(\.bug)).union(ExplorerTests.killProofBugs) == Set(PlantedBug.allCases))
    }

    @Test(arguments: ExplorerTests.bugs.map(\.bug))
    func plantedBugIsFoundShrunkAndReplayable(_ bug: PlantedBug) throws {
        let proof = try #require(ExplorerTests.bugs.first(where: { $0.bug == bug }))
        let invariant = proof.invariant
        let base = try ExplorerTests.shipped(proof.base)
        var options = ExploreOptions()
        options.plantedBugs = [bug]
        // Step points find every bug but the two that need a fault inside a call; the whole
        // time dimension for each is the long proof (README, "Tests").
        options.time = bug == .reconcileInFlight || bug == .noFencing
        let report = Explorer.explore(base, options: options)
        #expect(report.schedules <= 500, "the stated budget")
        let finding = try #require(report.findings.first(where: { $0.invariant == invariant }), "\(bug) must break \(invariant)")
        #expect(finding.minimal.items.count <= 2, "shrunk to a small repro: \(finding.minimal.summary)")
        #expect(finding.minimal.items.count <= finding.original.items.count)

        // The repro is a normal scenario file: it loads, and replays the breach with the bug planted.
        let text = ScenarioSchema.pretty(Explorer.reproDocument(for: finding, base: base), indent: 0)
        var repro = try ScenarioLoader.load(text: text, file: "repro.json")
        repro.recovery.plantedBugs = [bug]
        #expect(ScenarioPlayer.play(repro).breaches.contains { $0.invariant == invariant })
        repro.recovery.plantedBugs = []
        #expect(ScenarioPlayer.play(repro).breaches.isEmpty, "the real engine survives the same schedule")
    }

    /// One scenario per story: a dead grant, a lost worker, an unknown outcome, a zombie, two
    /// workers on a slow send. Every shipped scenario, with the time dimension, is the long proof
    /// `revive-lab explore scenarios` that `.ci/run` runs on the release build (README, "Tests").
    static let storyNames = ["revoked-grant", "worker-loss", "timeout-after-mutation", "zombie-worker-fenced", "slow-send-two-workers"]

    @Test(arguments: ExplorerTests.storyNames)
    func realEngineSurvivesEverySingleFaultOnEveryStory(_ name: String) throws {
        var options = ExploreOptions()
        options.time = false
        let report = Explorer.explore(try ExplorerTests.shipped(name), options: options)
        #expect(report.schedules > 0)
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.invariant.rawValue): \($0.minimal.summary)" })")
    }

    @Test(arguments: ["slow-send-two-workers", "in-flight-crash-waits-to-settle", "dedupe-conflict-while-processing", "slow-send-settles-after-deadline"])
    func realEngineSurvivesTheTimeDimension(_ name: String) throws {
        let report = Explorer.explore(try ExplorerTests.shipped(name), options: ExploreOptions().onlyTime())
        #expect(report.timeSchedules > 0)
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.invariant.rawValue): \($0.minimal.summary)" })")
    }

    /// 2,000 seeds on three scenarios is the long proof `.ci/run` runs (README, "Tests").
    @Test func realEngineSurvivesFuzzingWithHealing() throws {
        let name = "worker-loss"
        var options = ExploreOptions()
        options.seeds = 200
        options.liveness = true
        let report = Explorer.explore(try ExplorerTests.shipped(name), options: options)
        #expect(report.schedules == 200)
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.invariant.rawValue): \($0.minimal.summary)" })")
    }

    @Test func resultsDoNotDependOnJobs() throws {
        let base = try ExplorerTests.shipped("revoked-grant")
        var options = ExploreOptions()
        options.seeds = 120
        options.plantedBugs = [.skipReconciliation]
        let single = Explorer.explore(base, options: options)
        options.jobs = 3
        // Real threads, as `explore --jobs` runs them, and chunks in reverse order: neither the
        // interleaving nor the order of the chunks may change a result.
        options.runChunks = { count, body in DispatchQueue.concurrentPerform(iterations: count, execute: body) }
        let parallel = Explorer.explore(base, options: options)
        options.runChunks = { count, body in for chunk in (0..<count).reversed() { body(chunk) } }
        let reversed = Explorer.explore(base, options: options)
        for other in [parallel, reversed] {
            #expect(single.schedules == other.schedules)
            #expect(single.distinctTimelines == other.distinctTimelines)
            #expect(single.breachingSchedules == other.breachingSchedules)
            #expect(single.findings.map(\.minimal) == other.findings.map(\.minimal))
        }
    }

    @Test func aFuzzScheduleDependsOnItsSeedOnly() throws {
        let base = try ExplorerTests.shipped("worker-loss")
        #expect(Explorer.fuzzPlan(seed: 42, base: base) == Explorer.fuzzPlan(seed: 42, base: base))
        let plans = (1...50).map { Explorer.fuzzPlan(seed: UInt64($0), base: base) }
        #expect(Set(plans).count > 40, "seeds give varied schedules")
    }

    @Test func pairsFollowSinglesInExhaustiveMode() throws {
        let base = try ExplorerTests.shipped("revoked-grant")
        var options = ExploreOptions()
        options.time = false  // timed faults come as singles only, after the step-point schedules
        let singles = Explorer.plans(for: base, options: options)
        options.depth = 2
        let pairs = Explorer.plans(for: base, options: options)
        #expect(pairs.count == singles.count + singles.count * (singles.count - 1) / 2)
        #expect(Array(pairs.prefix(singles.count)) == singles)
    }

    @Test func livenessModeCatchesARunThatNeverResumes() throws {
        // With consume-before-verify, a colleague's reconnect uses up the capability; healing
        // brings the right owner, but the run can no longer complete.
        var options = ExploreOptions()
        options.liveness = true
        options.plantedBugs = [.consumeBeforeVerify]
        let report = Explorer.explore(try ExplorerTests.shipped("revoked-grant"), options: options)
        #expect(report.findings.contains { $0.invariant == .liveness })
    }
}

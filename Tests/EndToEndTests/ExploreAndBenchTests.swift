import Foundation
import Testing

/// `explore` and `bench` through the built (debug) binary.
struct ExploreAndBenchTests {
    /// A one-step scenario: small enough that exhaustive pairs stay quick in a debug build.
    static let tiny = """
    {"format": 1, "name": "tiny", "runtime": {"kind": "temporal", "workers": ["worker-a"]},
     "connections": [{"id": "c", "provider": "generic", "broker": "nango", "owner": "o@x.example", "subject": "s", "tenant": "t"}],
     "workflow": {"run": "r", "steps": [{"id": "post", "connection": "c", "effect": "mutation"}]}}
    """

    @Test func exploreOnTheRealEngineFindsNoBreach() throws {
        let result = try Lab.run(["explore", "scenarios/timeout-after-mutation.json"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains("schedules played    246 (162 at step points, 84 at instants around calls)"))
        #expect(result.stdout.contains("no breach: every invariant held on every schedule"))
    }

    @Test func aPlantedBugIsWrittenAsAReproThatReplaysWithRun() throws {
        let fixtures = try Fixtures()
        let out = fixtures.directory.appendingPathComponent("repro").path
        let explored = try Lab.run(["explore", "scenarios/zombie-worker-fenced.json", "--plant", "no-fencing", "--out", out])
        #expect(explored.status == 1, "\(explored.summary)")
        #expect(explored.stdout.contains("BREACH effect-once"))
        let repro = out + "/zombie-worker-fenced-repro-effect-once.json"
        #expect(explored.stdout.contains("reproduce         revive-lab run \(repro) --plant no-fencing"))
        let withBug = try Lab.run(["run", repro, "--plant", "no-fencing"])
        #expect(withBug.status == 1)
        #expect(withBug.stdout.contains("breach      effect-once"))
        let realEngine = try Lab.run(["run", repro])
        #expect(realEngine.status == 0, "the real engine survives the repro: \(realEngine.summary)")
    }

    @Test func fuzzingIsTheSameForAnyJobs() throws {
        let one = try Lab.run(["explore", "scenarios/worker-loss.json", "--seeds", "60", "--plant", "skip-reconciliation", "--out",
                               try Fixtures().directory.path])
        let two = try Lab.run(["explore", "scenarios/worker-loss.json", "--seeds", "60", "--jobs", "2", "--plant", "skip-reconciliation",
                               "--out", try Fixtures().directory.path])
        func stable(_ text: String) -> [String] {
            text.split(separator: "\n").map(String.init).filter { !$0.contains("time taken") && !$0.contains("jobs") && !$0.contains("reproduce") }
        }
        #expect(stable(one.stdout) == stable(two.stdout))
    }

    @Test(arguments: [["explore"], ["explore", "a.json", "b.json"], ["explore", "scenarios/revoked-grant.json", "--depth", "3"],
                      ["explore", "scenarios/revoked-grant.json", "--seeds", "x"], ["explore", "scenarios/revoked-grant.json", "--bogus"],
                      ["explore", "missing.json"], ["bench", "--seeds", "0"], ["bench", "--bogus"]])
    func badUsageExitsTwo(_ arguments: [String]) throws {
        let result = try Lab.run(arguments)
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout.isEmpty)
        #expect(!result.showsCrash)
    }

    @Test func benchPrintsEveryFigure() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("tiny.json", ExploreAndBenchTests.tiny)
        let result = try Lab.run(["bench", "scenarios", "--repetitions", "1", "--seeds", "20", "--explore", path,
                                  "--long-run", "40"])
        #expect(result.status == 0, "\(result.summary)")
        for fragment in ["scenarios/s", "transitions/s", "exhaustive single + pair faults", "schedules/s", "20 seeds", "peak memory",
                         "long run     203 transitions (40 steps)", "cold run     `revive-lab run scenarios`"] {
            #expect(result.stdout.contains(fragment), "bench prints \(fragment)")
        }
    }
}

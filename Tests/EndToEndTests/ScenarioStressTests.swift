import Foundation
import Testing

/// `stress PATH...`: real scenario plays in several OS processes on one store, with kills, and
/// the invariant checker over what they committed (docs/store.md).
@Suite(.serialized) struct ScenarioStressTests {
    /// A reconnect, a refresh, an operator's answer and a lost worker: each raced by three processes.
    static let scenarios = ["revoked-grant", "expired-access-token", "no-lookup-operator-says-sent", "worker-loss"].map { "scenarios/\($0).json" }

    static func stress(store: String, output: URL, extra: [String] = []) throws -> LabOutput {
        try Lab.run(["stress"] + scenarios + ["--store", store, "--processes", "3", "--runs", "12", "--kills", "2", "--seed", "5",
                                               "--output", output.path] + extra)
    }

    /// What every held scenario stress shows: the verdict, the JSONL of every process, shared connections.
    static func expectHeld(_ result: LabOutput, output: URL) throws {
        #expect(result.status == 0, "\(result.summary)")
        // A process may finish before its drawn kill point: the line counts the kills delivered.
        #expect(result.stdoutLines.last?.hasPrefix("3 processes, 12 runs, ") == true, "\(result.stdout)")
        #expect(result.stdout.contains(" kills: all invariants held"), "\(result.stdout)")
        #expect(result.stdout.contains(" decisions/s"), "\(result.stdout)")
        // Races and kills may change how a story ends (a run may end parked, its case open): the
        // invariants, not the outcomes, are what must hold.
        let runs = try #require(result.stdoutLines.first { $0.hasPrefix("  runs ") }, "\(result.stdout)")
        #expect(runs.contains(" completed, ") && runs.contains(" parked, "), "\(runs)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".jsonl") }
        for process in 0..<3 { #expect(files.contains("process-\(process)-0.jsonl"), "\(files)") }
        let text = try files.map { try String(contentsOf: output.appendingPathComponent($0), encoding: .utf8) }.joined()
        // The connections are the scenario's, shared by its plays; each play's run is its own.
        #expect(text.contains("\"connection\":\"revoked-grant/conn_microsoft_ops\""))
        #expect(text.contains("\"run\":\"revoked-grant/run_7f2#0\"") && text.contains("\"run\":\"revoked-grant/run_7f2#8\""))
    }

    @Test func scenarioStressHoldsEveryInvariantOnASQLiteFileWithKills() throws {
        let fixtures = try Fixtures()
        let output = fixtures.directory.appendingPathComponent("out")
        let result = try ScenarioStressTests.stress(store: fixtures.directory.appendingPathComponent("stress.db").path, output: output)
        try ScenarioStressTests.expectHeld(result, output: output)
    }

    @Test(.enabled(if: PostgresStoreTests.hasServer))
    func scenarioStressHoldsEveryInvariantOnPostgreSQLWithKills() throws {
        try PostgresTestDatabase.with { url in
            let fixtures = try Fixtures()
            let output = fixtures.directory.appendingPathComponent("out")
            try ScenarioStressTests.expectHeld(try ScenarioStressTests.stress(store: url, output: output), output: output)
        }
    }

    /// A planted engine bug that every play meets: the invariant checker runs over each run's
    /// timeline (resume-from-start re-runs saved steps) and over the committed decisions of every
    /// process together (a lease rotated to the wrong identity).
    @Test func aBreachInAStressTimelineIsReportedExit1() throws {
        let fixtures = try Fixtures()
        // Two scenarios in two processes share nothing, so no other play resumes a run first (which
        // would resume it from its own checkpoint, past the bug): each run meets it.
        let perRun = try Lab.run(["stress", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--plant", "resume-from-start",
                                  "--processes", "2", "--runs", "2",
                                  "--store", fixtures.directory.appendingPathComponent("a.db").path,
                                  "--output", fixtures.directory.appendingPathComponent("a").path])
        #expect(perRun.status == 1, "\(perRun.summary)")
        #expect(perRun.stdout.contains("BREACH: revoked-grant/run_7f2#0: checkpoint-resume: step read-calendar executes again"), "\(perRun.stdout)")
        #expect(perRun.stdoutLines.last?.hasPrefix("2 processes, 2 runs, 0 kills: ") == true && perRun.stdout.contains(" invariant breaches"))
        let merged = try Lab.run(["stress", "scenarios/wrong-tenant-reconnect.json", "scenarios/expired-access-token.json",
                                  "--plant", "rotate-on-mismatch", "--processes", "2",
                                  "--runs", "2", "--store", fixtures.directory.appendingPathComponent("b.db").path,
                                  "--output", fixtures.directory.appendingPathComponent("b").path])
        #expect(merged.status == 1, "\(merged.summary)")
        #expect(merged.stdout.contains("BREACH: committed decisions: identity-bound: lease.rotated for wrong-tenant-reconnect/conn_microsoft_ops"),
                "\(merged.stdout)")
    }

    @Test func aBadPathOrAnInvalidScenarioIsAUsageError() throws {
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("never.db").path
        let missing = try Lab.run(["stress", "scenarios/no-such-story.json", "--store", store])
        #expect(missing.status == 2, "\(missing.summary)")
        #expect(missing.stderr.contains("error: scenarios/no-such-story.json: no such file or directory"), "\(missing.stderr)")
        let bad = fixtures.directory.appendingPathComponent("bad.json")
        try Data("{ \"format\": 1, ".utf8).write(to: bad)
        let invalid = try Lab.run(["stress", bad.path, "--store", store])
        #expect(invalid.status == 2, "\(invalid.summary)")
        #expect(invalid.stderr.contains("\(bad.path): not valid JSON"), "\(invalid.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store), "a usage error starts nothing")
    }

    @Test func withoutAPathItPlaysTheShippedCatalogue() throws {
        let fixtures = try Fixtures()
        let result = try Lab.run(["stress", "--store", fixtures.directory.appendingPathComponent("c.db").path, "--processes", "2",
                                  "--runs", "3", "--output", fixtures.directory.appendingPathComponent("c").path])
        #expect(result.status == 0, "\(result.summary)")
        let count = try Lab.shippedScenarioNames().count
        #expect(result.stdoutLines.first?.contains(", \(count) scenario(s) from scenarios, ") == true, "\(result.stdout)")
        #expect(result.stdoutLines.last == "2 processes, 3 runs, 0 kills: all invariants held", "\(result.stdout)")
    }

    @Test func withoutAPathWhereThereIsNoCatalogueIsAUsageError() throws {
        let fixtures = try Fixtures()
        let result = try Lab.run(["stress", "--store", "never.db"], in: fixtures.directory)
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("no PATH given and no folder `scenarios` here") && result.stderr.contains("--contention"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixtures.directory.appendingPathComponent("never.db").path))
    }

    @Test func contentionTakesNoPath() throws {
        let result = try Lab.run(["stress", "--contention", "scenarios/revoked-grant.json", "--store", "/nonexistent/never.db"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("--contention plays its own workload"), "\(result.stderr)")
    }

    @Test func connectionsWithPathsIsAUsageError() throws {
        let result = try Lab.run(["stress", "scenarios/revoked-grant.json", "--connections", "2", "--store", "/nonexistent/never.db"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("--connections is for the contention workload only"), "\(result.stderr)")
    }
}

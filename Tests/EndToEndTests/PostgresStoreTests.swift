import Foundation
import Testing

/// The PostgreSQL store and `stress`, against the real server `.ci/run` starts
/// (`scripts/postgres-server.sh`), whose URL comes in `REVIVE_POSTGRES_URL`. Without it these
/// tests do not run, and one line says so; the checks that need no server run always.
///
/// Each test that writes gets a database of its own (`PostgresTestDatabase`): at SERIALIZABLE
/// isolation, `stress` in the same database could make a decision of the byte-identity test lose a
/// (false) race and retry, drawing fresh ids (docs/store.md); apart, they run side by side.
struct PostgresStoreTests {
    static let url = ProcessInfo.processInfo.environment["REVIVE_POSTGRES_URL"]
    static var hasServer: Bool { url != nil }

    @Test func withoutAServerTheSuiteSaysWhichTestsDidNotRun() {
        if !PostgresStoreTests.hasServer {
            print("note: the PostgreSQL store tests did not run (REVIVE_POSTGRES_URL is not set); run them with "
                + "eval \"$(scripts/postgres-server.sh start)\" && swift test")
        }
    }

    @Test func aURLWithAPasswordIsRefusedAndSaysWhereThePasswordGoes() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", "postgres://revive:hunter2@127.0.0.1:1/revive"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("PGPASSWORD"), "\(result.stderr)")
        #expect(!result.showsCrash)
    }

    @Test func aServerThatDoesNotAnswerIsAClearErrorExit2() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", "postgres://revive@127.0.0.1:1/revive"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("Connection refused") && result.stderr.contains("postgres-server.sh"), "\(result.stderr)")
    }

    @Test func aMissingLibpqIsAClearErrorExit2() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", "postgres://revive@127.0.0.1:1/revive"],
                                 environment: ["REVIVE_LIBPQ": "/nonexistent/libpq.so.5"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("cannot load PostgreSQL's client library libpq"), "\(result.stderr)")
    }

    @Test(.enabled(if: PostgresStoreTests.hasServer))
    func scenariosOnPostgreSQLGiveTheSameTimelinesAsInMemory() throws {
        try PostgresTestDatabase.with { url in try PostgresStoreTests.sameTimelines(url) }
    }

    static func sameTimelines(_ url: String) throws {
        let paths = StoreCommandTests.storyScenarios.map { "scenarios/\($0).json" }
        let memory = try Lab.run(["run", "--no-color"] + paths)
        let stored = try Lab.run(["run", "--no-color", "--store", url] + paths)
        #expect(stored.status == 0, "\(stored.summary)")
        #expect(stored.stdout == memory.stdout)
        let found = try Lab.run(["history", "--store", url, "--name", "lease.*", "--class", "dead_grant"])
        #expect(found.status == 0, "\(found.summary)")
        let listing = try Lab.run(["history", "--store", url])
        #expect(listing.stdoutLines.contains { $0.contains(" revoked-grant ") && $0.hasSuffix("PASS") }, "\(listing.stdout)")
    }

    @Test(.enabled(if: PostgresStoreTests.hasServer))
    func aWrongPasswordIsAnAuthenticationErrorExit2() throws {
        let url = try #require(PostgresStoreTests.url)
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", url], environment: ["PGPASSWORD": "wrong"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("authentication failed"), "\(result.stderr)")
    }

    @Test(.enabled(if: PostgresStoreTests.hasServer))
    func stressHoldsEveryInvariantOnPostgreSQLWithKills() throws {
        try PostgresTestDatabase.with { url in try PostgresStoreTests.stressHolds(url) }
    }

    static func stressHolds(_ url: String) throws {
        let fixtures = try Fixtures()
        let result = try Lab.run(["stress", "--contention", "--store", url, "--processes", "3", "--runs", "24", "--kills", "3", "--seed", "5",
                                  "--output", fixtures.directory.path])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdoutLines.last?.hasPrefix("3 processes, 24 runs, ") == true, "\(result.stdout)")
        #expect(result.stdout.contains("all invariants held"))
        let timelines = try FileManager.default.contentsOfDirectory(atPath: fixtures.directory.path).filter { $0.hasSuffix(".jsonl") }
        #expect(timelines.count >= 3, "every process keeps its timeline: \(timelines)")
    }

    /// `stress` with the planted split consumption, seed after seed, until it is caught: whether
    /// two processes present one capability at once is the operating system's scheduling, so the
    /// stated budget is five stress runs of 4 processes and 40 runs each (one has always been enough).
    static func stressUntilCaught(store: (Int) -> String, fixtures: Fixtures) throws -> LabOutput {
        var last: LabOutput?
        for seed in 1...5 {
            let result = try Lab.run(["stress", "--contention", "--store", store(seed), "--processes", "4", "--runs", "40", "--connections", "1",
                                      "--seed", String(seed), "--plant", "split-consumption",
                                      "--output", fixtures.directory.appendingPathComponent("out-\(seed)").path])
            if result.status != 0 { return result }
            last = result
        }
        return try #require(last)
    }

    /// Whether `stress` reported the split consumption: one capability consumed twice (the
    /// cross-process count), or a case completed by a second, superseded capability
    /// (`capability-single-use` over the merged decision log): which one shows depends on which
    /// two presentations met at the barrier.
    static func showsSplitConsumption(_ result: LabOutput) -> Bool {
        result.stdoutLines.contains { line in
            (line.hasPrefix("  BREACH: capability ") && line.contains(" was consumed "))
                || (line.hasPrefix("  BREACH: committed decisions: capability-single-use: capability "))
        }
    }
}

// The planted bugs caught under stress on PostgreSQL (split consumption, and refreshes without
// the single flight) need eight processes in real contention for many seconds: they are a long
// proof of their own, `scripts/prove-planted-stress.sh`, which `.ci/run` runs after `swift test`.

/// `stress` on a SQLite store file: one host, file locks; needs no server.
struct SQLiteStressTests {
    @Test func stressHoldsEveryInvariantOnASQLiteFileWithKills() throws {
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("stress.db").path
        let result = try Lab.run(["stress", "--contention", "--store", store, "--processes", "3", "--runs", "24", "--kills", "3", "--seed", "5",
                                  "--output", fixtures.directory.appendingPathComponent("out").path])
        #expect(result.status == 0, "\(result.summary)")
        // A process may finish before its drawn kill point: the line counts the kills delivered.
        #expect(result.stdoutLines.last?.hasPrefix("3 processes, 24 runs, ") == true, "\(result.stdout)")
        #expect(result.stdout.contains(" kills: all invariants held"), "\(result.stdout)")
    }

    @Test func stressCatchesSplitCapabilityConsumptionOnASQLiteFile() throws {
        let fixtures = try Fixtures()
        let result = try PostgresStoreTests.stressUntilCaught(store: { seed in
            fixtures.directory.appendingPathComponent("stress-\(seed).db").path
        }, fixtures: fixtures)
        #expect(result.status == 1, "\(result.summary)")
        #expect(PostgresStoreTests.showsSplitConsumption(result), "a capability consumed more than once: \(result.stdout)")
    }

    @Test func stressWithoutAStoreIsAUsageError() throws {
        let result = try Lab.run(["stress", "--processes", "2"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("--store"))
    }
}

import Foundation
import Testing

/// `run --store FILE` and `history --store FILE`: the engine's state in a real SQLite file, the
/// same timelines as in memory, and a history that `check` and `replay` take.
struct StoreCommandTests {
    /// Scenarios whose engine state covers every table: cases, capabilities and reminders, the
    /// ledger's unknown and reconciled states, refresh marks, lost workers, fencing. (`.ci/run`
    /// compares the whole catalogue: a disk sync per decision makes it too slow for the suite.)
    static let storyScenarios = ["revoked-grant", "worker-loss", "timeout-after-mutation", "expired-access-token",
                                 "zombie-worker-fenced", "owner-never-reconnects", "no-lookup-operator-says-sent"]

    @Test func scenariosOnAStoreFileGiveTheSameTimelinesAsInMemory() throws {
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("plays.db").path
        let paths = StoreCommandTests.storyScenarios.map { "scenarios/\($0).json" }
        let memory = try Lab.run(["run", "--no-color"] + paths)
        let stored = try Lab.run(["run", "--no-color", "--store", store] + paths)
        #expect(stored.status == 0, "\(stored.summary)")
        #expect(stored.stdout == memory.stdout)
        // A second run on the same file adds a play of the same run id without mixing them.
        let again = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", store, "--no-color"])
        #expect(again.stdout == (try Lab.run(["run", "scenarios/revoked-grant.json", "--no-color"])).stdout)
        let listing = try Lab.run(["history", "--store", store])
        #expect(listing.status == 0, "\(listing.summary)")
        let count = paths.count
        #expect(listing.stdoutLines.count == count + 2, "a header and one line per play")
        #expect(listing.stdoutLines.last?.hasPrefix("\(count + 1) ") == true)
        #expect(listing.stdoutLines.filter { $0.contains(" revoked-grant ") }.count == 2)
        #expect(listing.stdoutLines.dropFirst().allSatisfy { $0.hasSuffix("PASS") }, "\(listing.stdout)")
    }

    @Test func historyFindsAPlaysTransitionsByRunConnectionAndClass() throws {
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("plays.db").path
        _ = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/transient-503.json", "--store", store])
        let byClass = try Lab.run(["history", "--store", store, "--run", "run_7f2", "--connection", "conn_microsoft_ops",
                                   "--class", "dead_grant"])
        #expect(byClass.status == 0, "\(byClass.summary)")
        #expect(!byClass.stdoutLines.isEmpty)
        #expect(byClass.stdoutLines.allSatisfy { $0.hasPrefix("play 1 ") && $0.contains("class=dead_grant") }, "\(byClass.stdout)")
        #expect(byClass.stdoutLines.contains { $0.contains("case.opened") })
        let byName = try Lab.run(["history", "--store", store, "--name", "lease.*", "--until", "+1s"])
        #expect(!byName.stdoutLines.isEmpty)
        #expect(byName.stdoutLines.allSatisfy { $0.contains("lease.") }, "\(byName.stdout)")
        let none = try Lab.run(["history", "--store", store, "--run", "no-such-run"])
        #expect(none.status == 0)
        #expect(none.stdout == "no transition matches\n")
    }

    @Test func historysJSONLPassesCheckAndReplay() throws {
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("plays.db").path
        _ = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/transient-503.json", "--store", store])
        let exported = try Lab.run(["history", "--store", store, "--class", "dead_grant", "--format", "jsonl"])
        #expect(exported.status == 0, "\(exported.summary)")
        let recorded = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl"])
        #expect(exported.stdout == recorded.stdout, "only revoked-grant has a dead grant, exported whole")
        let path = try fixtures.write("history.jsonl", exported.stdout)
        let check = try Lab.run(["check", path])
        #expect(check.status == 0, "\(check.summary)")
        let replay = try Lab.run(["replay", path])
        #expect(replay.status == 0, "\(replay.summary)")
        #expect(replay.stdout.hasSuffix("transitions identically\n"))
    }

    @Test func aDamagedStoreFileIsAnInputErrorThatSaysWhatToDo() throws {
        let fixtures = try Fixtures()
        let notAStore = try fixtures.write("notes.db", String(repeating: "not a database\n", count: 400))
        let run = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", notAStore])
        #expect(run.status == 2, "\(run.summary)")
        #expect(run.stderr.contains("--store \(notAStore)") && run.stderr.contains("not an intact revive-lab store"), "\(run.stderr)")
        #expect(!run.showsCrash)
        let history = try Lab.run(["history", "--store", notAStore])
        #expect(history.status == 2)
        #expect(history.stderr.contains("not an intact revive-lab store"), "\(history.stderr)")
    }

    @Test func historyRefusesAMissingFileAndABadTime() throws {
        let fixtures = try Fixtures()
        let missing = fixtures.directory.appendingPathComponent("missing.db").path
        let result = try Lab.run(["history", "--store", missing])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no such store file"))
        #expect(!FileManager.default.fileExists(atPath: missing), "history never creates a store")
        let noStore = try Lab.run(["history"])
        #expect(noStore.status == 2)
        #expect(noStore.stderr.contains("--store FILE"))
        _ = try Lab.run(["run", "scenarios/revoked-grant.json", "--store", missing])
        let badTime = try Lab.run(["history", "--store", missing, "--since", "5m"])
        #expect(badTime.status == 2)
        #expect(badTime.stderr.contains("write it like +90s"))
    }
}

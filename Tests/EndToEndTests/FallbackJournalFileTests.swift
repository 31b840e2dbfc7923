import Foundation
import ReviveStore
import Testing

/// `run --store FILE` on a store outage: the local fallback's journal is a SQLite file beside the
/// store, written during the outage and empty once drained; the timeline is the one in memory.
struct FallbackJournalFileTests {
    @Test(arguments: ["store-outage-drains", "store-outage-reconnect-waits"])
    func anOutageOnAStoreFileJournalsBesideItAndDrainsIt(_ name: String) throws {
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("plays.db").path
        let scenario = "scenarios/\(name).json"
        let memory = try Lab.run(["run", "--no-color", scenario])
        let stored = try Lab.run(["run", "--no-color", "--store", store, scenario])
        #expect(stored.status == 0, "\(stored.summary)")
        #expect(stored.stdout == memory.stdout)
        let journalPath = SQLiteFallbackJournal.path(besideStore: store)
        #expect(FileManager.default.fileExists(atPath: journalPath))
        let journal = try SQLiteDatabase(path: journalPath, create: false)
        #expect(try journal.query("SELECT count(*) FROM entries").first?.first?.integer == 0, "no undrained entry is left")
        // Every journal=N on the timeline went through the file: its highest number is the file's.
        let numbers = stored.stdout.matches(of: /journal=(?:\d+-)?(\d+)/).compactMap { Int64($0.output.1) }
        #expect(numbers.max() ?? 0 >= 1)
        #expect(try journal.query("SELECT last FROM numbers WHERE play = 1").first?.first?.integer == numbers.max())
    }

    @Test func aPlayWithoutAnOutageLeavesNoJournalFile() throws {
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("plays.db").path
        let stored = try Lab.run(["run", "--no-color", "--store", store, "scenarios/revoked-grant.json"])
        #expect(stored.status == 0, "\(stored.summary)")
        #expect(!FileManager.default.fileExists(atPath: SQLiteFallbackJournal.path(besideStore: store)))
    }

    @Test func aJournalLeftBesideADeletedStoreDoesNotCarryIntoTheNextStore() throws {
        // The store is deleted and made again, its journal file is not: the new store's play 1 is
        // another play, which the old entries and numbers must not touch.
        let fixtures = try Fixtures()
        let store = fixtures.directory.appendingPathComponent("plays.db").path
        let scenario = "scenarios/store-outage-drains.json"
        let first = try Lab.run(["run", "--no-color", "--store", store, scenario])
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        let second = try Lab.run(["run", "--no-color", "--store", store, scenario])
        #expect(second.status == 0, "\(second.summary)")
        #expect(second.stdout == first.stdout, "the same journal numbers as on a fresh file")
    }
}

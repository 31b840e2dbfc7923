import Foundation
import Revive
import ReviveStore
import ReviveVocabulary
import Testing

/// A process that decided on its replica while the store was away dies; the next one builds its
/// fallback from nothing but the store file and the journal file, and drains what it finds.
@Suite struct FallbackTakeoverTests {
    let folder = TemporaryFolder()

    /// The first process: registers while the store answers, then sends during an outage (journaled).
    func journalDuringAnOutage(store path: String) throws -> (play: Int64, journaled: [JournalEntry]) {
        let file = try SQLiteStoreFile(path: path)
        let shared = SwitchedStore(try file.beginPlay(scenario: "store-outage", seed: 1, mode: "revive"))
        let journal = try SQLiteFallbackJournal(path: SQLiteFallbackJournal.path(besideStore: path), play: 1)
        let engine = RecoveryEngine(store: shared, ids: Counter(), broker: QuietBroker(), recorder: Recorder(),
                                    fallback: LocalFallback(replica: InMemoryRecoveryStore(), journal: journal))
        try engine.register(Fixture.mail)
        shared.down = true
        guard case .call(let ticket) = try engine.beginAction(Fixture.request(), at: Instant(milliseconds: 10)) else { throw CancellationError() }
        #expect(try engine.clearForSend(ticket, at: Instant(milliseconds: 10)) == .allowed)
        #expect(try engine.finishAction(ticket, .succeeded, at: Instant(milliseconds: 20)) == .completed)
        return (1, journal.entries)
    }

    @Test func theNextProcessRebuildsItsFallbackFromTheStoreFileAndTheJournalFile() throws {
        let path = folder.file()
        let (play, journaled) = try journalDuringAnOutage(store: path)
        #expect(journaled.count >= 2)
        let journalPath = SQLiteFallbackJournal.path(besideStore: path)
        let file = try SQLiteStoreFile(path: path)
        let journal = try SQLiteFallbackJournal(path: journalPath, play: play)
        #expect(journal.entries == journaled, "the journal outlived its process")
        let shared = SwitchedStore(SQLiteRecoveryStore.resume(play: play, in: file))
        shared.down = true
        let recorder = Recorder()
        let engine = RecoveryEngine(store: shared, ids: Counter(), broker: QuietBroker(), recorder: recorder,
                                    fallback: try file.resumeFallback(of: play, journal: journal))
        // Still away: the replica answers, with the journaled send on top of the file's records.
        #expect(try engine.ledgerEntry(FallbackJournalTests.key)?.state == .committed)
        shared.down = false
        #expect(try engine.drainJournal(at: Instant(milliseconds: 60_000)) == journaled.count)
        #expect(recorder.names == ["store.drained"])
        #expect(try SQLiteRecoveryStore.resume(play: play, in: file).transaction { (tx) throws(RecoveryStoreError) in
            try tx.ledgerEntry(FallbackJournalTests.key)?.state
        } == .committed)
        #expect(try SQLiteFallbackJournal(path: journalPath, play: play).entries.isEmpty, "a drained entry is gone from the file")
    }

    @Test func aDrainTheJournalNeverHeardOfIsForgottenFromTheStoresDecisionLog() throws {
        let path = folder.file()
        let (play, journaled) = try journalDuringAnOutage(store: path)
        let file = try SQLiteStoreFile(path: path)
        let journalPath = SQLiteFallbackJournal.path(besideStore: path)
        let engine = RecoveryEngine(store: SQLiteRecoveryStore.resume(play: play, in: file), ids: Counter(), broker: QuietBroker(),
                                    recorder: Recorder(),
                                    fallback: try file.resumeFallback(of: play, journal: try SQLiteFallbackJournal(path: journalPath, play: play)))
        try engine.drainJournal(at: Instant(milliseconds: 60_000))
        // The process dies between the drain's commit and the journal's delete: the file still lists them.
        let stale = try SQLiteFallbackJournal(path: journalPath, play: play)
        for entry in journaled { try stale.append(entry) }
        let next = try file.resumeFallback(of: play, journal: try SQLiteFallbackJournal(path: journalPath, play: play))
        #expect(next.pending.isEmpty, "the store's newest decision is the drain: nothing is drained twice")
        #expect(try SQLiteFallbackJournal(path: journalPath, play: play).entries.isEmpty)
    }
}

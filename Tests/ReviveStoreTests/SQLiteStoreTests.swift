import Foundation
import Revive
import ReviveStore
import ReviveVocabulary
import Testing

/// The SQLite store through the engine's public API and the store protocol: durable across a
/// restart, all-or-nothing per decision, and loud about damage.
@Suite struct SQLiteStoreTests {
    let folder = TemporaryFolder()

    /// Parks a run on a revoked grant in a fresh play of `path`; returns the request sent.
    func parkOnRevokedGrant(_ path: String) throws -> ReconnectRequest {
        let file = try SQLiteStoreFile(path: path)
        let store = try file.beginPlay(scenario: "revoked-grant", seed: 1, mode: "revive")
        let engine = RecoveryEngine(store: store, ids: Counter(), broker: QuietBroker(), recorder: Recorder())
        try engine.register(Fixture.mail)
        guard case .call(let ticket) = try engine.beginAction(Fixture.request(), at: .zero) else {
            Issue.record("a fresh action is called")
            throw CancellationError()
        }
        _ = try engine.clearForSend(ticket, at: .zero)
        guard case .parked(_, let request) = try engine.finishAction(ticket, .failed(Fixture.revoked), at: Instant(milliseconds: 100)) else {
            Issue.record("a revoked grant parks the run")
            throw CancellationError()
        }
        return request
    }

    @Test func aParkedRunSurvivesARestartOnTheSameFile() throws {
        let path = folder.file()
        let request = try parkOnRevokedGrant(path)
        // A new process: nothing but the file. Its ids come from its own source.
        let reopened = try SQLiteStoreFile(path: path)
        let store = SQLiteRecoveryStore.resume(play: 1, in: reopened)
        let broker = QuietBroker()
        let engine = RecoveryEngine(store: store, ids: Counter(), broker: broker, recorder: Recorder())
        #expect(try engine.currentGeneration(of: Fixture.mail.id) == .first)
        let outcome = try engine.presentReconnect(capabilityValue: request.capabilityValue,
                                                  grant: PendingGrant(id: "g2", connection: Fixture.mail.id, identity: Fixture.pinned),
                                                  at: Instant(milliseconds: 600_000))
        guard case .verified(_, let run, let checkpoint, let generation) = outcome else {
            Issue.record("the durable case accepts the owner's reconnect after a restart, got \(outcome)")
            return
        }
        #expect(run == RunID("run_7f2"))
        #expect(checkpoint == "ckpt-0002")
        #expect(generation.value == 2)
        #expect(broker.installed.map(\.value) == [2])
        // The capability was consumed durably: a second presentation, in a third process, is refused.
        let third = RecoveryEngine(store: SQLiteRecoveryStore.resume(play: 1, in: try SQLiteStoreFile(path: path)),
                                   ids: Counter(), broker: QuietBroker(), recorder: Recorder())
        let again = try third.presentReconnect(capabilityValue: request.capabilityValue,
                                               grant: PendingGrant(id: "g3", connection: Fixture.mail.id, identity: Fixture.pinned),
                                               at: Instant(milliseconds: 700_000))
        #expect(again == .refused(reason: "already-used"))
    }

    @Test func aDecisionThatThrowsKeepsNothing() throws {
        let file = try SQLiteStoreFile(path: folder.file())
        let store = try file.beginPlay(scenario: "s", seed: 1, mode: "revive")
        let failure = RecoveryStoreError.conflict("test")
        #expect(throws: failure) {
            try store.transaction { (tx) throws(RecoveryStoreError) in
                try tx.save(Fixture.mail)
                try tx.setGeneration(LeaseGeneration(recorded: 3)!, of: Fixture.mail.id)
                throw failure
            }
        }
        let (connection, generation) = try store.transaction { (tx) throws(RecoveryStoreError) in
            (try tx.connection(Fixture.mail.id), try tx.generation(of: Fixture.mail.id))
        }
        #expect(connection == nil)
        #expect(generation == .first)
        #expect(try store.committedDecisions() == 1, "only the reading decision was logged")
    }

    @Test func playsInOneFileKeepTheirRowsApart() throws {
        let file = try SQLiteStoreFile(path: folder.file())
        let first = try file.beginPlay(scenario: "a", seed: 1, mode: "revive")
        let second = try file.beginPlay(scenario: "a", seed: 1, mode: "revive")
        try first.transaction { (tx) throws(RecoveryStoreError) in try tx.save(Fixture.mail) }
        let seen = try second.transaction { (tx) throws(RecoveryStoreError) in try tx.connection(Fixture.mail.id) }
        #expect(seen == nil)
        #expect(first.play != second.play)
    }

    @Test func aDecisionChangedBehindTheStoresBackIsCaughtOnOpen() throws {
        let path = folder.file()
        _ = try parkOnRevokedGrant(path)
        try Fixture.tamper(path, "UPDATE decisions SET body = '[]' WHERE seq = 2")
        #expect {
            _ = try SQLiteStoreFile(path: path)
        } throws: { error in
            guard let error = error as? RecoveryStoreError else { return false }
            return error.code == .corrupt && error.message.contains("digest chain at decision 2")
        }
    }

    @Test func aDeletedDecisionIsCaughtOnOpen() throws {
        let path = folder.file()
        _ = try parkOnRevokedGrant(path)
        try Fixture.tamper(path, "DELETE FROM decisions WHERE seq = 1")
        #expect(throws: RecoveryStoreError.self) { _ = try SQLiteStoreFile(path: path) }
    }

    @Test func aRecordChangedBehindTheStoresBackIsCorruptOnRead() throws {
        let path = folder.file()
        let request = try parkOnRevokedGrant(path)
        try Fixture.tamper(path, "UPDATE cases SET record = replace(record, 'oid-4f1c', 'oid-evil')")
        let engine = RecoveryEngine(store: SQLiteRecoveryStore.resume(play: 1, in: try SQLiteStoreFile(path: path)),
                                    ids: Counter(), broker: QuietBroker(), recorder: Recorder())
        #expect {
            _ = try engine.presentReconnect(capabilityValue: request.capabilityValue,
                                            grant: PendingGrant(id: "g", connection: Fixture.mail.id, identity: Fixture.pinned),
                                            at: Instant(milliseconds: 1_000))
        } throws: { error in
            (error as? RecoveryStoreError)?.code == .corrupt
        }
    }

    @Test func aFileWrittenByANewerSchemaIsRefused() throws {
        let path = folder.file()
        _ = try SQLiteStoreFile(path: path)
        try Fixture.tamper(path, "PRAGMA user_version = 7")
        #expect {
            _ = try SQLiteStoreFile(path: path)
        } throws: { error in
            (error as? RecoveryStoreError)?.message.contains("schema 7, newer than this revive-lab reads (2)") == true
        }
    }

    @Test func aFileThatIsNotAStoreIsRefusedNotEmptied() throws {
        let path = folder.file("notes.txt")
        let text = String(repeating: "these are my notes, not a database\n", count: 200)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try SQLiteStoreFile(path: path)
        } throws: { error in
            (error as? RecoveryStoreError)?.code == .corrupt
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func aStoreHeldByAnotherWriterIsAConflict() throws {
        let path = folder.file()
        _ = try SQLiteStoreFile(path: path)
        let other = try SQLiteDatabase(path: path, create: false)
        try other.execute("BEGIN IMMEDIATE")
        defer { try? other.execute("ROLLBACK") }
        let file = try SQLiteStoreFile(path: path, busyTimeoutMilliseconds: 0)
        #expect {
            _ = try file.beginPlay(scenario: "s", seed: 1, mode: "revive")
        } throws: { error in
            guard let error = error as? RecoveryStoreError else { return false }
            return error.code == .conflict && error.message.contains("another process holds the store file")
        }
    }
}

import Foundation
import Revive
import ReviveStore
import ReviveVocabulary

/// A fresh temporary folder for one test's store files, removed when the test is done with it.
final class TemporaryFolder {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("revive-store-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String = "store.db") -> String { (path as NSString).appendingPathComponent(name) }
}

/// Ids, a broker and a recorder for an engine over a store file: deterministic, no clock.
final class Counter: IdentifierSource {
    private var count = 0
    func nextID(prefix: String) -> String { count += 1; return "\(prefix)\(count)" }
    func nextSecret(prefix: String) -> String { count += 1; return "\(prefix)secret-\(count)" }
}

final class QuietBroker: CredentialBroker {
    private(set) var installed: [LeaseGeneration] = []
    func refresh(_ connection: ConnectionID, generation: LeaseGeneration, rotatingTo next: LeaseGeneration) -> ProviderSignal? { nil }
    func install(_ grant: PendingGrant, generation: LeaseGeneration) { installed.append(generation) }
    func discard(_ grant: PendingGrant) {}
}

final class Recorder: TransitionRecorder {
    private(set) var transitions: [Transition] = []
    func record(_ transition: consuming Transition) { transitions.append(transition) }
    var names: [String] { transitions.map(\.name.rawValue) }
}

enum Fixture {
    static let pinned = ProviderIdentity(subject: "oid-4f1c", tenant: "tid-contoso")
    static let mail = ConnectionRecord(id: ConnectionID("conn_mail"), provider: .microsoft, broker: .nango,
                                       ownerAddress: "ops@contoso.example", pinnedIdentity: pinned, scopes: ["Mail.Send"])
    static let revoked = ProviderSignal(status: 400, error: "invalid_grant", description: "AADSTS50173: the grant was revoked")

    static func request(worker: String = "worker-a", attempt: Int = 1) -> ActionRequest {
        ActionRequest(run: RunID("run_7f2"), action: ActionKey("send-briefing"), attempt: attempt, worker: WorkerID(worker),
                      checkpoint: "ckpt-0002", connection: mail.id, mutating: true)
    }

    /// Runs a raw statement on the file behind the store's back (as damage would).
    static func tamper(_ path: String, _ sql: String) throws {
        let database = try SQLiteDatabase(path: path, create: false)
        try database.execute(sql)
    }
}

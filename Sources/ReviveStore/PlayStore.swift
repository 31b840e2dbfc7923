import Revive
import ReviveVocabulary

/// A store of plays, whichever database holds it: what `run --store` and `history --store` use.
public protocol PlayStore: AnyObject {
    /// Where it is: a file path or a PostgreSQL URL (never with a password).
    var location: String { get }
    /// Starts a play and returns the engine's store for it, with the play's id.
    func startPlay(scenario: String, seed: UInt64, mode: String) throws(RecoveryStoreError) -> (store: RecoveryStore, play: Int64)
    /// Keeps a finished play's whole timeline, outcome and JSONL record.
    func recordPlay(_ play: Int64, transitions: [Transition], outcome: String, passed: Bool, jsonl: String) throws(RecoveryStoreError)
    /// Every play, oldest first.
    func plays() throws(RecoveryStoreError) -> [StoredPlay]
    /// The transitions that match, in play then timeline order.
    func history(_ query: HistoryQuery) throws(RecoveryStoreError) -> [(play: Int64, seq: Int, transition: Transition)]
    /// A finished play's JSONL record (nil: not finished).
    func jsonl(of play: Int64) throws(RecoveryStoreError) -> String?
}

/// Opens the store a `--store` value names.
public enum PlayStores {
    /// A `postgres://` or `postgresql://` URL opens PostgreSQL (loading libpq from `libpqPath`, or
    /// the usual names); anything else is a SQLite store file.
    public static func open(_ location: String, libpqPath: String? = nil) throws(RecoveryStoreError) -> PlayStore {
        if PostgresURL.isPostgres(location) {
            return try PostgresStore(url: try PostgresURL(location), libraryPath: libpqPath)
        }
        return try SQLiteStoreFile(path: location)
    }
}

extension SQLiteStoreFile: PlayStore {
    public var location: String { path }

    public func startPlay(scenario: String, seed: UInt64, mode: String) throws(RecoveryStoreError) -> (store: RecoveryStore, play: Int64) {
        let store = try beginPlay(scenario: scenario, seed: seed, mode: mode)
        return (store, store.play)
    }
}

extension PostgresStore: PlayStore {
    public func startPlay(scenario: String, seed: UInt64, mode: String) throws(RecoveryStoreError) -> (store: RecoveryStore, play: Int64) {
        let store = try beginPlay(scenario: scenario, seed: seed, mode: mode)
        return (store, store.play)
    }
}

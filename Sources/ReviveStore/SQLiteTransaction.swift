import Revive

/// The SQLite store's decisions use the shared record tables (`RecordTransaction`) on its file.
typealias SQLiteTransaction = RecordTransaction

extension RecordTransaction {
    /// A decision's transaction on a SQLite store's file and play.
    convenience init(store: SQLiteRecoveryStore) { self.init(session: store.file, play: store.play) }
}

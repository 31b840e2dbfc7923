import Revive
import ReviveVocabulary

/// One play kept in a store file.
public struct StoredPlay: Hashable, Sendable {
    /// The play id.
    public var id: Int64
    /// The scenario's name.
    public var scenario: String
    /// The seed it was played with.
    public var seed: UInt64
    /// `revive` (the baseline keeps no engine state, so it is never stored).
    public var mode: String
    /// How the run ended (nil: the play never finished, for example its process was killed).
    public var outcome: String?
    /// Whether every expectation and invariant held (nil: not finished).
    public var passed: Bool?
    /// The runs its timeline names.
    public var runs: [String]
    /// How many transitions its history keeps.
    public var transitions: Int
}

/// What `history` searches for; every field set must match (exact, except `name`, a glob).
public struct HistoryQuery: Sendable {
    public var play: Int64?
    public var run: String?
    public var connection: String?
    public var caseID: String?
    public var failureClass: String?
    /// A transition name or a glob (`lease.*`).
    public var name: String?
    public var since: Instant?
    public var until: Instant?

    /// Matches everything.
    public init() {}

    /// Whether no field is set.
    public var isEmpty: Bool {
        play == nil && run == nil && connection == nil && caseID == nil && failureClass == nil && name == nil && since == nil && until == nil
    }
}

/// The searchable history: every transition of every play, and each finished play's record.
extension SQLiteStoreFile {
    /// Keeps a finished play: its whole timeline in `history` (the engine's transitions and the
    /// world's), its outcome and its JSONL record, in one transaction.
    public func recordPlay(_ play: Int64, transitions: [Transition], outcome: String, passed: Bool, jsonl: String) throws(RecoveryStoreError) {
        try run("recording the play's history") { () throws(SQLiteError) in
            try database.writeTransaction { () throws(SQLiteError) in
                for (seq, t) in transitions.enumerated() {
                    try database.query("""
                        INSERT INTO history (play, seq, time_ms, name, actor, run, step, connection, case_id, class, record)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.integer(play), .integer(Int64(seq)), .integer(t.time.milliseconds), .text(t.name.rawValue),
                              .text(t.actor.rawValue), .optional(t.run), .optional(t.step), .optional(t.connection),
                              .optional(t.caseID), .optional(t.failureClass?.rawValue), .text(RecordCodec.text(t))])
                }
                try database.query("UPDATE plays SET outcome = ?, passed = ?, jsonl = ? WHERE id = ?",
                                   [.text(outcome), .integer(passed ? 1 : 0), .text(jsonl), .integer(play)])
            }
        }
    }

    /// Every play in the file, oldest first.
    public func plays() throws(RecoveryStoreError) -> [StoredPlay] {
        try run("listing the plays") { () throws(SQLiteError) -> [StoredPlay] in
            try database.query(StoredPlay.listing(runs: "group_concat(DISTINCT run)")).map(StoredPlay.init(row:))
        }
    }

    /// The transitions that match, in play then timeline order, each with its play and sequence number.
    public func history(_ query: HistoryQuery) throws(RecoveryStoreError) -> [(play: Int64, seq: Int, transition: Transition)] {
        let filter = query.whereClause(nameMatch: "name GLOB ?")
        let rows = try run("searching the history") { () throws(SQLiteError) in
            try database.query("SELECT play, seq, record FROM history\(filter.sql) ORDER BY play, seq", filter.values)
        }
        return try HistoryRows.transitions(rows, source: path)
    }

    /// A finished play's JSONL record, as `run --format jsonl` wrote it (nil: not finished).
    public func jsonl(of play: Int64) throws(RecoveryStoreError) -> String? {
        try run("reading a play's record") { () throws(SQLiteError) in
            try database.query("SELECT jsonl FROM plays WHERE id = ?", [.integer(play)]).first?.first?.text
        }
    }
}

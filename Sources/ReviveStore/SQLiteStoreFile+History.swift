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
            let rows = try database.query("""
                SELECT p.id, p.scenario, p.seed, p.mode, p.outcome, p.passed,
                       (SELECT group_concat(DISTINCT run) FROM history h WHERE h.play = p.id AND h.run IS NOT NULL),
                       (SELECT count(*) FROM history h WHERE h.play = p.id)
                FROM plays p ORDER BY p.id
                """)
            return rows.map { row in
                StoredPlay(id: row[0].integer ?? 0, scenario: row[1].text ?? "", seed: UInt64(bitPattern: row[2].integer ?? 0),
                           mode: row[3].text ?? "", outcome: row[4].text, passed: row[5].integer.map { $0 != 0 },
                           runs: (row[6].text ?? "").split(separator: ",").map(String.init).sorted(),
                           transitions: Int(row[7].integer ?? 0))
            }
        }
    }

    /// The transitions that match, in play then timeline order, each with its play and sequence number.
    public func history(_ query: HistoryQuery) throws(RecoveryStoreError) -> [(play: Int64, seq: Int, transition: Transition)] {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        func add(_ condition: String, _ value: SQLiteValue?) {
            guard let value else { return }
            conditions.append(condition)
            values.append(value)
        }
        add("play = ?", query.play.map { .integer($0) })
        add("run = ?", query.run.map { .text($0) })
        add("connection = ?", query.connection.map { .text($0) })
        add("case_id = ?", query.caseID.map { .text($0) })
        add("class = ?", query.failureClass.map { .text($0) })
        add("name GLOB ?", query.name.map { .text($0) })
        add("time_ms >= ?", query.since.map { .integer($0.milliseconds) })
        add("time_ms <= ?", query.until.map { .integer($0.milliseconds) })
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try run("searching the history") { () throws(SQLiteError) in
            try database.query("SELECT play, seq, record FROM history\(filter) ORDER BY play, seq", values)
        }
        var result: [(play: Int64, seq: Int, transition: Transition)] = []
        for row in rows {
            guard let play = row[0].integer, let seq = row[1].integer, let text = row[2].text else {
                throw .corrupt("\(path): a history row has the wrong types")
            }
            result.append((play, Int(seq), try RecordCodec.transition(text)))
        }
        return result
    }

    /// A finished play's JSONL record, as `run --format jsonl` wrote it (nil: not finished).
    public func jsonl(of play: Int64) throws(RecoveryStoreError) -> String? {
        try run("reading a play's record") { () throws(SQLiteError) in
            try database.query("SELECT jsonl FROM plays WHERE id = ?", [.integer(play)]).first?.first?.text
        }
    }
}

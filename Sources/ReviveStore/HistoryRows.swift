import Revive
import ReviveVocabulary

/// What both stores share to search the history: the query as SQL, the plays' listing, the rows read back.
extension HistoryQuery {
    /// The search as a WHERE clause over `history` and its values; a transition name matches with
    /// `nameMatch` (SQLite's `name GLOB ?`, PostgreSQL's `name LIKE ?`) against `namePattern(name)`.
    func whereClause(nameMatch: String, namePattern: (String) -> String = { $0 }) -> (sql: String, values: [SQLiteValue]) {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        func add(_ condition: String, _ value: SQLiteValue?) {
            guard let value else { return }
            conditions.append(condition)
            values.append(value)
        }
        add("play = ?", play.map { .integer($0) })
        add("run = ?", run.map { .text($0) })
        add("connection = ?", connection.map { .text($0) })
        add("case_id = ?", caseID.map { .text($0) })
        add("class = ?", failureClass.map { .text($0) })
        add(nameMatch, name.map { .text(namePattern($0)) })
        add("time_ms >= ?", since.map { .integer($0.milliseconds) })
        add("time_ms <= ?", until.map { .integer($0.milliseconds) })
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), values)
    }
}

extension StoredPlay {
    /// The listing query, with the database's aggregate of a play's distinct run ids.
    static func listing(runs aggregate: String) -> String {
        """
        SELECT p.id, p.scenario, p.seed, p.mode, p.outcome, p.passed,
               (SELECT \(aggregate) FROM history h WHERE h.play = p.id AND h.run IS NOT NULL),
               (SELECT count(*) FROM history h WHERE h.play = p.id)
        FROM plays p ORDER BY p.id
        """
    }

    /// A row of `listing`.
    init(row: [SQLiteValue]) {
        self.init(id: row[0].integer ?? 0, scenario: row[1].text ?? "", seed: UInt64(bitPattern: row[2].integer ?? 0),
                  mode: row[3].text ?? "", outcome: row[4].text, passed: row[5].integer.map { $0 != 0 },
                  runs: (row[6].text ?? "").split(separator: ",").map(String.init).sorted(),
                  transitions: Int(row[7].integer ?? 0))
    }
}

enum HistoryRows {
    /// `SELECT play, seq, record FROM history` rows as transitions; a row of the wrong types is corrupt.
    static func transitions(_ rows: [[SQLiteValue]], source: String) throws(RecoveryStoreError) -> [(play: Int64, seq: Int, transition: Transition)] {
        var result: [(play: Int64, seq: Int, transition: Transition)] = []
        for row in rows {
            guard let play = row[0].integer, let seq = row[1].integer, let text = row[2].text else {
                throw .corrupt("\(source): a history row has the wrong types")
            }
            result.append((play, Int(seq), try RecordCodec.transition(text)))
        }
        return result
    }
}

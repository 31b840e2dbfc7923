import Revive

/// What the record tables need from a database connection, SQLite's or PostgreSQL's: run one
/// statement with `?` parameters and say how many rows it changed.
///
/// The tables, their columns and every statement the engine's records go through are the same on
/// both (`RecordTransaction`); only the connection, the transaction control and the decision log
/// differ. Statements use the syntax both databases share (`INSERT … ON CONFLICT … DO UPDATE`,
/// `?N` parameters, which PostgreSQL's connection renumbers as `$N`).
protocol StoreSession: AnyObject {
    /// Where the store is, for messages: a file path, or a URL (which never holds a password).
    var location: String { get }
    /// Runs one statement and returns its rows.
    @discardableResult
    func rows(_ sql: String, _ values: [SQLiteValue], doing: String) throws(RecoveryStoreError) -> [[SQLiteValue]]
    /// Runs one INSERT, UPDATE or DELETE and returns how many rows it changed.
    func changed(_ sql: String, _ values: [SQLiteValue], doing: String) throws(RecoveryStoreError) -> Int
}

extension SQLiteStoreFile: StoreSession {
    @discardableResult
    func rows(_ sql: String, _ values: [SQLiteValue], doing: String) throws(RecoveryStoreError) -> [[SQLiteValue]] {
        try run(doing) { () throws(SQLiteError) in try database.query(sql, values) }
    }

    func changed(_ sql: String, _ values: [SQLiteValue], doing: String) throws(RecoveryStoreError) -> Int {
        try run(doing) { () throws(SQLiteError) in
            try database.query(sql, values)
            return database.changes
        }
    }
}

/// The upsert both databases understand, built once per table and cached by the caller's text.
enum Upsert {
    /// `INSERT INTO table (play, keys…, columns…) VALUES (?, …) ON CONFLICT (play, keys…) DO UPDATE SET column = excluded.column, …`
    static func statement(_ table: String, keys: [String], columns: [String]) -> String {
        let all = ["play"] + keys + columns
        let placeholders = Array(repeating: "?", count: all.count).joined(separator: ", ")
        let updates = columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return "INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(placeholders)) "
            + "ON CONFLICT (\((["play"] + keys).joined(separator: ", "))) DO UPDATE SET \(updates)"
    }
}

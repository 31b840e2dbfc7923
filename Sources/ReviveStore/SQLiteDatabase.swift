import CSQLite

/// A failure of the SQLite library, with its result code and message.
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQLite's extended result code.
    public let code: Int32
    /// SQLite's message, with what was being done.
    public let message: String

    /// The primary result code (the low byte of the extended one).
    public var primary: Int32 { code & 0xFF }

    public var description: String { "\(message) (SQLite code \(code))" }
}

/// One SQLite connection: open, execute, prepare. With `SQLiteLibrary`, the only file in the store that speaks SQLite's C API.
///
/// Prepared statements are cached by their SQL text: every engine decision runs the same few
/// dozen statements, and preparing them once is most of SQLite's speed.
public final class SQLiteDatabase {
    private let sqlite: SQLiteLibrary
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The path it was opened at.
    public let path: String

    /// Opens (creating if `create`) the database file at `path`, read-write.
    public init(path: String, create: Bool = true) throws(SQLiteError) {
        self.path = path
        sqlite = try SQLiteLibrary.shared.get()
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        let status = sqlite.open(path, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let message = handle.flatMap { sqlite.errmsg($0) }.map { String(cString: $0) } ?? "out of memory"
            _ = sqlite.close(handle)
            handle = nil
            throw SQLiteError(code: status, message: "cannot open \(path): \(message)")
        }
        _ = sqlite.extendedResultCodes(handle, 1)
    }

    deinit {
        for statement in statements.values { _ = sqlite.finalize(statement) }
        _ = sqlite.close(handle)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite.exec(handle, sql, nil, nil, &error)
        guard status == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite.free(error)
            throw SQLiteError(code: sqlite.extendedErrcode(handle), message: message)
        }
    }

    /// Runs `sql` with `values` bound to its `?` parameters, and returns every row.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let statement = try prepared(sql)
        defer {
            _ = sqlite.reset(statement)
            _ = sqlite.clearBindings(statement)
        }
        for (index, value) in values.enumerated() { try bind(value, at: Int32(index + 1), in: statement) }
        var rows: [[SQLiteValue]] = []
        while true {
            let status = sqlite.step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { throw failure("step", sql: sql) }
            let columns = sqlite.columnCount(statement)
            rows.append((0..<columns).map { column(statement, $0) })
        }
    }

    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    public func writeTransaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do throws(SQLiteError) {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite.changes(handle)) }

    private func prepared(_ sql: String) throws(SQLiteError) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        guard sqlite.prepare(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure("prepare", sql: sql)
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteValue, at index: Int32, in statement: OpaquePointer) throws(SQLiteError) {
        let status: Int32
        switch value {
        case .null: status = sqlite.bindNull(statement, index)
        case .integer(let number): status = sqlite.bindInt64(statement, index, number)
        case .text(let text): status = sqlite.bindText(statement, index, text, -1, SQLiteDatabase.transient)
        }
        guard status == SQLITE_OK else { throw failure("bind", sql: "parameter \(index)") }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLiteValue {
        switch sqlite.columnType(statement, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite.columnInt64(statement, index))
        default: return sqlite.columnText(statement, index).map { .text(String(cString: $0)) } ?? .null
        }
    }

    private func failure(_ doing: String, sql: String) -> SQLiteError {
        let message = sqlite.errmsg(handle).map { String(cString: $0) } ?? "unknown error"
        return SQLiteError(code: sqlite.extendedErrcode(handle), message: "\(message) (\(doing): \(sql.prefix(60)))")
    }

    /// SQLite copies a value bound with this destructor (`SQLITE_TRANSIENT`) before the call returns.
    private static var transient: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: -1) }

    /// SQLite's primary result codes that the store turns into its own errors.
    public enum Code {
        public static let busy = SQLITE_BUSY
        public static let locked = SQLITE_LOCKED
        public static let readOnly = SQLITE_READONLY
        public static let ioError = SQLITE_IOERR
        public static let corrupt = SQLITE_CORRUPT
        public static let full = SQLITE_FULL
        public static let cannotOpen = SQLITE_CANTOPEN
        public static let notADatabase = SQLITE_NOTADB
    }
}

/// A value SQLite stores or returns (the store uses integers and text only).
public enum SQLiteValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case text(String)

    /// The integer, if it is one.
    public var integer: Int64? { if case .integer(let value) = self { return value } else { return nil } }
    /// The text, if it is text.
    public var text: String? { if case .text(let value) = self { return value } else { return nil } }
}

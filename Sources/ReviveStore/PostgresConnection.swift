import Revive

/// A failure PostgreSQL reported: its SQLSTATE (nil when the connection itself failed) and message.
struct PostgresError: Error {
    let sqlState: String?
    let message: String

    /// A lost race the caller should retry: a serialization failure, a deadlock, a duplicate key.
    var isConflict: Bool { ["40001", "40P01", "23505"].contains(sqlState ?? "") }
}

/// One libpq connection: statements with `?` parameters (turned into `$n`), prepared once and
/// cached by their text, rows decoded into the same values SQLite returns.
final class PostgresConnection {
    private let pq: Libpq
    private let handle: OpaquePointer
    private var statements: [String: String] = [:]
    /// The URL it was opened with.
    let url: PostgresURL

    /// Connects; a refused connection, a failed authentication or a missing database each get
    /// a message that says what to do.
    init(url: PostgresURL, libpq: Libpq) throws(RecoveryStoreError) {
        self.url = url
        pq = libpq
        let connection = url.connectionString.withCString { libpq.connect($0) }
        guard let connection, libpq.status(connection) == Libpq.connectionOK else {
            let message = connection.flatMap { libpq.errorMessage($0).map { String(cString: $0) } } ?? "out of memory"
            libpq.finish(connection)
            throw PostgresConnection.connectError(message, url: url)
        }
        handle = connection
        // Notices ("relation already exists, skipping") would go to standard error; they are not errors.
        _ = libpq.setNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { pq.finish(handle) }

    static func connectError(_ raw: String, url: PostgresURL) -> RecoveryStoreError {
        let message = raw.split(separator: "\n").map { $0.trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: "; ")
        let advice: String
        if message.contains("password authentication failed") || message.contains("no password supplied") {
            advice = "authentication failed: set PGPASSWORD or add the password to libpq's password file (~/.pgpass, "
                + "or the file PGPASSFILE names); the URL never carries it"
        } else if message.contains("Connection refused") || message.contains("No such file or directory") {
            advice = "no PostgreSQL server answers there: start one (`eval \"$(scripts/postgres-server.sh start)\"` "
                + "starts a local one) or fix the host and port in the URL"
        } else if message.contains("does not exist") {
            advice = "create the database (createdb NAME) or name an existing one in the URL"
        } else if message.contains("timeout expired") {
            advice = "the server did not answer within 5 seconds: check the host, the port and the network"
        } else {
            advice = "check the URL and the server"
        }
        return RecoveryStoreError(code: .unavailable, message: "cannot connect to \(url): \(message); \(advice)")
    }

    /// Runs statements that return nothing, with no parameters (schema, BEGIN, COMMIT).
    func execute(_ sql: String) throws(PostgresError) {
        let result = sql.withCString { pq.exec(handle, $0) }
        defer { pq.clear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement with `values` bound to its `?` parameters; returns its rows and how
    /// many rows it changed (for INSERT, UPDATE and DELETE).
    @discardableResult
    func query(_ sql: String, _ values: [SQLiteValue] = []) throws(PostgresError) -> (rows: [[SQLiteValue]], changed: Int) {
        let name = try prepared(sql)
        let texts: [String?] = values.map { value in
            switch value {
            case .null: return nil
            case .integer(let number): return String(number)
            case .text(let text): return text
            }
        }
        let result = PostgresConnection.withCStrings(texts) { pointers in
            name.withCString { pq.execPrepared(handle, $0, Int32(pointers.count), pointers, nil, nil, 0) }
        }
        defer { pq.clear(result) }
        try check(result, sql: sql)
        return (decode(result), Int(pq.cmdTuples(result).map { String(cString: $0) }.flatMap { Int($0) } ?? 0))
    }

    private func prepared(_ sql: String) throws(PostgresError) -> String {
        if let name = statements[sql] { return name }
        let name = "revive_\(statements.count + 1)"
        let text = PostgresConnection.numbered(sql)
        let result = name.withCString { n in text.withCString { pq.prepare(handle, n, $0, 0, nil) } }
        defer { pq.clear(result) }
        try check(result, sql: sql)
        statements[sql] = name
        return name
    }

    private func check(_ result: OpaquePointer?, sql: String) throws(PostgresError) {
        let status = result.map { pq.resultStatus($0) } ?? -1
        guard status != Libpq.commandOK && status != Libpq.tuplesOK else { return }
        let state = result.flatMap { pq.resultErrorField($0, Libpq.diagnosticSQLState) }.map { String(cString: $0) }
        let raw = result.flatMap { pq.resultErrorMessage($0) }.map { String(cString: $0) } ?? ""
        let message = (raw.isEmpty ? pq.errorMessage(handle).map { String(cString: $0) } ?? "no answer" : raw)
            .split(separator: "\n").first.map { $0.trimmingSpaces } ?? ""
        throw PostgresError(sqlState: state, message: "\(message) (\(sql.prefix(60)))")
    }

    private func decode(_ result: OpaquePointer?) -> [[SQLiteValue]] {
        let (count, columns) = (pq.ntuples(result), pq.nfields(result))
        guard count > 0 else { return [] }
        // int8, int2, int4, oid come back as integers, bool as 0 or 1, everything else as text.
        let kinds = (0..<columns).map { pq.fieldType(result, $0) }
        var rows: [[SQLiteValue]] = []
        rows.reserveCapacity(Int(count))
        for row in 0..<count {
            rows.append((0..<columns).map { column in
                guard pq.getIsNull(result, row, column) == 0, let raw = pq.getValue(result, row, column) else { return .null }
                let text = String(cString: raw)
                switch kinds[Int(column)] {
                case 20, 21, 23, 26: return Int64(text).map { .integer($0) } ?? .text(text)
                case 16: return .integer(text == "t" ? 1 : 0)
                default: return .text(text)
                }
            })
        }
        return rows
    }

    /// SQLite's parameters in PostgreSQL's words: `?N` becomes `$N` and a bare `?` the next
    /// number after the largest so far (SQLite's own rule); quoted text is left alone.
    static func numbered(_ sql: String) -> String {
        var out = ""
        var largest = 0
        var quoted = false
        var characters = sql.makeIterator()
        var pending: Character? = characters.next()
        while let c = pending {
            pending = characters.next()
            if c == "'" { quoted.toggle() }
            guard c == "?", !quoted else { out.append(c); continue }
            var digits = ""
            while let d = pending, d.isNumber { digits.append(d); pending = characters.next() }
            let number = Int(digits) ?? largest + 1
            largest = max(largest, number)
            out += "$\(number)"
        }
        return out
    }

    private static func withCStrings<R>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let storage: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdupSwift($0) } }
        defer { for pointer in storage { pointer?.deallocate() } }
        return body(storage.map { $0.map { UnsafePointer($0) } })
    }

    private static func strdupSwift(_ text: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return pointer
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}

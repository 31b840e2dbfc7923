import Foundation
import ReviveLab
import Testing

/// A database of its own on the test server, for each test that writes to PostgreSQL.
///
/// At SERIALIZABLE isolation, decisions of two tests in one database can make each other lose
/// (false) races: a retried decision draws fresh ids, and a timeline compared byte for byte with
/// memory would differ. Separate databases never share a predicate lock.
enum PostgresTestDatabase {
    /// Runs `psql` on `url` with one statement; returns its exit status.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        let ended = try process.runNotingExit()
        ended.wait()
        return process.terminationStatus
    }

    /// A fresh database on the test server, dropped when `body` returns.
    static func with(_ body: (String) throws -> Void) throws {
        let url = try #require(PostgresStoreTests.url)
        let name = "revive_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try #require(try psql(url, "CREATE DATABASE \(name)") == 0)
        defer { _ = try? psql(url, "DROP DATABASE \(name)") }
        let base = url.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        try body(base + "/" + name)
    }
}

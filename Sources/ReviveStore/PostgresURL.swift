import Revive

/// Where a PostgreSQL store lives: a `postgres://` or `postgresql://` URL, never with a password.
///
/// A password on the command line shows in `ps`, in shell history and in CI logs, so a URL that
/// carries one is refused: libpq takes it from `PGPASSWORD` or from its password file (`~/.pgpass`,
/// or the file `PGPASSFILE` names) instead.
public struct PostgresURL: Hashable, Sendable, CustomStringConvertible {
    /// The URL as given.
    public let text: String

    /// Whether a `--store` value names a PostgreSQL store rather than a SQLite file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Checks the URL; refuses one that carries a password, saying where the password goes instead.
    public init(_ text: String) throws(RecoveryStoreError) {
        guard PostgresURL.isPostgres(text) else {
            throw RecoveryStoreError(code: .unavailable, message: "\(text) is not a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        let rest = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let query = text.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        let userInfo = authority.lastIndex(of: "@").map { authority[..<$0] } ?? ""
        let queryKeys = query.split(separator: "&").map { $0.prefix { $0 != "=" } }
        guard !userInfo.contains(":"), !queryKeys.contains("password") else {
            throw RecoveryStoreError(code: .unavailable, message: "the PostgreSQL URL carries a password; a password never goes on "
                + "the command line, where `ps`, shell history and CI logs show it: drop it from the URL and put it in PGPASSWORD "
                + "or in libpq's password file (~/.pgpass, or the file PGPASSFILE names)")
        }
        self.text = text
    }

    /// The URL itself: it holds no secret, so it may be printed.
    public var description: String { text }

    /// What libpq connects with: the URL, plus a connect timeout and the application's name
    /// unless the URL sets them (a server that does not answer is reported, not waited on forever).
    var connectionString: String {
        var extra: [String] = []
        if !text.contains("connect_timeout=") { extra.append("connect_timeout=5") }
        if !text.contains("application_name=") { extra.append("application_name=revive-lab") }
        guard !extra.isEmpty else { return text }
        return text + (text.contains("?") ? "&" : "?") + extra.joined(separator: "&")
    }
}

/// The system's SQLite library, loaded with `dlopen` when the first store file is opened, never
/// before.
///
/// Linked at build time, the library was loaded and bound by every command at start: 1.2 M
/// instructions and about 0.2 ms, a twentieth of a hello-world's whole run, paid by `validate`
/// and `run` in memory as much as by `run --store`. The header still comes from the system
/// (`CSQLite`, libsqlite3-dev); only the twenty functions the store calls are looked up, each by
/// name with `dlsym`, the way `Libpq` loads PostgreSQL's client.
final class SQLiteLibrary: @unchecked Sendable {
    typealias Database = OpaquePointer
    typealias Statement = OpaquePointer
    typealias OpenFn = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<Database?>?, Int32, UnsafePointer<CChar>?) -> Int32
    typealias DatabaseIntFn = @convention(c) (Database?) -> Int32
    typealias DatabaseTextFn = @convention(c) (Database?) -> UnsafePointer<CChar>?
    typealias SetIntFn = @convention(c) (Database?, Int32) -> Int32
    typealias ExecFn = @convention(c) (Database?, UnsafePointer<CChar>?, UnsafeRawPointer?, UnsafeMutableRawPointer?,
                                       UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
    typealias FreeFn = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias PrepareFn = @convention(c) (Database?, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<Statement?>?,
                                          UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32
    typealias StatementFn = @convention(c) (Statement?) -> Int32
    typealias BindNullFn = @convention(c) (Statement?, Int32) -> Int32
    typealias BindInt64Fn = @convention(c) (Statement?, Int32, Int64) -> Int32
    typealias BindTextFn = @convention(c) (Statement?, Int32, UnsafePointer<CChar>?, Int32, UnsafeRawPointer?) -> Int32
    typealias ColumnIntFn = @convention(c) (Statement?, Int32) -> Int32
    typealias ColumnInt64Fn = @convention(c) (Statement?, Int32) -> Int64
    typealias ColumnTextFn = @convention(c) (Statement?, Int32) -> UnsafePointer<UInt8>?

    let open: OpenFn
    let errmsg: DatabaseTextFn
    let close: DatabaseIntFn
    let extendedResultCodes: SetIntFn
    let extendedErrcode: DatabaseIntFn
    let changes: DatabaseIntFn
    let exec: ExecFn
    let free: FreeFn
    let prepare: PrepareFn
    let finalize: StatementFn
    let reset: StatementFn
    let clearBindings: StatementFn
    let step: StatementFn
    let columnCount: StatementFn
    let bindNull: BindNullFn
    let bindInt64: BindInt64Fn
    let bindText: BindTextFn
    let columnType: ColumnIntFn
    let columnInt64: ColumnInt64Fn
    let columnText: ColumnTextFn

    /// The library, loaded on first use, or why it could not be.
    static let shared: Result<SQLiteLibrary, SQLiteError> = Result { () throws(SQLiteError) in try SQLiteLibrary() }

    /// The names tried: Debian's and Ubuntu's runtime package (libsqlite3-0), the development
    /// symlink, and macOS's own.
    static let names = ["libsqlite3.so.0", "libsqlite3.so", "libsqlite3.dylib", "/usr/lib/libsqlite3.dylib"]

    private init() throws(SQLiteError) {
        let library: DynamicLibrary
        switch DynamicLibrary.open(firstOf: SQLiteLibrary.names) {
        case .success(let opened): library = opened
        case .failure(let failure):
            throw SQLiteError(code: SQLiteDatabase.Code.cannotOpen, message: "cannot load the SQLite library "
                + "(\(failure.reasons.first ?? "not found")); install it (Debian and Ubuntu: apt-get install libsqlite3-0)")
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws(SQLiteError) -> T {
            guard let function = library.symbol(name, as: type) else {
                throw SQLiteError(code: SQLiteDatabase.Code.cannotOpen, message: "the SQLite library that was loaded lacks \(name)")
            }
            return function
        }
        open = try symbol("sqlite3_open_v2", OpenFn.self)
        errmsg = try symbol("sqlite3_errmsg", DatabaseTextFn.self)
        close = try symbol("sqlite3_close_v2", DatabaseIntFn.self)
        extendedResultCodes = try symbol("sqlite3_extended_result_codes", SetIntFn.self)
        extendedErrcode = try symbol("sqlite3_extended_errcode", DatabaseIntFn.self)
        changes = try symbol("sqlite3_changes", DatabaseIntFn.self)
        exec = try symbol("sqlite3_exec", ExecFn.self)
        free = try symbol("sqlite3_free", FreeFn.self)
        prepare = try symbol("sqlite3_prepare_v2", PrepareFn.self)
        finalize = try symbol("sqlite3_finalize", StatementFn.self)
        reset = try symbol("sqlite3_reset", StatementFn.self)
        clearBindings = try symbol("sqlite3_clear_bindings", StatementFn.self)
        step = try symbol("sqlite3_step", StatementFn.self)
        columnCount = try symbol("sqlite3_column_count", StatementFn.self)
        bindNull = try symbol("sqlite3_bind_null", BindNullFn.self)
        bindInt64 = try symbol("sqlite3_bind_int64", BindInt64Fn.self)
        bindText = try symbol("sqlite3_bind_text", BindTextFn.self)
        columnType = try symbol("sqlite3_column_type", ColumnIntFn.self)
        columnInt64 = try symbol("sqlite3_column_int64", ColumnInt64Fn.self)
        columnText = try symbol("sqlite3_column_text", ColumnTextFn.self)
    }
}

import Revive

/// PostgreSQL's client library, loaded with `dlopen` when a PostgreSQL store is opened, never before.
///
/// Linking libpq would cost every command about 10 M instructions at start and make the build
/// need its headers; loading it at run time keeps both off every command that uses no PostgreSQL
/// store. Only the dozen functions the store calls are looked up, each by name with `dlsym`.
final class Libpq {
    typealias ConnectFn = @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
    typealias ConnStatusFn = @convention(c) (OpaquePointer?) -> Int32
    typealias ConnTextFn = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    typealias FinishFn = @convention(c) (OpaquePointer?) -> Void
    typealias ExecFn = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias PrepareFn = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32,
                                          UnsafePointer<UInt32>?) -> OpaquePointer?
    typealias ExecPreparedFn = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<UnsafePointer<CChar>?>?,
                                               UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> OpaquePointer?
    typealias ResultIntFn = @convention(c) (OpaquePointer?) -> Int32
    typealias ResultTextFn = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    typealias ErrorFieldFn = @convention(c) (OpaquePointer?, Int32) -> UnsafeMutablePointer<CChar>?
    typealias GetValueFn = @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    typealias GetIsNullFn = @convention(c) (OpaquePointer?, Int32, Int32) -> Int32
    typealias FieldTypeFn = @convention(c) (OpaquePointer?, Int32) -> UInt32
    typealias ClearFn = @convention(c) (OpaquePointer?) -> Void
    typealias NoticeProcessor = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void
    typealias SetNoticeProcessorFn = @convention(c) (OpaquePointer?, NoticeProcessor?, UnsafeMutableRawPointer?) -> NoticeProcessor?

    let connect: ConnectFn
    let status: ConnStatusFn
    let errorMessage: ConnTextFn
    let finish: FinishFn
    let exec: ExecFn
    let prepare: PrepareFn
    let execPrepared: ExecPreparedFn
    let resultStatus: ResultIntFn
    let resultErrorField: ErrorFieldFn
    let resultErrorMessage: ResultTextFn
    let ntuples: ResultIntFn
    let nfields: ResultIntFn
    let getValue: GetValueFn
    let getIsNull: GetIsNullFn
    let fieldType: FieldTypeFn
    let cmdTuples: ResultTextFn
    let clear: ClearFn
    let setNoticeProcessor: SetNoticeProcessorFn
    let connectionUsedPassword: ConnStatusFn

    /// The names tried when no path is given: the runtime package's soname first (Debian's
    /// `libpq5`), then the development symlink, then Homebrew's.
    static let defaultNames = ["libpq.so.5", "libpq.so", "libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib",
                               "/usr/local/opt/libpq/lib/libpq.5.dylib"]

    /// Loads libpq from `path`, or from the usual names; the error says how to install it.
    init(path: String?) throws(RecoveryStoreError) {
        let library: DynamicLibrary
        switch DynamicLibrary.open(firstOf: path.map({ [$0] }) ?? Libpq.defaultNames) {
        case .success(let opened): library = opened
        case .failure(let failure):
            throw RecoveryStoreError(code: .unavailable, message: "cannot load PostgreSQL's client library libpq "
                + "(\(failure.reasons.first ?? "not found")); install it (Debian and Ubuntu: apt-get install libpq5; macOS: brew install libpq) "
                + "or name it with REVIVE_LIBPQ=/path/to/libpq.so.5")
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws(RecoveryStoreError) -> T {
            guard let function = library.symbol(name, as: type) else {
                throw .unavailable("the libpq that was loaded lacks \(name); install libpq 10 or newer")
            }
            return function
        }
        connect = try symbol("PQconnectdb", ConnectFn.self)
        status = try symbol("PQstatus", ConnStatusFn.self)
        errorMessage = try symbol("PQerrorMessage", ConnTextFn.self)
        finish = try symbol("PQfinish", FinishFn.self)
        exec = try symbol("PQexec", ExecFn.self)
        prepare = try symbol("PQprepare", PrepareFn.self)
        execPrepared = try symbol("PQexecPrepared", ExecPreparedFn.self)
        resultStatus = try symbol("PQresultStatus", ResultIntFn.self)
        resultErrorField = try symbol("PQresultErrorField", ErrorFieldFn.self)
        resultErrorMessage = try symbol("PQresultErrorMessage", ResultTextFn.self)
        ntuples = try symbol("PQntuples", ResultIntFn.self)
        nfields = try symbol("PQnfields", ResultIntFn.self)
        getValue = try symbol("PQgetvalue", GetValueFn.self)
        getIsNull = try symbol("PQgetisnull", GetIsNullFn.self)
        fieldType = try symbol("PQftype", FieldTypeFn.self)
        cmdTuples = try symbol("PQcmdTuples", ResultTextFn.self)
        clear = try symbol("PQclear", ClearFn.self)
        setNoticeProcessor = try symbol("PQsetNoticeProcessor", SetNoticeProcessorFn.self)
        connectionUsedPassword = try symbol("PQconnectionUsedPassword", ConnStatusFn.self)
    }

    // libpq's constants the store needs (libpq-fe.h, postgres_ext.h).
    static let connectionOK: Int32 = 0
    static let commandOK: Int32 = 1
    static let tuplesOK: Int32 = 2
    static let diagnosticSQLState: Int32 = 67 // 'C'
}

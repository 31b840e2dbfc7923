#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C library opened at run time (`dlopen`), for the libraries the store loads only when a
/// store is opened: SQLite (`SQLiteLibrary`) and PostgreSQL's client (`Libpq`).
struct DynamicLibrary {
    private let handle: UnsafeMutableRawPointer

    /// The first of `names` that loads, or why none did: the loader's message for each name tried.
    static func open(firstOf names: [String]) -> Result<DynamicLibrary, LoadFailure> {
        var reasons: [String] = []
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return .success(DynamicLibrary(handle: handle)) }
            reasons.append(dlerror().map { String(cString: $0) } ?? name)
        }
        return .failure(LoadFailure(reasons: reasons))
    }

    /// Why no name loaded.
    struct LoadFailure: Error {
        /// The loader's message for each name tried, in order.
        let reasons: [String]
    }

    /// The function called `name`, as `type` (a `@convention(c)` function type), or nil when the
    /// library lacks it.
    func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(handle, name).map { unsafeBitCast($0, to: type) }
    }
}

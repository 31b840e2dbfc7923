import Foundation
import Testing

/// The executable starts without loading Foundation, the Swift runtime's shared libraries, the
/// C++ library or SQLite: loading and binding them was most of a cold command's start (README,
/// "Benchmarks"); SQLite is loaded when a store file is opened. Read from the binary's own list of needed libraries, as the
/// dynamic linker reads it.
struct StartupLinkTests {
    /// The shared libraries the built executable names (`ldd`), one file name each.
    static func neededLibraries() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [try Lab.executableURL().path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let ended = try process.runNotingExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ended.wait()
        return text.split(separator: "\n").compactMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
        }
    }

    /// Whether the manifest links the C++ library's static archive: the newest GCC installation
    /// for this machine (the one clang links with) holds it, and `REVIVE_SHARED_CXX=1` is not set.
    /// The same rule as `staticCxxArchiveIsThere` in Package.swift, which a test cannot import.
    static var systemHasStaticCxxLibrary: Bool {
        #if arch(x86_64)
        let machine = "x86_64-"
        #elseif arch(arm64)
        let machine = "aarch64-"
        #else
        let machine = "-"
        #endif
        guard ProcessInfo.processInfo.environment["REVIVE_SHARED_CXX"] != "1" else { return false }
        let gcc = "/usr/lib/gcc"
        let files = FileManager.default
        let versions = ((try? files.contentsOfDirectory(atPath: gcc)) ?? []).filter { $0.hasPrefix(machine) }.flatMap { triple in
            ((try? files.contentsOfDirectory(atPath: "\(gcc)/\(triple)")) ?? []).map { "\(gcc)/\(triple)/\($0)" }
        }.filter { files.fileExists(atPath: "\($0)/crtbegin.o") }
        let number = { (path: String) in path.split(separator: "/").last!.split(separator: ".").map { Int($0) ?? 0 } }
        guard let chosen = versions.max(by: { number($0).lexicographicallyPrecedes(number($1)) }) else { return false }
        return files.fileExists(atPath: "\(chosen)/libstdc++.a")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/ldd")))
    func theExecutableLoadsNeitherFoundationNorTheSwiftRuntimeNorTheCxxLibraryNorSQLiteAtStart() throws {
        let libraries = try Self.neededLibraries()
        #expect(libraries.contains { $0.hasPrefix("libc.so") }, "ldd listed no C library: \(libraries)")
        let unwanted = libraries.filter {
            $0.hasPrefix("libFoundation") || $0.hasPrefix("libswift") || $0.hasPrefix("lib_Foundation") || $0.hasPrefix("libsqlite3")
                || (Self.systemHasStaticCxxLibrary && $0.hasPrefix("libstdc++"))
        }
        #expect(unwanted.isEmpty, "the executable loads \(unwanted) at start")
    }
}

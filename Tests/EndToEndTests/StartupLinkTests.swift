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
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExitPromptly()
        return text.split(separator: "\n").compactMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
        }
    }

    /// Whether the system has the C++ library's static archive, which the manifest then links
    /// (Debian's libstdc++-NN-dev has it; without it the shared library is linked, as before).
    static var systemHasStaticCxxLibrary: Bool {
        let gcc = "/usr/lib/gcc"
        let files = FileManager.default
        return ((try? files.contentsOfDirectory(atPath: gcc)) ?? []).contains { machine in
            ((try? files.contentsOfDirectory(atPath: "\(gcc)/\(machine)")) ?? []).contains { version in
                files.fileExists(atPath: "\(gcc)/\(machine)/\(version)/libstdc++.a")
            }
        }
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

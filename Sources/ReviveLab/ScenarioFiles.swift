#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Expands command-line paths into scenario files: a file as given, a directory as every
/// `*.json` below it in sorted order.
enum ScenarioFiles {
    static func expand(_ paths: [String]) -> (files: [String], problems: [InputProblem]) {
        PathArguments.expand(paths) { directory in
            let found = PathArguments.files(below: directory) { PathArguments.hasSuffix(".json", $0) }
            return (found, found.isEmpty ? "the directory holds no scenario files (*.json)" : nil)
        }
    }
}

/// Paths on a command line: a file as given, a directory as the files `list` picks below it.
enum PathArguments {
    /// The files of every path, in order, and a problem for a path that does not exist or (as
    /// `list` says with its message) a directory that holds nothing wanted.
    static func expand(_ paths: [String], list: (String) -> (files: [String], empty: String?)) -> (files: [String], problems: [InputProblem]) {
        var files: [String] = []
        var problems: [InputProblem] = []
        for path in paths {
            guard let kind = FileSystem.kind(atPath: path) else {
                problems.append(InputProblem(file: path, path: "", message: "no such file or directory"))
                continue
            }
            guard kind == .folder else {
                files.append(path)
                continue
            }
            let (found, empty) = list(path)
            files += found
            if let empty { problems.append(InputProblem(file: path, path: "", message: empty)) }
        }
        return (files, problems)
    }

    /// Every regular file below `directory` (hidden folders left out) whose name `keep` accepts,
    /// sorted.
    static func files(below directory: String, keep: (String) -> Bool) -> [String] {
        var found: [String] = []
        collect(in: directory.hasSuffix("/") ? String(directory.dropLast()) : directory, keep: keep, into: &found)
        return found.sorted()
    }

    private static func collect(in directory: String, keep: (String) -> Bool, into found: inout [String]) {
        var folders: [String] = []
        FileSystem.forEachEntry(inFolder: directory) { name, listed in
            // The listing's own kind where it gives one: a `stat` of every entry only for links.
            guard let kind = listed ?? FileSystem.kind(atPath: directory + "/" + name) else { return }
            if kind == .folder {
                // Hidden folders (.git, .build) hold no scenario or timeline of the user's.
                if !name.hasPrefix(".") { folders.append(directory + "/" + name) }
            } else if keep(name) {
                found.append(directory + "/" + name)
            }
        }
        // Below each folder once this one is closed: a deep tree never holds a folder open per level.
        for folder in folders { collect(in: folder, keep: keep, into: &found) }
    }

    /// `name.hasSuffix(suffix)` for an ASCII suffix: an ASCII name's bytes compared (the same
    /// answer, without the general walk by Characters), any other name by `hasSuffix` itself
    /// (a mark before the suffix can join its first byte into one Character).
    static func hasSuffix(_ suffix: StaticString, _ name: String) -> Bool {
        let tail = suffix.utf8CodeUnitCount
        var name = name
        let bytewise: Bool? = name.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return bytes.count >= tail && memcmp(bytes.baseAddress! + (bytes.count - tail), suffix.utf8Start, tail) == 0
        }
        return bytewise ?? name.hasSuffix(suffix.description)
    }
}

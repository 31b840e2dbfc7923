import Foundation
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Expands command-line paths into scenario files: a file as given, a directory as every
/// `*.json` below it in sorted order.
enum ScenarioFiles {
    static func expand(_ paths: [String]) -> (files: [String], problems: [InputProblem]) {
        var files: [String] = []
        var problems: [InputProblem] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(InputProblem(file: path, path: "", message: "no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            collect(in: path.hasSuffix("/") ? String(path.dropLast()) : path, into: &found)
            if found.isEmpty {
                problems.append(InputProblem(file: path, path: "", message: "the directory holds no scenario files (*.json)"))
            }
            files += found.sorted()
        }
        return (files, problems)
    }

    /// Every `*.json` file below `directory`. A plain walk: FileManager's enumerator cost a cold
    /// `run` more than listing the folder is worth.
    private static func collect(in directory: String, into found: inout [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            let full = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                collect(in: full, into: &found)
            } else if name.hasSuffix(".json") {
                found.append(full)
            }
        }
    }
}

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
            if let walker = manager.enumerator(atPath: path) {
                while let relative = walker.nextObject() as? String {
                    guard relative.hasSuffix(".json") else { continue }
                    let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                    var isDir: ObjCBool = false
                    if manager.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { found.append(full) }
                }
            }
            if found.isEmpty {
                problems.append(InputProblem(file: path, path: "", message: "the directory holds no scenario files (*.json)"))
            }
            files += found.sorted()
        }
        return (files, problems)
    }
}

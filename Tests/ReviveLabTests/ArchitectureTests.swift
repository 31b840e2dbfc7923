import Foundation
import Testing

/// The rooms' rules that the package graph cannot keep by itself: which rooms build without
/// Foundation, what each room imports, and the size limits that keep the code readable.
struct ArchitectureTests {
    /// Every Swift source file of a target, as (path relative to the repository, text).
    static func sources(of target: String) throws -> [(path: String, text: String)] {
        let folder = DocumentationTests.root.appendingPathComponent("Sources/\(target)")
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = "Sources/\(target)/" + url.path.dropFirst(folder.path.count + 1)
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    static let targets = ["ReviveVocabulary", "Revive", "ReviveWorld", "ReviveCheck", "ReviveExplore", "ReviveStore", "ReviveLab", "revive-lab"]

    /// The modules each room may import (besides the standard library).
    static let allowedImports: [String: Set<String>] = [
        "ReviveVocabulary": [],
        "Revive": ["ReviveVocabulary"],
        "ReviveWorld": ["Revive", "ReviveVocabulary"],
        "ReviveCheck": ["ReviveVocabulary"],
        "ReviveExplore": ["ReviveWorld", "ReviveCheck", "Revive", "ReviveVocabulary"],
        // The store speaks to SQLite's C API, and to libpq through dlopen (Glibc or Darwin), and to
        // nothing else outside the engine's types.
        "ReviveStore": ["CSQLite", "Revive", "ReviveVocabulary", "Glibc", "Darwin"],
        // The frontend does its I/O (files, child processes, threads) on the C library itself
        // (`Sources/ReviveLab/System`).
        "ReviveLab": ["ReviveExplore", "ReviveWorld", "ReviveCheck", "ReviveStore", "Revive", "ReviveVocabulary", "Glibc", "Darwin"],
        "revive-lab": ["ReviveLab", "Glibc", "Darwin"],
    ]

    @Test(arguments: ArchitectureTests.targets)
    func eachRoomImportsOnlyWhatItMay(_ target: String) throws {
        let allowed = try #require(ArchitectureTests.allowedImports[target])
        let files = try ArchitectureTests.sources(of: target)
        #expect(!files.isEmpty, "no sources found for \(target)")
        for file in files {
            for line in file.text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
                let module = String(line.split(separator: " ").last ?? "")
                #expect(allowed.contains(module), "\(file.path) imports \(module), which \(target) may not")
            }
        }
    }

    /// No room links Foundation: the executable starts without loading it (README, "Benchmarks").
    @Test func noRoomUsesFoundation() throws {
        for target in ArchitectureTests.targets {
            for file in try ArchitectureTests.sources(of: target) {
                #expect(!file.text.contains("import Foundation"), "\(file.path) imports Foundation")
            }
        }
    }

    @Test(arguments: ArchitectureTests.targets)
    func noSourceFileIsOver400Lines(_ target: String) throws {
        for file in try ArchitectureTests.sources(of: target) {
            let count = file.text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(count <= 400, "\(file.path) has \(count) lines")
        }
    }

    @Test(arguments: ArchitectureTests.targets)
    func noFunctionIsOver60Lines(_ target: String) throws {
        for file in try ArchitectureTests.sources(of: target) {
            for function in FunctionSpans.find(in: file.text) where function.lineCount > 60 {
                Issue.record("\(file.path):\(function.firstLine) \(function.signature) has \(function.lineCount) lines")
            }
        }
    }

    @Test func theSpanFinderMeasuresFunctionsByTheirBraces() {
        let text = """
        struct S {
            func short() { 1 }
            func wrapped(
                a: Int
            ) {
                a()
            }
            func long() {
                a()
                b()
            }
            var computed: Int {
                3
            }
        }
        """
        let spans = FunctionSpans.find(in: text)
        #expect(spans.map(\.signature) == ["func wrapped(", "func long() {", "var computed: Int {"])
        #expect(spans.map(\.lineCount) == [5, 4, 3])
    }
}

/// Finds the multi-line functions, initializers and computed properties of a Swift file by their
/// braces: from the line that opens one to the line at the same indentation that closes it.
enum FunctionSpans {
    struct Span {
        let firstLine: Int
        let lineCount: Int
        let signature: String
    }

    static let openers = ["func ", "init(", "init?(", "var ", "subscript("]

    static func find(in text: String) -> [Span] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var spans: [Span] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.drop(while: { $0 == " " })
            let words = trimmed.split(separator: " ").drop(while: { isModifier($0) })
            guard let first = words.first, openers.contains(where: { (String(first) + " ").hasPrefix($0) || String(first).hasPrefix($0) })
            else { continue }
            let indent = line.count - trimmed.count
            // A signature may wrap: its body opens on the first line that ends with "{" before the
            // indentation falls back (a one-line declaration or a protocol requirement opens none).
            var opening = index
            while !lines[opening].hasSuffix("{") {
                opening += 1
                guard opening < lines.count, lines[opening].prefix(while: { $0 == " " }).count > indent else { break }
            }
            guard opening < lines.count, lines[opening].hasSuffix("{"), !lines[opening].contains("}") || opening > index || line.hasSuffix("{")
            else { continue }
            let closing = String(repeating: " ", count: indent) + "}"
            guard let end = lines[(opening + 1)...].firstIndex(where: { $0 == closing || $0.hasPrefix(closing + " ") || $0.hasPrefix(closing + ")") }) else { continue }
            spans.append(Span(firstLine: index + 1, lineCount: end - index + 1, signature: String(trimmed)))
        }
        return spans
    }

    static func isModifier(_ word: Substring) -> Bool {
        word.hasPrefix("@") || ["public", "private", "fileprivate", "internal", "static", "final", "override", "mutating",
                                "nonisolated", "lazy", "private(set)", "public(set)"].contains(String(word))
    }
}

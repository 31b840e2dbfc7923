import Foundation
import Testing
import ReviveVocabulary
@testable import ReviveLab

/// Every number and name the README states about the project is generated or kept true here:
/// the command list is the help's, the invariant count is the checker's, and measured figures are
/// those of a committed record that the lab itself wrote (docs/records/), never a timing taken in
/// a test.
struct ReadmeFactsTests {
    static let readme = (try? DocumentationTests.read("README.md")) ?? ""

    /// The lines of the README's first code block after `marker`.
    static func block(after marker: String) throws -> [String] {
        let readme = ReadmeFactsTests.readme
        let at = try #require(readme.range(of: marker), "README lacks \(marker)")
        let open = try #require(readme.range(of: "```\n", range: at.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "\n```", range: open.upperBound..<readme.endIndex))
        return readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func theCommandListIsTheHelps() throws {
        let help = LabCommand.usage.split(separator: "\n").map(String.init)
        let start = try #require(help.firstIndex(of: "Usage:"))
        let synopsis = help[(start + 1)...].prefix { $0.hasPrefix("  revive-lab") }.map { String($0.dropFirst(2)) }
        #expect(try ReadmeFactsTests.block(after: "## The command") == synopsis)
    }

    @Test func theFormatListIsTheRunCommands() throws {
        let readme = ReadmeFactsTests.readme
        let start = try #require(readme.range(of: "`--format` is "), "README lacks the `--format` list")
        let end = try #require(readme.range(of: ";", range: start.upperBound..<readme.endIndex))
        let sentence = String(readme[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "\n", with: " ")
        let named = sentence.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(named == RunCommand.Format.allCases.map(\.rawValue), "README names \(named)")
    }

    @Test func theInvariantCountIsTheCheckers() throws {
        let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                     "thirteen", "fourteen", "fifteen"]
        let count = Invariant.allCases.count
        let readme = ReadmeFactsTests.readme.lowercased()
        #expect(readme.contains("the \(words[count]) invariants"), "README should speak of the \(words[count]) invariants")
        for word in words where word != words[count] {
            #expect(!readme.contains("the \(word) invariants"), "README speaks of the \(word) invariants; there are \(count)")
        }
        for line in ReadmeFactsTests.readme.split(separator: "\n") where line.contains(" invariants ") && line.contains(" held") {
            for other in 1...20 where other != count {
                #expect(!line.contains("of \(other) held") && !line.contains("of \(other) invariants"), "README line counts \(other) invariants: \(line)")
            }
        }
    }

    @Test func everyScenarioCountIsTheShippedCount() throws {
        let shipped = GoldenTests.scenarioNames.count
        let readme = ReadmeFactsTests.readme
        var rest = readme[...]
        while let range = rest.range(of: " scenarios") {
            let number = rest[..<range.lowerBound].reversed().prefix(while: \.isNumber)
            // "14038 scenarios/s" is a rate, not a count.
            if !number.isEmpty && !rest[range.upperBound...].hasPrefix("/") { #expect(String(number.reversed()) == String(shipped), "README says \(String(number.reversed())) scenarios; \(shipped) ship") }
            rest = rest[range.upperBound...]
        }
    }

    /// A committed record: the output of the command it names, written by the lab.
    static func record(_ name: String) throws -> [String] {
        try DocumentationTests.read("docs/records/\(name)").split(separator: "\n").map(String.init)
    }

    @Test func theBenchmarkFiguresAreTheCommittedRecordsWhichBenchWrote() throws {
        let record = try ReadmeFactsTests.record("bench.txt")
        #expect(try ReadmeFactsTests.block(after: "bench --record docs/records/bench.txt`:") == record)
        #expect(record.first?.hasPrefix("catalogue    \(GoldenTests.scenarioNames.count) scenarios x 20: ") == true, "\(record.first ?? "")")
    }

    /// Runs `revive-lab ARGUMENTS` in the process; the report with the package root and the repro folder made relative.
    static func explore(_ arguments: [String], out: String) -> [String] {
        let result = OptionParserCommandTests.run(["explore"] + arguments + ["--out", out])
        let root = DocumentationTests.root.path + "/"
        return result.out.replacingOccurrences(of: out, with: "repro").replacingOccurrences(of: root, with: "")
            .split(separator: "\n").map(String.init)
    }

    @Test(arguments: [("explore-timeout-after-mutation.txt", "timeout-after-mutation", [String]()),
                      ("explore-revoked-grant-planted.txt", "revoked-grant", ["--plant", "skip-reconciliation"])])
    func theExplorationExamplesAreCommittedRecordsThatTheLabStillPrints(_ name: String, _ scenario: String, _ extra: [String]) throws {
        let record = try ReadmeFactsTests.record(name)
        let readme = ReadmeFactsTests.readme
        #expect(readme.contains("```\n" + record.joined(separator: "\n") + "\n```")
                || readme.contains("\n" + record.joined(separator: "\n") + "\n```"), "README does not show docs/records/\(name)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("revive-lab-readme-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let path = DocumentationTests.root.appendingPathComponent("scenarios/\(scenario).json").path
        let today = ReadmeFactsTests.explore([path] + extra, out: out)
        // Everything but the time taken is deterministic and must be what the lab prints today.
        let isTiming = { (line: String) in line.hasPrefix("  time taken") }
        #expect(today.filter { !isTiming($0) } == record.filter { !isTiming($0) })
    }
}

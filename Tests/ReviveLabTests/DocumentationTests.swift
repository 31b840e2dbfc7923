import Foundation
import Testing
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// The README and docs say what the code does: every rule, transition and invariant is listed.
struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    @Test func classificationDocListsEveryRuleInTableOrder() throws {
        let doc = try DocumentationTests.read("docs/classification.md")
        var position = doc.startIndex
        for rule in ClassificationTable.rules {
            let cell = "| `\(rule.name)` |"
            let found = try #require(doc.range(of: cell, range: position..<doc.endIndex), "docs/classification.md lacks rule \(rule.name) in order")
            #expect(doc[found.upperBound...].prefix(while: { $0 != "\n" }).contains("`\(rule.failureClass.rawValue)`"))
            position = found.upperBound
        }
    }

    @Test func readmeListsEveryTransitionWithItsMeaning() throws {
        let readme = try DocumentationTests.read("README.md")
        for name in TransitionName.known {
            #expect(readme.contains("| `\(name.rawValue)` |"), "README lacks transition \(name.rawValue)")
            #expect(readme.contains("\n| `\(name.rawValue)` | \(name.meaning) |\n"), "README's meaning of \(name.rawValue) is not the vocabulary's: \(name.meaning)")
        }
    }

    @Test func theFormatReferencesValidateExampleIsWhatValidatePrints() throws {
        let doc = try DocumentationTests.read("docs/scenario-format.md")
        let start = try #require(doc.range(of: "gives it, for example:\n\n```\n"))
        let end = try #require(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
        let lines = doc[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        for pair in stride(from: 0, to: lines.count - 1, by: 2) {
            let file = try #require(lines[pair].split(separator: ":").first.map(String.init))
            let text = try DocumentationTests.read(file)
            let scenario = try ScenarioLoader.load(text: text, file: file)
            #expect(lines[pair] == "\(file): valid")
            #expect(lines[pair + 1] == "  " + scenario.defaultsSummary)
        }
    }

    @Test func theSchemasIdAndTitleNameEveryFormatItCovers() throws {
        let schema = ScenarioSchema.document
        guard case .array(let formats)? = schema["properties"]?["format"]?["enum"] else {
            Issue.record("the schema has no format enum")
            return
        }
        let numbers = formats.compactMap(\.integerValue).map(String.init)
        #expect(numbers == ["1", "2"])
        #expect(schema["$id"]?.stringValue == "https://revive-lab.dev/schema/scenario-formats-\(numbers.joined(separator: "-and-")).json")
        #expect(schema["title"]?.stringValue == "revive-lab scenario, format \(numbers.joined(separator: " or "))")
    }

    @Test func contractDocListsEveryInvariant() throws {
        let doc = try DocumentationTests.read("docs/recovery-contract.md")
        for invariant in Invariant.allCases {
            #expect(doc.contains("| `\(invariant.rawValue)` |"), "docs/recovery-contract.md lacks \(invariant.rawValue)")
        }
    }

    @Test func readmeStartsWithTheTwoCommands() throws {
        let readme = try DocumentationTests.read("README.md")
        let head = readme.split(separator: "\n").prefix(6).joined(separator: "\n")
        #expect(head.contains("swift run -c release revive-lab run scenarios"))
        #expect(head.contains("swift test"))
    }

    @Test func readmeTableNamesEveryShippedScenario() throws {
        let readme = try DocumentationTests.read("README.md")
        let files = try FileManager.default.contentsOfDirectory(atPath: DocumentationTests.root.appendingPathComponent("scenarios").path)
        for file in files where file.hasSuffix(".json") {
            #expect(readme.contains("(scenarios/\(file))"), "README does not list \(file)")
        }
    }

    @Test func committedSchemaIsTheGeneratedOne() throws {
        let committed = try DocumentationTests.read("scenario.schema.json")
        #expect(committed == ScenarioSchema.text, "regenerate with: swift run revive-lab schema > scenario.schema.json")
    }

    @Test func readmeTimelineExcerptMatchesTheGolden() throws {
        let readme = try DocumentationTests.read("README.md")
        let golden = try DocumentationTests.read("scenarios/golden/revoked-grant.txt")
        let start = try #require(readme.range(of: "```\n== revoked-grant"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        for line in readme[start.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("+") {
            // Long lines are cut with "…" in the README; every piece must stand in the golden.
            for piece in line.split(separator: "…") where !piece.trimmingCharacters(in: .whitespaces).isEmpty {
                #expect(golden.contains(piece.trimmingCharacters(in: .whitespaces)), "README excerpt line not in the golden: \(line)")
            }
        }
    }
}

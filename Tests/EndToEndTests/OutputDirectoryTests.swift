import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `run --output DIR`: one file per scenario in the chosen format plus `junit.xml`; standard
/// output keeps only the summary line.
struct OutputDirectoryTests {
    static let extensions = ["text": "txt", "jsonl": "jsonl", "mermaid": "mmd", "html": "html"]

    /// Plays every shipped scenario into `fixtures/out` (not created beforehand) in `format`.
    static func write(_ format: String, fixtures: Fixtures, sourceLocation: SourceLocation = #_sourceLocation) throws -> (directory: URL, result: LabOutput) {
        let directory = fixtures.directory.appendingPathComponent("out/\(format)")
        let result = try Lab.run(["run", "scenarios", "--format", format, "--output", directory.path])
        return (directory, result)
    }

    static func contents(_ directory: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
    }

    static func read(_ directory: URL, _ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    @Test(arguments: ["text", "jsonl", "mermaid", "html"])
    func writesOneFilePerScenarioPlusJUnitAndPrintsOnlyTheSummary(format: String) throws {
        let fixtures = try Fixtures()
        let names = try Lab.shippedScenarioNames()
        let (directory, result) = try OutputDirectoryTests.write(format, fixtures: fixtures)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == "\(names.count) passed, 0 failed\n")
        #expect(result.stderr.isEmpty)
        let fileExtension = try #require(OutputDirectoryTests.extensions[format])
        #expect(try OutputDirectoryTests.contents(directory) == Set(names.map { "\($0).\(fileExtension)" } + ["junit.xml"]))
    }

    @Test func textFilesEqualTheGoldens() throws {
        let fixtures = try Fixtures()
        let (directory, result) = try OutputDirectoryTests.write("text", fixtures: fixtures)
        #expect(result.status == 0, "\(result.summary)")
        for name in try Lab.shippedScenarioNames() {
            #expect(try OutputDirectoryTests.read(directory, "\(name).txt") == (try Lab.golden(name)), "\(name).txt")
        }
    }

    @Test func jsonlFilesHoldOneScenarioEach() throws {
        let fixtures = try Fixtures()
        let (directory, result) = try OutputDirectoryTests.write("jsonl", fixtures: fixtures)
        #expect(result.status == 0, "\(result.summary)")
        for name in try Lab.shippedScenarioNames() {
            let records = try Formats.jsonl(try OutputDirectoryTests.read(directory, "\(name).jsonl"))
            #expect(Formats.scenarios(records).count == 1, "\(name).jsonl")
            #expect(records.first?["scenario"] == .string(name))
            #expect(records.last?["verdict"] == .string("pass"))
        }
    }

    @Test func mermaidAndHTMLFilesAreDiagramsAndPages() throws {
        let fixtures = try Fixtures()
        let (mermaid, mermaidResult) = try OutputDirectoryTests.write("mermaid", fixtures: fixtures)
        let (html, htmlResult) = try OutputDirectoryTests.write("html", fixtures: fixtures)
        #expect(mermaidResult.status == 0 && htmlResult.status == 0, "\(mermaidResult.summary)\n\(htmlResult.summary)")
        for name in try Lab.shippedScenarioNames() {
            #expect(try OutputDirectoryTests.read(mermaid, "\(name).mmd").hasPrefix("sequenceDiagram\n"), "\(name).mmd")
            let page = try OutputDirectoryTests.read(html, "\(name).html")
            #expect(page.hasPrefix("<!DOCTYPE html>"), "\(name).html")
            #expect(page.hasSuffix("</html>\n"), "\(name).html")
        }
    }

    @Test func theJUnitFileEqualsTheJUnitFormatOnStandardOutput() throws {
        let fixtures = try Fixtures()
        let (directory, result) = try OutputDirectoryTests.write("text", fixtures: fixtures)
        let junit = try Lab.run(["run", "scenarios", "--format", "junit"])
        #expect(result.status == 0 && junit.status == 0)
        #expect(try OutputDirectoryTests.read(directory, "junit.xml") == junit.stdout)
    }

    @Test func junitFormatWithAnOutputDirectoryWritesOnlyJUnitXML() throws {
        let fixtures = try Fixtures()
        let names = try Lab.shippedScenarioNames()
        let (directory, result) = try OutputDirectoryTests.write("junit", fixtures: fixtures)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == "\(names.count) passed, 0 failed\n")
        #expect(try OutputDirectoryTests.contents(directory) == ["junit.xml"])
        let document = JUnitDocument(try OutputDirectoryTests.read(directory, "junit.xml"))
        #expect(document.parseError == nil)
        #expect(document.testCases.map(\.name) == names)
    }

    @Test func aFailingScenarioIsWrittenAndRecordedAsAFailureInJUnitXML() throws {
        let fixtures = try Fixtures()
        let failing = try JUnitFormatTests.failingCopy(in: fixtures)
        let directory = fixtures.directory.appendingPathComponent("out")
        let result = try Lab.run(["run", failing, "--output", directory.path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdout == JUnitFormatTests.failLine(failing) + "0 passed, 1 failed\n", "the failure is named on stdout")
        #expect(try OutputDirectoryTests.contents(directory) == ["revoked-grant.txt", "junit.xml"])
        #expect(try OutputDirectoryTests.read(directory, "revoked-grant.txt").contains("   verdict     FAIL\n"))
        let document = JUnitDocument(try OutputDirectoryTests.read(directory, "junit.xml"))
        #expect(document.testCases.first?.failureMessage == "expect.effects.send-briefing: expected 2, got 1")
    }
}

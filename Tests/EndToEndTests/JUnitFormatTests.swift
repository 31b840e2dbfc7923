import Foundation
import Testing

/// `run --format junit`: one JUnit XML document on standard output, one test case per scenario,
/// failures carrying the broken expectation, bad input files as failed test cases.
struct JUnitFormatTests {
    /// A copy of revoked-grant whose effects expectation cannot hold.
    static func failingCopy(in fixtures: Fixtures, as name: String = "revoked-grant.json") throws -> String {
        let text = try Formats.scenarioText("revoked-grant").replacingOnce("\"send-briefing\": 1 }", with: "\"send-briefing\": 2 }")
        return try fixtures.write(name, text)
    }

    /// The line a run prints before its summary for the failing copy at `path`.
    static func failLine(_ path: String) -> String {
        "FAIL revoked-grant (\(path)): expect.effects.send-briefing: expected 2, got 1\n"
    }

    @Test func allShippedScenariosAreOneTestCaseEachWithNoFailures() throws {
        let names = try Lab.shippedScenarioNames()
        let result = try Lab.run(["run", "scenarios", "--format", "junit"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        #expect(result.stdout.components(separatedBy: "<testcase ").count - 1 == names.count)
        #expect(result.stdout.contains("<testsuites name=\"revive-lab\" tests=\"\(names.count)\" failures=\"0\""))
        #expect(result.stdout.contains("tests=\"\(names.count)\" failures=\"0\" errors=\"0\" skipped=\"0\""))
        #expect(!result.stdout.contains("<failure"))
        let document = JUnitDocument(result.stdout)
        #expect(document.parseError == nil, "well-formed XML: \(document.parseError ?? "")")
        #expect(document.testCases.map(\.name) == names)
        #expect(document.testCases.map(\.classname) == names.map { "scenarios/\($0).json" })
        #expect(document.rootAttributes["failures"] == "0")
        #expect(document.suiteAttributes["tests"] == String(names.count))
    }

    @Test func theSummaryGoesToStandardErrorSoStandardOutputIsOnlyXML() throws {
        let names = try Lab.shippedScenarioNames()
        let result = try Lab.run(["run", "scenarios", "--format", "junit"])
        #expect(result.stderr == "\(names.count) passed, 0 failed\n")
        #expect(result.stdout.hasSuffix("</testsuites>\n"), "nothing after the document: \(result.summary)")
    }

    @Test func aFailingScenarioHasAFailureNamingTheBrokenExpectation() throws {
        let fixtures = try Fixtures()
        let failing = try JUnitFormatTests.failingCopy(in: fixtures)
        let result = try Lab.run(["run", failing, "scenarios/worker-loss.json", "--format", "junit"])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdout.contains("<failure message=\"expect.effects.send-briefing: expected 2, got 1\" type=\"recovery\">"),
                "\(result.summary)")
        #expect(result.stdout.contains("tests=\"2\" failures=\"1\""))
        let document = JUnitDocument(result.stdout)
        #expect(document.parseError == nil, "well-formed XML: \(document.parseError ?? "")")
        try #require(document.testCases.count == 2)
        let broken = document.testCases[0]
        #expect(broken.name == "revoked-grant")
        #expect(broken.classname == failing)
        #expect(broken.failureMessage == "expect.effects.send-briefing: expected 2, got 1")
        #expect(broken.failureText.contains("verdict     FAIL"), "the failure body is the report's footer: \(broken.failureText)")
        #expect(broken.failureText.contains("reproduce   revive-lab run \(failing) --seed 7"))
        #expect(document.testCases[1].name == "worker-loss")
        #expect(document.testCases[1].failureMessage == nil)
        #expect(result.stderr == JUnitFormatTests.failLine(failing) + "1 passed, 1 failed\n")
    }

    @Test func aBadInputFileIsAFailedTestCase() throws {
        let fixtures = try Fixtures()
        let bad = try fixtures.write("broken.json", "{ \"format\": 1, \n")
        let result = try Lab.run(["run", bad, "scenarios/revoked-grant.json", "--format", "junit"])
        #expect(result.status == 2, "\(result.summary)")
        let document = JUnitDocument(result.stdout)
        #expect(document.parseError == nil, "well-formed XML: \(document.parseError ?? "")")
        #expect(document.rootAttributes["tests"] == "2")
        #expect(document.rootAttributes["failures"] == "1")
        let failed = try #require(document.testCases.first(where: { $0.name == bad }), "a test case named after the bad file: \(result.stdout)")
        #expect(failed.failureType == "input")
        #expect(failed.failureMessage?.hasPrefix("\(bad): not valid JSON at line 2") == true, "\(failed.failureMessage ?? "nil")")
        #expect(document.testCases.first(where: { $0.name == "revoked-grant" })?.failureMessage == nil)
        #expect(result.stderr.contains("error: \(bad): not valid JSON"))
        #expect(result.stderrLines.last == "1 passed, 1 failed")
    }

    @Test func markupCharactersInPathsAndMessagesAreEscaped() throws {
        let fixtures = try Fixtures()
        let directory = try fixtures.makeDirectory("a&b <\"q'>")
        let failing = try JUnitFormatTests.failingCopy(in: fixtures, as: "a&b <\"q'>/revoked-grant.json")
        let bad = try fixtures.write("a&b <\"q'>/bad.json", "<not json & not xml>")
        #expect(failing.hasPrefix(directory))
        let result = try Lab.run(["run", directory, "--format", "junit"])
        #expect(result.status == 2, "\(result.summary)")
        let document = JUnitDocument(result.stdout)
        #expect(document.parseError == nil, "well-formed XML: \(document.parseError ?? "")\n\(result.stdout)")
        #expect(Set(document.testCases.map(\.classname)) == [failing, bad])
        #expect(document.testCases.first(where: { $0.classname == bad })?.failureMessage?.hasPrefix(bad) == true)
    }
}

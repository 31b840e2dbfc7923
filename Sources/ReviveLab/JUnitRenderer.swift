import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Renders a suite of results as JUnit XML: one test case per scenario, failures carrying the
/// broken expectations and invariants with the transitions that show them.
public enum JUnitRenderer {
    /// The XML document for a suite (input errors become failed test cases too).
    public static func render(_ results: [ScenarioResult], inputErrors: [InputProblem] = []) -> String {
        let failures = results.filter { !$0.passed }.count + Set(inputErrors.map(\.file)).count
        let tests = results.count + Set(inputErrors.map(\.file)).count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"revive-lab\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\">\n"
        out += "  <testsuite name=\"revive-lab scenarios\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        for result in results {
            let scenario = result.scenario
            out += "    <testcase classname=\"\(escape(scenario.file))\" name=\"\(escape(scenario.name))\" time=\"0\">\n"
            out += "      <properties><property name=\"seed\" value=\"\(scenario.seed)\"/>"
            out += "<property name=\"runtime\" value=\"\(scenario.runtime.kind.rawValue)\"/>"
            out += "<property name=\"outcome\" value=\"\(result.outcome.rawValue)\"/></properties>\n"
            if !result.passed {
                let first = result.failedExpectations.first ?? result.breaches.first.map { "\($0.invariant.rawValue): \($0.message)" }
                    ?? result.limitReached ?? "failed"
                out += "      <failure message=\"\(escape(first))\" type=\"recovery\">"
                out += escape(TextRenderer(color: false).footer(result))
                out += "</failure>\n"
            }
            out += "    </testcase>\n"
        }
        var byFile: [String: [InputProblem]] = [:]
        var order: [String] = []
        for problem in inputErrors {
            if byFile[problem.file] == nil { order.append(problem.file) }
            byFile[problem.file, default: []].append(problem)
        }
        for file in order {
            let problems = byFile[file]!
            out += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(file))\" time=\"0\">\n"
            out += "      <failure message=\"\(escape(problems[0].description))\" type=\"input\">"
            out += escape(problems.map(\.description).joined(separator: "\n"))
            out += "</failure>\n    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// Escapes text for XML attributes and content.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where scalar.value < 0x20 && scalar != "\n" && scalar != "\t": out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

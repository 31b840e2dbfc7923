import Foundation
import ReviveLab
import Testing
import Revive
import ReviveVocabulary
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Helpers shared by the format, check, replay, validate and compare tests: reading JSONL
/// timelines, parsing JUnit XML, reading `compare` tables and running under a terminal.
enum Formats {
    /// Every line of `text` parsed as JSON (throws on the first line that is not).
    static func jsonl(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONValue] {
        try LabOutput.lines(text).enumerated().map { offset, line in
            do { return try JSONValue.parse(line) } catch {
                Issue.record("line \(offset + 1) is not JSON (\(error)): \(line)", sourceLocation: sourceLocation)
                throw error
            }
        }
    }

    /// The records of a JSONL stream grouped per scenario: each group starts at a header.
    static func scenarios(_ records: [JSONValue]) -> [[JSONValue]] {
        var groups: [[JSONValue]] = []
        for record in records {
            if record["record"]?.stringValue == "header" || groups.isEmpty { groups.append([]) }
            groups[groups.count - 1].append(record)
        }
        return groups
    }

    /// The `transition` records of a stream.
    static func transitions(_ records: [JSONValue]) -> [JSONValue] {
        records.filter { $0["record"]?.stringValue == "transition" }
    }

    /// The scenario document of a shipped scenario, parsed.
    static func scenarioDocument(_ name: String) throws -> JSONValue {
        try JSONValue.parse(try scenarioText(name))
    }

    /// The text of a shipped scenario file.
    static func scenarioText(_ name: String) throws -> String {
        try String(contentsOf: Lab.scenarioDirectory.appendingPathComponent("\(name).json"), encoding: .utf8)
    }

    /// Records `run scenarios/NAME.json --format jsonl` into `fixtures` and returns the path and lines.
    static func record(_ name: String, in fixtures: Fixtures, extra: [String] = [],
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> (path: String, lines: [String]) {
        let result = try Lab.run(["run", "scenarios/\(name).json", "--format", "jsonl"] + extra)
        try #require(result.status == 0, "recording \(name): \(result.summary)", sourceLocation: sourceLocation)
        let path = try fixtures.write("\(name).jsonl", result.stdout)
        return (path, result.stdoutLines)
    }

    /// Records every shipped scenario as JSONL under `fixtures` and returns the files, in scenario order.
    static func recordAllShipped(in fixtures: Fixtures, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let directory = fixtures.directory.appendingPathComponent("jsonl")
        let run = try Lab.run(["run", "scenarios", "--format", "jsonl", "--output", directory.path])
        try #require(run.status == 0, "recording scenarios: \(run.summary)", sourceLocation: sourceLocation)
        return try Lab.shippedScenarioNames().map { directory.appendingPathComponent("\($0).jsonl").path }
    }

    /// The 1-based line numbers of `lines` whose record has the transition name `name`.
    static func lineNumbers(of name: String, in lines: [String]) -> [Int] {
        lines.enumerated().filter { $0.element.contains("\"name\":\"\(name)\"") }.map { $0.offset + 1 }
    }

    /// `+HH:MM:SS.mmm` for a millisecond count, as the timeline writes it.
    static func clock(_ milliseconds: Int64) -> String {
        let ms = milliseconds % 1000, totalSeconds = milliseconds / 1000
        let h = totalSeconds / 3600, m = (totalSeconds / 60) % 60, s = totalSeconds % 60
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let three = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "+\(two(h)):\(two(m)):\(two(s)).\(three)"
    }

    /// The text timeline of `run scenarios` split into one block of lines per scenario, by name.
    static func textBlocks(_ stdout: String) -> [(name: String, lines: [String])] {
        var blocks: [(name: String, lines: [String])] = []
        for line in LabOutput.lines(stdout) {
            if line.hasPrefix("== ") {
                let name = line.dropFirst(3).split(separator: " ").first.map(String.init) ?? ""
                blocks.append((name, [line]))
            } else if !blocks.isEmpty {
                blocks[blocks.count - 1].lines.append(line)
            }
        }
        return blocks
    }

    /// The transition names of a text timeline (the third column of every `+HH:MM:SS.mmm` line).
    static func textTransitionNames(_ lines: [String]) -> [String] {
        lines.filter { $0.hasPrefix("+") }.map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first.map(String.init) ?? ""
        }
    }

    /// The rows of a `compare` report: label → (with Revive, without Revive). Rows are laid out
    /// as three spaces, the label padded to 24, a space, the Revive cell padded to 22, a space and
    /// the baseline cell.
    static func compareRows(_ report: [String]) -> [String: (with: String, without: String)] {
        var rows: [String: (with: String, without: String)] = [:]
        for line in report where line.hasPrefix("   ") && line.count > 51 {
            let characters = Array(line)
            let label = String(characters[3..<27]).trimmingCharacters(in: .whitespaces)
            let left = String(characters[28..<50]).trimmingCharacters(in: .whitespaces)
            let right = String(characters[51...]).trimmingCharacters(in: .whitespaces)
            rows[label] = (left, right)
        }
        return rows
    }

    /// The twelve invariant names, in the order the lab checks and prints them.
    static let invariants = ["same-run", "checkpoint-resume", "effect-once", "reconcile-before-retry", "identity-bound",
                             "capability-single-use", "fenced-generations", "no-dead-retry", "durable-case", "token-custody",
                             "history-complete", "liveness"]
}

/// A JUnit document read with Foundation's `XMLParser`: whether it is well formed, the root and
/// suite attributes, and each test case with its failure.
final class JUnitDocument: NSObject, XMLParserDelegate {
    struct TestCase {
        var name: String
        var classname: String
        var failureMessage: String?
        var failureType: String?
        var failureText = ""
    }

    private(set) var parseError: String?
    private(set) var rootAttributes: [String: String] = [:]
    private(set) var suiteAttributes: [String: String] = [:]
    private(set) var testCases: [TestCase] = []
    private var inFailure = false

    init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() {
            parseError = parseError ?? parser.parserError.map { "\($0)" } ?? "XMLParser.parse() returned false"
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch elementName {
        case "testsuites": rootAttributes = attributes
        case "testsuite": suiteAttributes = attributes
        case "testcase": testCases.append(TestCase(name: attributes["name"] ?? "", classname: attributes["classname"] ?? ""))
        case "failure":
            inFailure = true
            if !testCases.isEmpty {
                testCases[testCases.count - 1].failureMessage = attributes["message"] ?? ""
                testCases[testCases.count - 1].failureType = attributes["type"]
            }
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == "failure" { inFailure = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inFailure, !testCases.isEmpty { testCases[testCases.count - 1].failureText += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        self.parseError = "\(parseError) at line \(parser.lineNumber), column \(parser.columnNumber)"
    }
}

extension Lab {
    /// The `script` command that gives a child a pseudo-terminal (util-linux syntax), when present.
    static let scriptCommand: String? = {
        #if os(Linux)
        for path in ["/usr/bin/script", "/bin/script"] where FileManager.default.isExecutableFile(atPath: path) { return path }
        #endif
        return nil
    }()

    /// Whether `runInTerminal` can work here.
    static var canRunInTerminal: Bool { scriptCommand != nil }

    /// Runs `revive-lab ARGUMENTS` with standard output on a pseudo-terminal (through `script`),
    /// so the lab believes it talks to a person. Returns what the terminal showed.
    static func runInTerminal(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> LabOutput {
        guard let script = scriptCommand else {
            struct NoTerminal: Error {}
            throw NoTerminal()
        }
        func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([try executableURL().path] + arguments).map(quoted).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment.merge(overrides) { _, override in override }
        process.environment = environment
        let outPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let ended = try process.runNotingExit()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        ended.wait()
        return LabOutput(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: outData, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"),
                         stderr: "")
    }
}

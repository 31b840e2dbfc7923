import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `run --format mermaid`: a sequence diagram with one statement per transition.
struct MermaidFormatTests {
    /// The lines of a diagram after the header, title and participant declarations.
    static func statements(_ diagram: String) -> [String] {
        LabOutput.lines(diagram).dropFirst().filter { line in
            !line.hasPrefix("    title ") && !line.hasPrefix("    participant ")
        }
    }

    /// participant id → shown name.
    static func participants(_ diagram: String) -> [(id: String, name: String)] {
        LabOutput.lines(diagram).filter { $0.hasPrefix("    participant ") }.compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 4, words[2] == "as" else { return nil }
            return (String(words[1]), String(words[3]))
        }
    }

    @Test func startsWithSequenceDiagramAndATitleWithTheVerdict() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "mermaid"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdoutLines.first == "sequenceDiagram")
        #expect(result.stdoutLines.dropFirst().first == "    title revoked-grant (seed 7, langgraph): PASS, completed")
        #expect(result.stderr == "1 passed, 0 failed\n", "the summary stays off the diagram")
    }

    @Test func declaresProviderReviveRuntimeEachWorkerAndTheOwner() throws {
        let result = try Lab.run(["run", "scenarios/worker-loss.json", "--format", "mermaid"])
        #expect(result.status == 0, "\(result.summary)")
        let names = MermaidFormatTests.participants(result.stdout).map(\.name)
        #expect(Array(names.prefix(5)) == ["provider", "revive", "runtime", "worker-a", "worker-b"])
        #expect(names.contains("owner"))
        #expect(Set(names).count == names.count, "each participant once: \(names)")
    }

    @Test func hasOneStatementPerTransition() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let transitions = Formats.transitions(try Formats.jsonl(recording.lines.joined(separator: "\n")))
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "mermaid"])
        let statements = MermaidFormatTests.statements(result.stdout)
        #expect(statements.count == transitions.count, "\(statements.count) statements for \(transitions.count) transitions")
        for (statement, transition) in zip(statements, transitions) {
            let name = transition["name"]?.stringValue ?? "?"
            #expect(statement.contains(": \(name)"), "statement \(statement.debugDescription) shows \(name)")
        }
    }

    @Test func everyShippedScenarioHasOneStatementPerTransitionAndNoStatementBreakingCharacters() throws {
        let fixtures = try Fixtures()
        let mermaid = fixtures.directory.appendingPathComponent("mmd")
        let jsonl = fixtures.directory.appendingPathComponent("jsonl")
        let first = try Lab.run(["run", "scenarios", "--format", "mermaid", "--output", mermaid.path])
        let second = try Lab.run(["run", "scenarios", "--format", "jsonl", "--output", jsonl.path])
        #expect(first.status == 0 && second.status == 0, "\(first.summary)\n\(second.summary)")
        for name in try Lab.shippedScenarioNames() {
            let diagram = try String(contentsOf: mermaid.appendingPathComponent("\(name).mmd"), encoding: .utf8)
            let records = try Formats.jsonl(try String(contentsOf: jsonl.appendingPathComponent("\(name).jsonl"), encoding: .utf8))
            let statements = MermaidFormatTests.statements(diagram)
            #expect(statements.count == Formats.transitions(records).count, "\(name): one statement per transition")
            for line in LabOutput.lines(diagram).dropFirst() {
                #expect(line.hasPrefix("    "), "\(name): \(line.debugDescription) is indented under sequenceDiagram")
                #expect(!line.contains(";") && !line.contains("#"), "\(name): \(line.debugDescription) has no ; or #")
            }
        }
    }

    /// The participant ids a diagram's statements use without declaring them.
    static func undeclaredParticipants(_ diagram: String) -> Set<String> {
        let declared = Set(participants(diagram).map(\.id))
        var undeclared = Set<String>()
        for statement in statements(diagram) {
            let head = statement.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            let ids = head.components(separatedBy: "p_").dropFirst().map { "p_" + $0.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" }) }
            for id in ids where !declared.contains(id) { undeclared.insert(id) }
        }
        return undeclared
    }

    @Test func statementsOnlyUseDeclaredParticipantsInEveryShippedScenario() throws {
        let fixtures = try Fixtures()
        let mermaid = fixtures.directory.appendingPathComponent("mmd")
        let result = try Lab.run(["run", "scenarios", "--format", "mermaid", "--output", mermaid.path])
        #expect(result.status == 0, "\(result.summary)")
        for name in try Lab.shippedScenarioNames() {
            let diagram = try String(contentsOf: mermaid.appendingPathComponent("\(name).mmd"), encoding: .utf8)
            #expect(MermaidFormatTests.statements(diagram).allSatisfy { $0.contains("p_") }, "\(name): every statement names a participant")
            // The operator is covered (as a known issue) by anOperatorWhoIsOnlyAlertedIsStillDeclared.
            let undeclared = MermaidFormatTests.undeclaredParticipants(diagram).subtracting(["p_operator"])
            #expect(undeclared.isEmpty, "\(name): statements use undeclared participants \(undeclared.sorted())")
        }
    }

    @Test func anOperatorWhoIsOnlyAlertedIsStillDeclared() throws {
        let result = try Lab.run(["run", "scenarios/policy-blocked-microsoft.json", "--format", "mermaid"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains("p_revive->>p_operator: operator.alerted"))
        // operator.alerted draws an arrow to the operator, but MermaidRenderer only declares parties
        // that appear as a transition's actor or worker; Mermaid then creates the participant
        // itself and labels it with the raw id "p_operator" instead of "operator".
        #expect(MermaidFormatTests.participants(result.stdout).map(\.name).contains("operator"), "\(result.stdout)")
    }

    @Test func onlyFiltersTheStatements() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "mermaid", "--only", "lease.*"])
        #expect(result.status == 0, "\(result.summary)")
        let statements = MermaidFormatTests.statements(result.stdout)
        #expect(statements.count == 4, "\(statements)")
        #expect(statements.allSatisfy { $0.contains(": lease.") }, "\(statements)")
    }
}

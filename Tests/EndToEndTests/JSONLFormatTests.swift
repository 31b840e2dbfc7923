import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `run --format jsonl`: one JSON object per line (header, transitions, footer), the summary on
/// standard error so standard output stays machine-readable.
struct JSONLFormatTests {
    @Test func everyStdoutLineIsAJSONObjectWithARecordKind() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.summary)")
        let records = try Formats.jsonl(result.stdout)
        try #require(records.count > 2)
        for (offset, record) in records.enumerated() {
            guard case .object = record else {
                Issue.record("line \(offset + 1) is not an object: \(record.compactText)")
                continue
            }
            #expect(["header", "transition", "footer"].contains(record["record"]?.stringValue ?? ""),
                    "line \(offset + 1) has record \(record["record"]?.compactText ?? "nil")")
        }
    }

    @Test func theFirstRecordIsAHeaderWithTheScenarioAndItsSourceDocument() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.summary)")
        let header = try #require(try Formats.jsonl(result.stdout).first)
        #expect(header["record"] == .string("header"))
        #expect(header["schema"] == .integer(1))
        #expect(header["scenario"] == .string("revoked-grant"))
        #expect(header["file"] == .string("scenarios/revoked-grant.json"))
        #expect(header["seed"] == .integer(7))
        #expect(header["runtime"] == .string("langgraph"))
        #expect(header["workers"] == .array([.string("worker-a")]))
        let source = try #require(header["source"])
        #expect(source == (try Formats.scenarioDocument("revoked-grant")), "source is the scenario document itself")
    }

    @Test func aSeedGivenOnTheCommandLineIsTheHeadersSeedWhileTheSourceKeepsTheFilesSeed() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl", "--seed", "99"])
        #expect(result.status == 0, "\(result.summary)")
        let header = try #require(try Formats.jsonl(result.stdout).first)
        #expect(header["seed"] == .integer(99))
        #expect(header["source"]?["seed"] == .integer(7))
    }

    @Test func transitionRecordsCarrySeqFromZeroAndTheAlwaysPresentKeys() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.summary)")
        let records = try Formats.jsonl(result.stdout)
        let transitions = Array(records.dropFirst().dropLast())
        try #require(!transitions.isEmpty)
        #expect(transitions.allSatisfy { $0["record"] == .string("transition") }, "everything between header and footer is a transition")
        for (index, record) in transitions.enumerated() {
            #expect(record["seq"] == .integer(Int64(index)), "record \(index) has seq \(record["seq"]?.compactText ?? "nil")")
            let timeMs = try #require(record["timeMs"]?.integerValue, "timeMs in \(record.compactText)")
            #expect(record["time"] == .string(Formats.clock(timeMs)), "time agrees with timeMs in \(record.compactText)")
            #expect(record["actor"]?.stringValue?.isEmpty == false, "actor in \(record.compactText)")
            #expect(record["name"]?.stringValue?.isEmpty == false, "name in \(record.compactText)")
        }
        let times = transitions.compactMap { $0["timeMs"]?.integerValue }
        #expect(times == times.sorted(), "virtual time never goes backwards")
    }

    @Test func theLastRecordIsAFooterWithOutcomeEffectsAndVerdict() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.summary)")
        let records = try Formats.jsonl(result.stdout)
        let footer = try #require(records.last)
        #expect(footer["record"] == .string("footer"))
        #expect(footer["outcome"] == .string("completed"))
        #expect(footer["classification"] == .string("dead_grant"))
        #expect(footer["effects"] == .object([(key: "send-briefing", value: .integer(1))]))
        #expect(footer["invariantsChecked"] == .array(Formats.invariants.map { .string($0) }))
        #expect(footer["invariantsBroken"] == .array([]))
        #expect(footer["breaches"] == .array([]))
        #expect(footer["failedExpectations"] == .array([]))
        #expect(footer["verdict"] == .string("pass"))
        #expect(records.filter { $0["record"] == .string("footer") }.count == 1)
    }

    @Test func aFailingScenariosFooterSaysFailAndNamesTheBrokenExpectation() throws {
        let fixtures = try Fixtures()
        let text = try Formats.scenarioText("revoked-grant").replacingOnce("\"send-briefing\": 1 }", with: "\"send-briefing\": 2 }")
        let path = try fixtures.write("revoked-grant.json", text)
        let result = try Lab.run(["run", path, "--format", "jsonl"])
        #expect(result.status == 1, "\(result.summary)")
        let footer = try #require(try Formats.jsonl(result.stdout).last)
        #expect(footer["verdict"] == .string("fail"))
        #expect(footer["failedExpectations"] == .array([.string("expect.effects.send-briefing: expected 2, got 1")]))
        #expect(result.stderr == JUnitFormatTests.failLine(path) + "0 passed, 1 failed\n")
    }

    @Test func theSummaryLineGoesToStandardErrorNotStandardOutput() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr == "2 passed, 0 failed\n")
        #expect(!result.stdout.contains("passed"), "stdout holds only JSON: \(result.summary)")
        _ = try Formats.jsonl(result.stdout)
    }

    @Test func everyScenarioInAStreamHasItsOwnHeaderAndFooter() throws {
        let names = try Lab.shippedScenarioNames()
        let result = try Lab.run(["run", "scenarios", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.summary)")
        let groups = Formats.scenarios(try Formats.jsonl(result.stdout))
        #expect(groups.map { $0.first?["scenario"]?.stringValue ?? "?" } == names)
        for group in groups {
            #expect(group.first?["record"] == .string("header"))
            #expect(group.last?["record"] == .string("footer"))
            #expect(group.last?["verdict"] == .string("pass"), "\(group.first?["scenario"]?.stringValue ?? "?")")
        }
    }

    @Test func transitionNamesEqualTheTextTimelinesNamesInOrderForEveryScenario() throws {
        let jsonl = try Lab.run(["run", "scenarios", "--format", "jsonl"])
        let text = try Lab.run(["run", "scenarios", "--format", "text", "--no-color"])
        #expect(jsonl.status == 0, "\(jsonl.summary)")
        #expect(text.status == 0, "\(text.summary)")
        let groups = Formats.scenarios(try Formats.jsonl(jsonl.stdout))
        let blocks = Formats.textBlocks(text.stdout)
        try #require(groups.count == blocks.count && !blocks.isEmpty)
        for (group, block) in zip(groups, blocks) {
            let name = group.first?["scenario"]?.stringValue ?? "?"
            #expect(name == block.name)
            let jsonNames = Formats.transitions(group).map { $0["name"]?.stringValue ?? "" }
            let textNames = Formats.textTransitionNames(block.lines)
            #expect(jsonNames == textNames, "transition names of \(name)")
        }
    }
}

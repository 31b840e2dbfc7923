import Foundation
import Testing

/// `revive-lab run` on the shipped scenarios, through the built binary.
struct RunCommandTests {
    /// The transition names of a timeline (the third column of every `+HH:MM:SS.mmm` line).
    static func transitionNames(_ stdout: String) -> [String] {
        LabOutput.lines(stdout).filter { $0.hasPrefix("+") }.map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first.map(String.init) ?? ""
        }
    }

    /// Every word in `text` that starts with `prefix` followed by hex digits, like `case_20a21bab`.
    static func ids(_ prefix: String, in text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "=" }).map(String.init).filter { word in
            word.hasPrefix(prefix) && word.count > prefix.count && word.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
        }
    }

    @Test func runScenariosPlaysEveryShippedScenarioAndPasses() throws {
        let names = try Lab.shippedScenarioNames()
        try #require(!names.isEmpty, "no scenarios/*.json found")
        let result = try Lab.run(["run", "scenarios"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.signalled)
        #expect(result.stderr.isEmpty)
        let headers = result.stdoutLines.filter { $0.hasPrefix("== ") }
        #expect(headers.count == names.count)
        #expect(headers == names.map { "== \($0)  (scenarios/\($0).json)" })
        #expect(result.stdoutLines.last == "\(names.count) passed, 0 failed")
        #expect(result.stdout.hasSuffix("\n\n\(names.count) passed, 0 failed\n"))
        #expect(result.stdoutLines.filter { $0 == "   verdict     PASS" }.count == names.count)
        #expect(!result.stdout.contains("\u{1B}["), "no colour codes without a terminal")
    }

    @Test func runScenariosPrintsTheGoldenTimelinesOneAfterAnother() throws {
        let names = try Lab.shippedScenarioNames()
        let expected = try names.map(Lab.golden).joined(separator: "\n") + "\n\(names.count) passed, 0 failed\n"
        let result = try Lab.run(["run", "scenarios", "--no-color"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == expected)
    }

    @Test func oneScenarioPrintsExactlyItsGoldenThenTheSummary() throws {
        let golden = try Lab.golden("revoked-grant")
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--no-color"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == golden + "\n1 passed, 0 failed\n")
    }

    @Test func withoutNoColorAndWithoutATerminalTheOutputIsStillPlain() throws {
        let golden = try Lab.golden("revoked-grant")
        let result = try Lab.run(["run", "scenarios/revoked-grant.json"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == golden + "\n1 passed, 0 failed\n")
    }

    @Test func twoRunsGiveByteIdenticalOutput() throws {
        let first = try Lab.run(["run", "scenarios"])
        let second = try Lab.run(["run", "scenarios"])
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stderr == second.stderr)
        let seededFirst = try Lab.run(["run", "scenarios", "--seed", "99"])
        let seededSecond = try Lab.run(["run", "scenarios", "--seed=99"])
        #expect(seededFirst.stdout == seededSecond.stdout, "--seed 99 and --seed=99 are the same run, every time")
    }

    /// `run` plays on threads ahead of an in-order report: the same bytes, order and exit code
    /// for any --jobs, with a failing scenario and an invalid file among passing ones.
    @Test func anyJobsCountGivesTheSameReport() throws {
        let fixtures = try Fixtures()
        let original = try String(contentsOf: Lab.scenarioDirectory.appendingPathComponent("revoked-grant.json"), encoding: .utf8)
        let failing = try fixtures.write("broken.json",
                                         try original.replacingOnce("\"effects\": { \"send-briefing\": 1 }", with: "\"effects\": { \"send-briefing\": 2 }"))
        let invalid = try fixtures.write("invalid.json", #"{"format": 1, "name": "x"}"#)
        let paths = ["scenarios/revoked-grant.json", "scenarios/worker-loss.json", failing, invalid,
                     "scenarios/timeout-after-mutation.json", "scenarios/transient-503.json"]
        for extra in [[], ["--only", "lease.*"], ["--quiet"], ["--format", "jsonl"]] {
            let one = try Lab.run(["run"] + paths + extra + ["--jobs", "1"])
            #expect(one.status == 2, "an invalid file makes it an input error: \(one.summary)")
            #expect(one.stdout.contains("== revoked-grant  (\(failing))") || extra != [], "\(one.stdout.suffix(300))")
            for jobs in ["2", "7"] {
                let many = try Lab.run(["run"] + paths + extra + ["--jobs", jobs])
                #expect(many.status == one.status)
                #expect(many.stdout == one.stdout, "--jobs \(jobs) \(extra) prints the same report as --jobs 1")
                #expect(many.stderr == one.stderr, "--jobs \(jobs) \(extra) reports the same problems in the same order")
            }
        }
        let defaulted = try Lab.run(["run"] + paths)
        #expect(defaulted.stdout == (try Lab.run(["run"] + paths + ["--jobs", "1"])).stdout, "one thread per core by default")
        #expect(try Lab.run(["run", "scenarios/revoked-grant.json", "--jobs", "0"]).status == 2)
    }

    @Test func anotherSeedChangesTheIdsButStillPasses() throws {
        let usual = try Lab.run(["run", "scenarios/revoked-grant.json", "--no-color"])
        let seeded = try Lab.run(["run", "scenarios/revoked-grant.json", "--seed", "99", "--no-color"])
        #expect(seeded.status == 0, "\(seeded.summary)")
        #expect(seeded.stdoutLines.last == "1 passed, 0 failed")
        #expect(seeded.stdout.contains("   verdict     PASS\n"))
        #expect(seeded.stdoutLines.dropFirst().first?.hasPrefix("   seed 99, runtime langgraph") == true)
        #expect(seeded.stdout != usual.stdout)
        // Same story, other ids.
        #expect(RunCommandTests.transitionNames(seeded.stdout) == RunCommandTests.transitionNames(usual.stdout))
        for prefix in ["case_", "cap_", "lease_"] {
            let before = Set(RunCommandTests.ids(prefix, in: usual.stdout))
            let after = Set(RunCommandTests.ids(prefix, in: seeded.stdout))
            #expect(!before.isEmpty && !after.isEmpty, "\(prefix) ids appear in the timeline")
            #expect(before.isDisjoint(with: after), "\(prefix) ids change with the seed: \(before) vs \(after)")
        }
        // Every shipped scenario still passes under another seed.
        let count = try Lab.shippedScenarioNames().count
        let all = try Lab.run(["run", "scenarios", "--seed", "99"])
        #expect(all.status == 0, "\(all.summary)")
        #expect(all.stdoutLines.last == "\(count) passed, 0 failed")
    }

    @Test func anExpectationThatCannotHoldFailsWithExitOneAndAReproduceLine() throws {
        let fixtures = try Fixtures()
        let original = try String(contentsOf: Lab.scenarioDirectory.appendingPathComponent("revoked-grant.json"), encoding: .utf8)
        let broken = try original.replacingOnce("\"effects\": { \"send-briefing\": 1 }", with: "\"effects\": { \"send-briefing\": 2 }")
        let path = try fixtures.write("revoked-grant.json", broken)

        let result = try Lab.run(["run", path, "--no-color"])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdoutLines
        #expect(lines.first == "== revoked-grant  (\(path))")
        #expect(lines.contains("   effects     send-briefing=1 (expected 2)"))
        #expect(lines.contains("   verdict     FAIL"))
        #expect(lines.contains("   broken      expect.effects.send-briefing: expected 2, got 1"))
        let reproduce = "   reproduce   revive-lab run \(path) --seed 7"
        #expect(lines.contains(reproduce))
        #expect(lines.last == "0 passed, 1 failed")
        // The footer's order: verdict, then what broke, then how to reproduce it.
        if let verdict = lines.firstIndex(of: "   verdict     FAIL"),
           let brokenLine = lines.firstIndex(where: { $0.hasPrefix("   broken      ") }),
           let reproduceLine = lines.firstIndex(of: reproduce) {
            #expect(verdict < brokenLine && brokenLine < reproduceLine)
        }

        // The reproduce line, run as printed, gives the same report.
        let again = try Lab.run(["run", path, "--seed", "7", "--no-color"])
        #expect(again.status == 1)
        #expect(again.stdout == result.stdout)
    }

    @Test func onePassingAndOneFailingScenarioExitOne() throws {
        let fixtures = try Fixtures()
        let original = try String(contentsOf: Lab.scenarioDirectory.appendingPathComponent("revoked-grant.json"), encoding: .utf8)
        let path = try fixtures.write("broken.json",
                                      try original.replacingOnce("\"effects\": { \"send-briefing\": 1 }", with: "\"effects\": { \"send-briefing\": 2 }"))
        let result = try Lab.run(["run", "scenarios/transient-503.json", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdoutLines.filter { $0.hasPrefix("== ") }.count == 2)
        #expect(result.stdoutLines.last == "1 passed, 1 failed")
    }

    @Test func noTokenLikeValueIsEverPrinted() throws {
        let markers = ["eyJ0eX", "ya29.", "xoxe.", "ghu_", "rvcap_", "rvlab_"]
        for arguments in [["run", "scenarios"], ["run", "scenarios", "--seed", "99"]] {
            let result = try Lab.run(arguments)
            #expect(result.status == 0, "\(result.summary)")
            for marker in markers {
                #expect(!result.stdout.contains(marker), "stdout of \(arguments) shows \(marker)")
                #expect(!result.stderr.contains(marker), "stderr of \(arguments) shows \(marker)")
            }
        }
    }
}

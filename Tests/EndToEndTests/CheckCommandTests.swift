import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `revive-lab check`: the invariant checker over recorded JSONL timelines.
struct CheckCommandTests {
    @Test func aFreshRecordingChecksClean() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let result = try Lab.run(["check", recording.path])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == "\(recording.path): 33 transitions, 12 of 12 invariants held\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func everyShippedScenariosRecordingChecksClean() throws {
        let fixtures = try Fixtures()
        let paths = try Formats.recordAllShipped(in: fixtures)
        let result = try Lab.run(["check"] + paths)
        #expect(result.status == 0, "\(result.summary)")
        // A verdict line per record; the late-apply scenario adds its expected provider breach below its own.
        let verdicts = result.stdoutLines.filter { !$0.hasPrefix("   provider    late-apply (expected): ") }
        #expect(verdicts.count == paths.count)
        for (line, path) in zip(verdicts, paths) {
            #expect(line.hasPrefix("\(path): ") && line.hasSuffix(" transitions, 12 of 12 invariants held"), "\(line)")
        }
    }

    @Test func aDuplicatedEffectIsAnEffectOnceBreachWithBothLineNumbers() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let effectLine = try #require(Formats.lineNumbers(of: "effect.applied", in: recording.lines).first)
        var lines = recording.lines
        lines.insert(lines[effectLine - 1], at: effectLine)
        // Renumbered and sealed again, the record passes as whole: the checker judges its content.
        lines = try Formats.forged(lines)
        let path = try fixtures.write("duplicated.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["check", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.first == "\(path): 34 transitions, 11 of 12 invariants held")
        #expect(result.stdout.contains("   breach      effect-once: the effect of send-briefing happened again at the provider\n"), "\(result.summary)")
        let evidence = result.stdoutLines.filter { $0.hasPrefix("               line ") }
        #expect(evidence.count == 2, "\(result.summary)")
        #expect(evidence.first?.hasPrefix("               line \(effectLine): +00:10:00.400  provider   effect.applied") == true, "\(evidence)")
        #expect(evidence.last?.hasPrefix("               line \(effectLine + 1): +00:10:00.400  provider   effect.applied") == true, "\(evidence)")
        #expect(result.stderr.isEmpty)
    }

    @Test func aCallOnAnOlderGenerationAfterARotationIsAFencedGenerationsBreach() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let rotation = try #require(Formats.lineNumbers(of: "lease.rotated", in: recording.lines).first)
        let call = try #require(Formats.lineNumbers(of: "provider.called", in: recording.lines).last)
        #expect(call > rotation)
        var lines = recording.lines
        lines[call - 1] = try lines[call - 1].replacingOnce("\"generation\":2", with: "\"generation\":1")
        lines = try Formats.forged(lines)
        let path = try fixtures.write("stale-call.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["check", path])
        #expect(result.status == 1, "\(result.summary)")
        let breach = "   breach      fenced-generations: provider.called on conn_microsoft_ops with generation 1 after the rotation to 2"
        let at = try #require(result.stdoutLines.firstIndex(of: breach), "\(result.summary)")
        try #require(result.stdoutLines.count > at + 2)
        #expect(result.stdoutLines[at + 1].hasPrefix("               line \(rotation): +00:10:00.300  revive     lease.rotated"))
        #expect(result.stdoutLines[at + 2].hasPrefix("               line \(call): +00:10:00.300  worker-a   provider.called"))
        #expect(result.stdoutLines[at + 2].contains(" gen=1 "))
    }

    @Test func aThirdPartyLogWithoutHeaderFooterOrRecordKeysIsAccepted() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        // Keep only transition objects, without record, seq, time and digest: name, timeMs and the facts.
        let lines = try Formats.foreignLog(recording.lines)
        try #require(lines.count == 33)
        #expect(lines.allSatisfy { !$0.contains("\"record\"") && $0.contains("\"timeMs\"") })
        let path = try fixtures.write("integration.log.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["check", path])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == """
            \(path): 33 transitions, 12 of 12 invariants held
               unchecked   no seq and no digest chain (another tool's log, or an older record): \
            a deleted, duplicated, reordered or altered transition cannot be detected

            """)
    }

    @Test func aThirdPartyLogIsCheckedForBreachesToo() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("integration.jsonl", """
            {"name":"lease.rotated","timeMs":0,"actor":"broker","connection":"c1","generation":2}
            {"name":"provider.called","time":"+00:00:00.005","actor":"worker-x","connection":"c1","generation":1}

            """)
        let result = try Lab.run(["check", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.first == "\(path): 2 transitions, 11 of 12 invariants held")
        #expect(result.stdout.contains("breach      fenced-generations: provider.called on c1 with generation 1 after the rotation to 2"))
        #expect(result.stdout.contains("line 1: +00:00:00.000  broker     lease.rotated"), "\(result.summary)")
        #expect(result.stdout.contains("line 2: +00:00:00.005  worker-x   provider.called"), "\(result.summary)")
    }

    @Test func aLineThatIsNotJSONExitsTwoNamingTheLine() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("bad.jsonl", """
            {"name":"run.started","timeMs":0,"run":"r1"}
            this is not json
            {"name":"run.completed","timeMs":5,"run":"r1"}

            """)
        let result = try Lab.run(["check", path])
        #expect(result.status == 2, "\(result.summary)")
        #expect(!result.showsCrash)
        #expect(result.stdout.isEmpty, "\(result.summary)")
        #expect(result.stderrLines.count == 1, "\(result.summary)")
        #expect(result.stderr.hasPrefix("error: \(path): line 2: not valid JSON"), "\(result.summary)")
    }

    @Test func aTransitionWithoutANameExitsTwoNamingTheLine() throws {
        let fixtures = try Fixtures()
        let path = try fixtures.write("bad.jsonl", """
            {"name":"run.started","timeMs":0,"run":"r1"}
            {"name":"step.started","timeMs":1,"run":"r1","step":"a"}
            {"timeMs":5,"actor":"runtime","run":"r1"}

            """)
        let result = try Lab.run(["check", path])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout.isEmpty, "\(result.summary)")
        #expect(result.stderr == "error: \(path): line 3: missing \"name\" (the transition's name)\n", "\(result.summary)")
    }

    @Test func everyBadLineIsReportedAndAGoodFileIsStillChecked() throws {
        let fixtures = try Fixtures()
        let good = try Formats.record("revoked-grant", in: fixtures).path
        let bad = try fixtures.write("bad.jsonl", """
            {"name":"run.started","timeMs":0}
            [1, 2
            {"actor":"x","timeMs":1}
            {"name":"x.y"}
            {"record":"weird","name":"a","timeMs":1}

            """)
        let result = try Lab.run(["check", bad, good])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout == "\(good): 33 transitions, 12 of 12 invariants held\n")
        let lines = result.stderrLines
        #expect(lines.count == 4, "\(result.summary)")
        #expect(lines.contains { $0.hasPrefix("error: \(bad): line 2: not valid JSON") })
        #expect(lines.contains("error: \(bad): line 3: missing \"name\" (the transition's name)"))
        #expect(lines.contains { $0.hasPrefix("error: \(bad): line 4: missing \"timeMs\"") })
        #expect(lines.contains { $0.hasPrefix("error: \(bad): line 5: unknown record \"weird\"") })
    }

    @Test func aRecordingOfSeveralScenariosChecksEachScenarioOnItsOwn() throws {
        let fixtures = try Fixtures()
        let run = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--format", "jsonl"])
        #expect(run.status == 0, "\(run.summary)")
        let path = try fixtures.write("both.jsonl", run.stdout)
        let result = try Lab.run(["check", path])
        // `run PATH... --format jsonl` writes several scenarios into one stream (each with its own
        // header and footer, docs/jsonl.md), but `check` reads them as one timeline, so two clean
        // plays report same-run, checkpoint-resume, effect-once and other breaches.
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdout.contains("breach"), "\(result.summary)")
    }

    @Test func theNaiveBaselinesRecordingShowsItsBreachesToCheck() throws {
        let fixtures = try Fixtures()
        let recording = try Lab.run(["run", "scenarios/timeout-after-mutation.json", "--without-revive", "--format", "jsonl"])
        #expect(recording.status == 1, "\(recording.summary)")
        let path = try fixtures.write("naive.jsonl", recording.stdout)
        let result = try Lab.run(["check", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.first?.hasSuffix(" transitions, 11 of 12 invariants held") == true, "\(result.summary)")
        #expect(result.stdout.contains("   breach      effect-once: the effect of send-briefing happened again at the provider\n"))
    }
}

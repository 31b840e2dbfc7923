import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `revive-lab replay`: play a recorded scenario again and report where history diverges.
struct ReplayCommandTests {
    @Test func aFreshRecordingReplaysIdentically() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let result = try Lab.run(["replay", recording.path])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == "\(recording.path): replayed 33 transitions identically\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func everyShippedScenarioReplaysIdentically() throws {
        let fixtures = try Fixtures()
        let paths = try Formats.recordAllShipped(in: fixtures)
        let result = try Lab.run(["replay"] + paths)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdoutLines.count == paths.count)
        for (line, path) in zip(result.stdoutLines, paths) {
            #expect(line.hasPrefix("\(path): replayed ") && line.hasSuffix(" transitions identically"), "\(line)")
        }
    }

    @Test func aRecordingMadeWithAnotherSeedReplaysWithThatSeed() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("worker-loss", in: fixtures, extra: ["--seed", "99"])
        let result = try Lab.run(["replay", recording.path])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.hasSuffix(" transitions identically\n"), "\(result.summary)")
    }

    @Test func anEditedTransitionBreaksTheChainAtItsSeqAndLine() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let line = try #require(Formats.lineNumbers(of: "failure.classified", in: recording.lines).first)
        var lines = recording.lines
        let seq = try #require(try JSONValue.parse(lines[line - 1])["seq"]?.integerValue)
        lines[line - 1] = try lines[line - 1].replacingOnce("\"class\":\"dead_grant\"", with: "\"class\":\"transient\"")
        let path = try fixtures.write("edited.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["replay", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines == ["\(path): the record is damaged, so it was not replayed",
                                       "   damage      transition seq \(seq) (line \(line)) was altered: its digest does not match its content"])
    }

    @Test func aForgedEditIsStillReportedByTheReplayAtItsSeqAndLine() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let line = try #require(Formats.lineNumbers(of: "failure.classified", in: recording.lines).first)
        var lines = recording.lines
        let original = lines[line - 1]
        let seq = try #require(try JSONValue.parse(original)["seq"]?.integerValue)
        lines[line - 1] = try original.replacingOnce("\"class\":\"dead_grant\"", with: "\"class\":\"transient\"")
        // A forger seals the chain again; the replay still sees what the engine does not do.
        lines = try Formats.forged(lines)
        let path = try fixtures.write("forged.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["replay", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.count == 3, "\(result.summary)")
        #expect(result.stdoutLines.first == "\(path): diverges at transition \(seq) (line \(line))")
        let unsealed = { (text: String) in Formats.without(["digest"], in: try JSONValue.parse(text)).compactText }
        #expect(result.stdoutLines.dropFirst().first == "   recorded  \(try unsealed(lines[line - 1]))")
        #expect(result.stdoutLines.last == "   replayed  \(try unsealed(original))")
    }

    @Test func aRecordThatStopsEarlyDivergesWhereItEnded() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        // Drop the last two transitions and the footer.
        let lines = Array(recording.lines.dropLast(3))
        let path = try fixtures.write("short.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["replay", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines == ["\(path): the record is damaged, so it was not replayed",
                                       "   damage      the record ends at line 32 without its footer: transitions after seq 30 may have been cut off"])
    }

    @Test func aRecordingWhoseHeaderWasDeletedIsDamaged() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let path = try fixtures.write("headless.jsonl", recording.lines.dropFirst().joined(separator: "\n") + "\n")
        let result = try Lab.run(["replay", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.last == "   damage      transition seq 0 (line 1) carries a digest, but the record has no header: it was deleted")
    }

    @Test func aLogWithoutAHeaderExitsTwo() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let path = try fixtures.write("headless.jsonl", try Formats.foreignLog(recording.lines).joined(separator: "\n") + "\n")
        let result = try Lab.run(["replay", path])
        #expect(result.status == 2, "\(result.summary)")
        #expect(!result.showsCrash)
        #expect(result.stdout.isEmpty, "\(result.summary)")
        #expect(result.stderr == "error: \(path): no header record with the scenario's source and seed; record it with `revive-lab run --format jsonl`\n")
    }

    @Test func anOnlyFilteredRecordingStillReplaysAlignedBySeq() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures, extra: ["--only", "lease.*"])
        #expect(recording.lines.count == 6, "header, four lease transitions, footer")
        let result = try Lab.run(["replay", recording.path])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == "\(recording.path): replayed 4 transitions identically (filtered with --only lease.*)\n")
    }

    @Test func anEditInAnOnlyFilteredRecordingIsReportedAtItsOriginalSeq() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures, extra: ["--only", "lease.*"])
        let line = try #require(Formats.lineNumbers(of: "lease.rotated", in: recording.lines).first)
        var lines = recording.lines
        let seq = try #require(try JSONValue.parse(lines[line - 1])["seq"]?.integerValue)
        #expect(seq != Int64(line - 2), "filtering leaves gaps: line \(line) holds seq \(seq)")
        lines[line - 1] = try lines[line - 1].replacingOnce("\"reason\":\"reconnect\"", with: "\"reason\":\"refresh\"")
        lines = try Formats.forged(lines, renumber: false)
        let path = try fixtures.write("edited.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["replay", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.first == "\(path): diverges at transition \(seq) (line \(line))")
    }

    @Test func aRecordingOfSeveralScenariosReplaysEachScenario() throws {
        let fixtures = try Fixtures()
        let run = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--format", "jsonl"])
        #expect(run.status == 0, "\(run.summary)")
        let path = try fixtures.write("both.jsonl", run.stdout)
        let result = try Lab.run(["replay", path])
        // Like `check`, `replay` reads a multi-scenario stream as one timeline: it replays only the
        // last header's scenario against the transitions of both and reports a divergence.
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdout.contains("diverges"), "\(result.summary)")
    }

    @Test func aRecordingOfTheNaiveBaselineReplaysAsTheBaseline() throws {
        let fixtures = try Fixtures()
        let recording = try Lab.run(["run", "scenarios/timeout-after-mutation.json", "--without-revive", "--format", "jsonl"])
        #expect(recording.status == 1, "the baseline breaks effect-once: \(recording.summary)")
        let path = try fixtures.write("naive.jsonl", recording.stdout)
        let result = try Lab.run(["replay", path])
        // The header does not say the play was --without-revive, so replay plays it with Revive
        // and reports a divergence at the first transition.
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.hasSuffix(" transitions identically\n"), "\(result.summary)")
    }
}

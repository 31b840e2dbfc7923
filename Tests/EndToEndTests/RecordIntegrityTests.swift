import Foundation
import Testing
import Revive
import ReviveVocabulary

/// A recorded timeline proves itself whole: `check` and `replay` name the first deleted,
/// duplicated, reordered or altered transition (exit 1), refuse to judge a filtered record
/// (`check`, exit 2), and say what they could not check in a record without a chain.
struct RecordIntegrityTests {
    /// A damage done to the recording of revoked-grant (35 lines: header, seq 0 to 32, footer)
    /// and the damage line both commands must print.
    struct Damage: CustomTestStringConvertible, Sendable {
        let name: String
        let change: @Sendable ([String]) -> [String]
        let report: String
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "a deleted transition", change: { lines in var l = lines; l.remove(at: 19); return l },
               report: "transition seq 18 was deleted (before line 20)"),
        Damage(name: "two deleted transitions", change: { lines in var l = lines; l.removeSubrange(19...20); return l },
               report: "transitions seq 18 to 19 were deleted (before line 20)"),
        Damage(name: "a duplicated transition", change: { lines in var l = lines; l.insert(l[19], at: 20); return l },
               report: "transition seq 18 (line 21) is a duplicate of line 20"),
        Damage(name: "two swapped transitions", change: { lines in var l = lines; l.swapAt(19, 20); return l },
               report: "transition seq 19 (line 20) is out of order: it comes before seq 18 (line 21)"),
        Damage(name: "a transition moved back", change: { lines in var l = lines; let moved = l.remove(at: 25); l.insert(moved, at: 10); return l },
               report: "transition seq 24 (line 11) is out of order: it comes before seq 9 (line 12)"),
        Damage(name: "a transition moved on", change: { lines in var l = lines; let moved = l.remove(at: 10); l.insert(moved, at: 25); return l },
               report: "transition seq 9 (line 26) is out of order: it belongs before line 11"),
        Damage(name: "an altered transition", change: { lines in var l = lines; l[19] = l[19].replacingOccurrences(of: "\"worker-a\"", with: "\"worker-b\""); return l },
               report: "transition seq 18 (line 20) was altered: its digest does not match its content"),
        Damage(name: "an altered header", change: { lines in var l = lines; l[0] = l[0].replacingOccurrences(of: "\"seed\":7", with: "\"seed\":8"); return l },
               report: "the header (line 1) was altered: its digest does not match its content (seed, filter or source)"),
        Damage(name: "the last transition deleted", change: { lines in var l = lines; l.remove(at: 33); return l },
               report: "transition seq 32 was deleted from the end (the footer, line 34, counts 33)"),
        Damage(name: "the end cut off", change: { lines in Array(lines.dropLast(4)) },
               report: "the record ends at line 31 without its footer: transitions after seq 29 may have been cut off"),
        Damage(name: "an altered footer", change: { lines in var l = lines; l[34] = l[34].replacingOccurrences(of: "\"verdict\":\"pass\"", with: "\"verdict\":\"fail\""); return l },
               report: "the footer (line 35) does not follow from the record before it: it was altered, or a transition before it was deleted"),
    ]

    @Test(arguments: RecordIntegrityTests.damages)
    func checkAndReplayNameTheFirstDamage(_ damage: Damage) throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        try #require(recording.lines.count == 35)
        let path = try fixtures.write("damaged.jsonl", damage.change(recording.lines).joined(separator: "\n") + "\n")
        let check = try Lab.run(["check", path])
        #expect(check.status == 1, "\(check.summary)")
        #expect(check.stdoutLines == ["\(path): the record is damaged, so its invariants were not checked", "   damage      \(damage.report)"])
        let replay = try Lab.run(["replay", path])
        #expect(replay.status == 1, "\(replay.summary)")
        #expect(replay.stdoutLines == ["\(path): the record is damaged, so it was not replayed", "   damage      \(damage.report)"])
    }

    @Test func checkRefusesAFilteredRecordWithExitTwo() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures, extra: ["--only", "lease.*"])
        let result = try Lab.run(["check", recording.path])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stdout.isEmpty, "never a plain \"all held\" for part of a run: \(result.summary)")
        #expect(result.stderr == "error: \(recording.path): the record was filtered with --only lease.* (4 of 33 transitions); "
                + "the invariants need the whole timeline: record it again without --only\n")
    }

    @Test func aTransitionDeletedFromAFilteredRecordBreaksTheChain() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures, extra: ["--only", "lease.*"])
        var lines = recording.lines
        lines.remove(at: 2)
        let path = try fixtures.write("filtered.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["replay", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.last == "   damage      transition seq 22 (line 3) does not follow from the record before it: "
                + "it was altered, or a transition before it was deleted")
    }

    /// The recording as an older lab wrote it: no digests, no chain or filter in the header.
    static func olderRecord(_ lines: [String]) throws -> [String] {
        try lines.map { Formats.without(["digest", "chain", "filter", "transitions"], in: try JSONValue.parse($0)).compactText }
    }

    @Test func anOlderRecordIsCheckedAndReplayedAndSaysWhatCouldNotBeChecked() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        let path = try fixtures.write("older.jsonl", try RecordIntegrityTests.olderRecord(recording.lines).joined(separator: "\n") + "\n")
        let unchecked = "   unchecked   no digest chain (an older record, or another tool's): an altered transition, or one cut off at the end, cannot be detected"
        let check = try Lab.run(["check", path])
        #expect(check.status == 0, "\(check.summary)")
        #expect(check.stdoutLines == ["\(path): 33 transitions, 12 of 12 invariants held", unchecked])
        let replay = try Lab.run(["replay", path])
        #expect(replay.status == 0, "\(replay.summary)")
        #expect(replay.stdoutLines == ["\(path): replayed 33 transitions identically", unchecked])
    }

    @Test func aDuplicateInAnOlderRecordIsStillFoundBySeq() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        var lines = try RecordIntegrityTests.olderRecord(recording.lines)
        lines.insert(lines[19], at: 20)
        let path = try fixtures.write("older.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try Lab.run(["check", path])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdoutLines.last == "   damage      transition seq 18 (line 21) is a duplicate of line 20")
    }

    @Test func aGapInAnOlderRecordCannotBeCheckedButIsReplayedWithANote() throws {
        let fixtures = try Fixtures()
        let recording = try Formats.record("revoked-grant", in: fixtures)
        var lines = try RecordIntegrityTests.olderRecord(recording.lines)
        lines.remove(at: 19)
        let path = try fixtures.write("older.jsonl", lines.joined(separator: "\n") + "\n")
        let check = try Lab.run(["check", path])
        #expect(check.status == 2, "\(check.summary)")
        #expect(check.stderr == "error: \(path): the record jumps from seq 17 to 19 at line 20: it was filtered with --only, or transitions "
                + "were deleted, and its header (an older one) does not say which; the invariants need the whole timeline: record it again without --only\n")
        let replay = try Lab.run(["replay", path])
        #expect(replay.status == 0, "\(replay.summary)")
        #expect(replay.stdoutLines.dropFirst().first?.hasPrefix("   unchecked   the record jumps from seq 17 to 19 at line 20") == true, "\(replay.summary)")
        #expect(replay.stdout.contains("so a deleted transition cannot be detected"), "\(replay.summary)")
    }
}

import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `run --only PATTERN`: only matching transitions in the timeline; header and footer intact.
struct OnlyFilterTests {
    /// The golden of `name` with only the timeline lines for which `keep` holds.
    static func golden(_ name: String, keeping keep: (String) -> Bool) throws -> String {
        LabOutput.lines(try Lab.golden(name)).filter { !$0.hasPrefix("+") || keep($0) }.map { $0 + "\n" }.joined()
    }

    static func name(of line: String) -> String {
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first.map(String.init) ?? ""
    }

    @Test func aNameGlobKeepsOnlyMatchingLinesAndTheFooterIntact() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--only", "lease.*"])
        #expect(result.status == 0, "\(result.summary)")
        let names = Formats.textTransitionNames(result.stdoutLines)
        #expect(names == ["lease.issued", "lease.issued", "lease.rotated", "lease.issued"])
        let expected = try OnlyFilterTests.golden("revoked-grant") { OnlyFilterTests.name(of: $0).hasPrefix("lease.") }
        #expect(result.stdout == expected + "\n1 passed, 0 failed\n")
        #expect(result.stdout.contains("   invariants  12 of 12 held (all checked)\n   verdict     PASS\n"))
    }

    @Test func repeatedPatternsMustAllMatch() throws {
        let both = try Lab.run(["run", "scenarios/revoked-grant.json", "--only", "step=send-briefing", "--only", "provider.*"])
        let stepOnly = try Lab.run(["run", "scenarios/revoked-grant.json", "--only", "step=send-briefing"])
        let nameOnly = try Lab.run(["run", "scenarios/revoked-grant.json", "--only", "provider.*"])
        #expect(both.status == 0, "\(both.summary)")
        let lines = both.stdoutLines.filter { $0.hasPrefix("+") }
        #expect(lines.map(OnlyFilterTests.name) == ["provider.called", "provider.failed", "provider.called"])
        #expect(lines.allSatisfy { $0.contains(" node=send-briefing ") }, "\(lines)")
        let stepLines = stepOnly.stdoutLines.filter { $0.hasPrefix("+") }
        let nameLines = nameOnly.stdoutLines.filter { $0.hasPrefix("+") }
        #expect(lines.count < stepLines.count && lines.count < nameLines.count, "two patterns narrow more than either alone")
        #expect(lines == stepLines.filter { OnlyFilterTests.name(of: $0).hasPrefix("provider.") })
        let expected = try OnlyFilterTests.golden("revoked-grant") { line in
            OnlyFilterTests.name(of: line).hasPrefix("provider.") && line.contains(" node=send-briefing ")
        }
        #expect(both.stdout == expected + "\n1 passed, 0 failed\n")
    }

    @Test func anUnknownFieldExitsTwoListingTheAllowedFields() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--only", "bogus=x"])
        #expect(result.status == 2, "\(result.summary)")
        #expect(!result.showsCrash)
        #expect(result.stdout.isEmpty, "nothing is played: \(result.summary)")
        #expect(result.stderrLines.count == 1, "\(result.summary)")
        let message = result.stderr
        #expect(message.hasPrefix("revive-lab run: --only: \"bogus\" is not a field; use one of "), "\(message)")
        for field in ["name", "actor", "run", "worker", "step", "attempt", "connection", "generation", "lease", "case", "key",
                      "class", "capability", "subject", "tenant", "checkpoint", "result", "reason"] {
            #expect(message.contains(" \(field),"), "lists \(field): \(message)")
        }
        #expect(message.contains("lease.*"), "shows a name pattern too: \(message)")
    }

    @Test func aFieldGlobMatchesTheFactNotTheName() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--only", "class=dead_*"])
        #expect(result.status == 0, "\(result.summary)")
        let lines = result.stdoutLines.filter { $0.hasPrefix("+") }
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains(" class=dead_grant") }, "\(lines)")
        #expect(lines.map(OnlyFilterTests.name) == ["failure.classified", "case.opened", "run.parked", "reconnect.requested"])
    }

    @Test func aPatternMatchingNothingLeavesTheHeaderAndFooter() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--only", "no.such.*"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(!result.stdoutLines.contains { $0.hasPrefix("+") })
        #expect(result.stdout == (try OnlyFilterTests.golden("revoked-grant") { _ in false }) + "\n1 passed, 0 failed\n")
    }

    @Test func jsonlKeepsTheFullTimelinesSeqNumbersAndTheWholeFooter() throws {
        let full = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl"])
        let filtered = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "jsonl", "--only", "lease.*"])
        #expect(filtered.status == 0, "\(filtered.summary)")
        let fullRecords = try Formats.jsonl(full.stdout)
        let records = try Formats.jsonl(filtered.stdout)
        // The digests differ (each chains over the records written); everything else is the same.
        let unsealed = { (records: [JSONValue]) in records.map { Formats.without(["digest"], in: $0) } }
        let expected = unsealed(Formats.transitions(fullRecords)).filter { $0["name"]?.stringValue?.hasPrefix("lease.") == true }
        #expect(unsealed(Formats.transitions(records)) == expected, "the same records, with their original seq")
        #expect(Formats.transitions(records).compactMap { $0["seq"]?.integerValue } == [3, 11, 22, 26])
        #expect(records.first?["filter"] == .array([.string("lease.*")]), "the header names the filter")
        #expect(fullRecords.first?["filter"] == .array([]), "a whole record's header names none")
        #expect(Formats.without(["digest", "filter"], in: records[0]) == Formats.without(["digest", "filter"], in: fullRecords[0]), "same header")
        #expect(unsealed([records[records.count - 1]]) == unsealed([fullRecords[fullRecords.count - 1]]), "same footer")
    }
}

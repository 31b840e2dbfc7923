import Testing
import ReviveVocabulary
@testable import ReviveCheck

/// `token-custody` clears a line with one pass over its values (`CleanValues.holdsOnlyClean`) and
/// reads only the other lines field by field. It must report exactly what the field-by-field walk
/// with the reference scanner reports: the same lines, the same first marker on each, over
/// random timelines with secrets in every field, in workers' names, unknown names and notes.
@Suite("token-custody equivalence")
struct TokenCustodyEquivalenceTests {
    /// The check as it was: every line, every field in order, the first marker found.
    static func reference(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        for (i, t) in ts.enumerated() {
            var values: [String?] = []
            if case .worker(let worker) = t.actor { values.append(worker.rawValue) }
            if case .unrecognized(let spelling) = t.name { values.append(spelling) }
            values += [t.run, t.worker, t.step, t.connection, t.lease, t.caseID, t.key, t.capability, t.subject, t.tenant,
                       t.checkpoint, t.result, t.reason]
            values += t.notes.map(\.value)
            if let marker = values.lazy.compactMap({ $0.flatMap(ReferenceSecretScanner.firstMarker(in:)) }).first {
                result.append(Breach(invariant: .tokenCustody, message: "\(t.name) carries a secret-looking value (\(marker)…)", evidence: [i]))
            }
        }
        return result
    }

    /// Values: ids that repeat (the memory's hits), fresh ones, near misses and secrets.
    static let values = ["run_7f2", "worker-a", "conn_microsoft_ops", "lease_7dd02395", "idem-run_7f2-send-briefing",
                         "case_20a21bab", "cap_11aaebbc", "oid-4f1c", "tid-contoso", "ckpt-0001", "committed", "",
                         "ghost_town", "rv_", "xo", "1/0", "ya2", "eyJ", "exampley9_x/", "a long value with spaces and é",
                         "rvlab_secret", "ghp_abc", "ya29.token", "xoxb-1", "eyJ0eXAiOi", "1//0abc", "00Dxx!abcdefghijklmnopqrstu"]

    static func value(_ draw: inout SecretScannerAnchorTests.Draw) -> String? {
        let pick = draw.next(values.count + 4)
        guard pick < values.count else { return pick == values.count ? "fresh-\(draw.next(1_000))" : nil }
        return values[pick]
    }

    static func transition(_ draw: inout SecretScannerAnchorTests.Draw, at ms: Int64) -> Transition {
        let actors = ["revive", "runtime", "worker-a", "worker-rvlab_x", "provider"]
        let names = ["provider.called", "step.started", "custom.thing", "ghp_name.leak", "lease.issued"]
        var t = Transition(time: Instant(milliseconds: ms), actor: Actor(rawValue: actors[draw.next(actors.count)]),
                           name: TransitionName(rawValue: names[draw.next(names.count)]))
        t.run = value(&draw)
        t.worker = value(&draw)
        t.step = value(&draw)
        t.connection = value(&draw)
        t.lease = value(&draw)
        t.key = value(&draw)
        t.checkpoint = value(&draw)
        // The rare fields live in a box: most lines have none.
        if draw.next(3) == 0 {
            t.caseID = value(&draw)
            t.capability = value(&draw)
            t.subject = value(&draw)
            t.tenant = value(&draw)
            t.result = value(&draw)
            t.reason = value(&draw)
        }
        for _ in 0..<draw.next(3) { t.notes.append(.init("note", value(&draw) ?? "n")) }
        return t
    }

    @Test func randomTimelinesAgreeWithTheFieldByFieldWalk() {
        var draw = SecretScannerAnchorTests.Draw(state: 0xC057_0D1)
        for _ in 0..<400 {
            let timeline = (0..<draw.next(60)).map { Self.transition(&draw, at: Int64($0) * 100) }
            #expect(InvariantChecker.tokenCustody(timeline) == Self.reference(timeline))
        }
    }
}

import Testing
import ReviveVocabulary
@testable import ReviveCheck

/// `history-complete` reads each line through a pointer into the timeline and keeps its lists as
/// `IntPairs`. It must report exactly what the walk it replaced reports (kept below, verbatim:
/// `enumerated()` copies and arrays of `Outage` and `LocalEntry`), over random timelines with
/// journals and worker histories, uploads in and out of order, outages, cases and completions.
@Suite("history-complete equivalence")
struct HistoryCompleteEquivalenceTests {
    static func timeline(_ draw: inout SecretScannerAnchorTests.Draw) -> [Transition] {
        let actors = ["revive", "runtime", "worker-a", "provider", "operator"]
        let names = ["store.drained", "runtime.uploaded", "fault.injected", "case.opened", "lease.rotated", "reconnect.verified",
                     "case.resolved", "provider.called", "run.completed", "step.started", "step.completed", "custom.thing"]
        let noteNames = ["journal", "local", "transitions", "fault", "for", "late", "jurnal", "loca1"]
        let values = ["1", "2", "3", "4", "1-2", "2-3", "1-4", "3-2", "x", "store-unavailable", "runtime-unavailable", "5s", "40s", "1-2-3"]
        var ts: [Transition] = []
        for k in 0..<(3 + draw.next(30)) {
            var t = Transition(time: Instant(milliseconds: Int64(k * 1_000 + draw.next(3) * 500)),
                               actor: Actor(rawValue: actors[draw.next(actors.count)]), name: TransitionName(rawValue: names[draw.next(names.count)]))
            if draw.next(2) == 0 { t.run = ["run_1", "run_2"][draw.next(2)] }
            if draw.next(3) == 0 { t.key = "idem-\(draw.next(3))" }
            if draw.next(3) == 0 { t.step = "step-\(draw.next(3))" }
            if t.name == .faultInjected && draw.next(2) == 0 {
                // An outage the walk can read: which side went away, and for how long.
                t.notes = [.init("fault", ["store-unavailable", "runtime-unavailable"][draw.next(2)]), .init("for", ["3s", "8s", "40s"][draw.next(3)])]
            }
            for _ in 0..<draw.next(4) { t.notes.append(.init(noteNames[draw.next(noteNames.count)], values[draw.next(values.count)])) }
            ts.append(t)
        }
        return ts
    }

    @Test func theNewWalkReportsWhatTheOldOneDid() {
        var draw = SecretScannerAnchorTests.Draw(state: 0x4853_5443)
        let rules = ["does not say which", "again (already", "skipped", "transitions, but", "while the shared store was reachable",
                     "on the durable side before", "was decided on the local journal", "a second case for run",
                     "mutating step", "the run completed while", "never reached the durable side"]
        var reached = Set<String>()
        for _ in 0..<4_000 {
            let ts = Self.timeline(&draw)
            let reference = Reference.historyComplete(ts)
            #expect(InvariantChecker.historyComplete(ts) == reference)
            #expect(InvariantChecker.keepsLocally(ts) == Reference.referenceKeepsLocally(ts))
            for breach in reference { reached.formUnion(rules.filter { breach.message.contains($0) }) }
        }
        // The draws must reach every rule, not only the fast path.
        #expect(reached == Set(rules))
    }

    @Test func pairsKeepTheirOrderAsTheyAreRemoved() {
        var pairs = IntPairs()
        for k in 0..<6 { pairs.append(k % 3, 10 + k) }
        pairs.removeAll { $0 == 1 }
        #expect(pairs.count == 4)
        #expect((0..<pairs.count).map { pairs.first($0) } == [0, 2, 0, 2])
        #expect((0..<pairs.count).map { pairs.second($0) } == [10, 12, 13, 15])
        #expect(pairs.firstPlace { first, _ in first == 2 } == 1)
        #expect(pairs.seconds { $0 == 0 } == [10, 13])
        #expect(pairs.largestSecond == 15)
        #expect(IntPairs().largestSecond == nil)
    }
}

/// The `history-complete` walk before this round, kept as the reference.
private enum Reference {
    /// One local history being followed through a timeline.
    struct LocalHistory {
        /// The note that marks a locally recorded transition, and the transition that uploads them.
        let marker: String
        let upload: TransitionName
        /// The lab's fault that takes the durable side away, and the reachable intervals' ends.
        let fault: String
        var outages: [Outage] = []
        /// Locally recorded transitions not uploaded yet.
        var pending: [LocalEntry] = []
        /// The newest entry uploaded so far, and where.
        var uploaded: (entry: Int, index: Int)?
        /// The first transition of a side recorded against the durable side while entries waited, reported once.
        var reportedOutOfOrder = false

        init(marker: String, upload: TransitionName, fault: String) {
            self.marker = marker
            self.upload = upload
            self.fault = fault
        }
    }

    /// A window the durable side was away, announced at the timeline's `index`. A named struct,
    /// as `LocalEntry`: an array of tuples had its element type built by the runtime from its mangled
    /// name the first time a process made one (some 19,000 instructions each, in a cold `run`).
    struct Outage {
        let start: Instant
        let end: Instant
        let index: Int
    }

    /// A locally recorded transition: its entry number, and where it is in the timeline.
    struct LocalEntry {
        let entry: Int
        let index: Int
    }

    static func historyComplete(_ ts: [Transition]) -> [Breach] {
        // Most timelines never keep anything locally: with no `journal` or `local` note and no
        // upload, no entry is pending and every rule below holds, so the walk (which copied each
        // transition) is skipped.
        guard referenceKeepsLocally(ts) else { return [] }
        var result: [Breach] = []
        var journal = LocalHistory(marker: "journal", upload: .storeDrained, fault: "store-unavailable")
        var worker = LocalHistory(marker: "local", upload: .runtimeUploaded, fault: "runtime-unavailable")
        var runsWithCase = SmallMap()
        for (i, t) in ts.enumerated() {
            if t.name == .faultInjected { noteOutage(t, at: i, in: &journal, &worker) }
            if t.actor == .revive {
                result += follow(t, at: i, ts, &journal)
                if let breach = sharedOnlyDecision(t, at: i, runsWithCase: &runsWithCase) { result.append(breach) }
            } else if t.actor == .runtime || t.name == .runtimeUploaded || isWorker(t.actor) {
                result += follow(t, at: i, ts, &worker)
                if let breach = durableOnlyStep(t, at: i) { result.append(breach) }
            }
        }
        result += neverUploaded(journal, ts) + neverUploaded(worker, ts)
        return result
    }

    /// Whether anything in `ts` was kept locally or uploaded. Lengths are compared before
    /// spellings: nearly every note's name is neither word, and telling two different strings
    /// apart was a call into the library per note and word, most of this check's cost.
    static func referenceKeepsLocally(_ ts: [Transition]) -> Bool {
        for i in ts.indices {
            if ts[i].name == .storeDrained || ts[i].name == .runtimeUploaded { return true }
            for n in ts[i].notes.indices {
                let length = ts[i].notes[n].name.utf8.count
                if length == 7 && ts[i].notes[n].name == "journal" || length == 5 && ts[i].notes[n].name == "local" { return true }
            }
        }
        return false
    }

    private static func isWorker(_ actor: Actor) -> Bool {
        if case .worker = actor { return true }
        return false
    }

    /// The number a note holds, or the range `A-B` (or `A`) it spells.
    static func entry(_ t: Transition, _ note: String) -> Int? {
        t.notes.first(where: { $0.name == note }).flatMap { Int($0.value) }
    }

    static func range(_ t: Transition, _ note: String) -> ClosedRange<Int>? {
        guard let value = t.notes.first(where: { $0.name == note })?.value else { return nil }
        let parts = value.split(separator: "-").compactMap { Int($0) }
        guard let low = parts.first, let high = parts.last, low <= high, parts.count <= 2 else { return nil }
        return low...high
    }

    /// Keeps the outage windows the lab's faults announce (`fault=… for=…`).
    private static func noteOutage(_ t: Transition, at i: Int, in journal: inout LocalHistory, _ worker: inout LocalHistory) {
        guard let fault = t.notes.first(where: { $0.name == "fault" })?.value,
              let lasting = t.notes.first(where: { $0.name == "for" })?.value, let span = DurationText.parse(lasting) else { return }
        let window = Outage(start: t.time, end: t.time.advanced(by: span), index: i)
        if fault == journal.fault { journal.outages.append(window) }
        if fault == worker.fault { worker.outages.append(window) }
    }

    /// One transition of the side `history` follows: a local one joins the pending entries, an
    /// upload must take exactly the next entries in order, and a durable one may not overtake them.
    private static func follow(_ t: Transition, at i: Int, _ ts: [Transition], _ history: inout LocalHistory) -> [Breach] {
        if t.name == history.upload { return upload(t, at: i, ts, &history) }
        if let number = entry(t, history.marker) {
            var found: [Breach] = []
            if history.fault == "store-unavailable", !history.outages.isEmpty,
               !history.outages.contains(where: { $0.start <= t.time && t.time < $0.end }) {
                found.append(Breach(invariant: .historyComplete,
                                    message: "\(t.name) was journaled locally (\(history.marker)=\(number)) while the shared store was reachable",
                                    evidence: [i]))
            }
            history.pending.append(LocalEntry(entry: number, index: i))
            return found
        }
        guard let first = history.pending.first, !history.reportedOutOfOrder else { return [] }
        history.reportedOutOfOrder = true
        return [Breach(invariant: .historyComplete,
                       message: "\(t.name) was recorded on the durable side before \(history.marker)=\(first.entry) reached it",
                       evidence: [first.index, i])]
    }

    /// An upload (`store.drained`, `runtime.uploaded`): the next entries, in order, exactly once, all of their transitions.
    private static func upload(_ t: Transition, at i: Int, _ ts: [Transition], _ history: inout LocalHistory) -> [Breach] {
        guard let entries = range(t, history.marker) else {
            return [Breach(invariant: .historyComplete, message: "\(t.name) does not say which \(history.marker) entries it carried", evidence: [i])]
        }
        var found: [Breach] = []
        let expected = (history.uploaded?.entry ?? (history.pending.first?.entry ?? entries.lowerBound) - 1) + 1
        if entries.lowerBound < expected, let earlier = history.uploaded {
            // A repeat: what it carries is already there, so its count says nothing more.
            found.append(Breach(invariant: .historyComplete,
                                message: "\(t.name) carried \(history.marker) entries \(entries.lowerBound)-\(entries.upperBound) again (already up to \(earlier.entry))",
                                evidence: [earlier.index, i]))
        } else if entries.lowerBound > expected {
            let stranded = history.pending.first { $0.entry < entries.lowerBound }
            found.append(Breach(invariant: .historyComplete,
                                message: "\(t.name) skipped \(history.marker) entries \(expected)-\(entries.lowerBound - 1): they were left behind",
                                evidence: (stranded.map { [$0.index] } ?? []) + [i]))
        } else {
            let carried = history.pending.filter { entries.contains($0.entry) }
            if let claimed = entry(t, "transitions"), claimed != carried.count {
                found.append(Breach(invariant: .historyComplete,
                                    message: "\(t.name) carried \(claimed) transitions, but \(carried.count) were recorded locally in entries \(entries.lowerBound)-\(entries.upperBound)",
                                    evidence: carried.map(\.index) + [i]))
            }
        }
        history.pending.removeAll { $0.entry <= entries.upperBound }
        history.uploaded = (max(entries.upperBound, history.uploaded?.entry ?? 0), i)
        history.reportedOutOfOrder = false
        return found
    }

    /// A decision taken on the local journal that only the shared store may take.
    private static func sharedOnlyDecision(_ t: Transition, at i: Int, runsWithCase: inout SmallMap) -> Breach? {
        let local = entry(t, "journal") != nil
        var earlierCase: Int?
        if t.name == .caseOpened, let run = t.run {
            earlierCase = runsWithCase[run]
            runsWithCase[run] = runsWithCase[run] ?? i
        }
        guard local else { return nil }
        switch t.name {
        case .leaseRotated, .reconnectVerified, .caseResolved:
            return Breach(invariant: .historyComplete, message: "\(t.name) was decided on the local journal, without the shared store", evidence: [i])
        case .caseOpened:
            guard let earlierCase else { return nil }
            return Breach(invariant: .historyComplete,
                          message: "a second case for run \(t.run ?? "?") was opened on the local journal, without the shared store",
                          evidence: [earlierCase, i])
        default:
            return nil
        }
    }

    /// A step that only the durable engine may run: a mutating call, or the run's completion, kept locally.
    private static func durableOnlyStep(_ t: Transition, at i: Int) -> Breach? {
        guard entry(t, "local") != nil else { return nil }
        if t.name == .providerCalled && t.key != nil {
            return Breach(invariant: .historyComplete,
                          message: "mutating step \(t.step ?? "?") called the provider while its history was kept only locally", evidence: [i])
        }
        if t.name == .runCompleted {
            return Breach(invariant: .historyComplete, message: "the run completed while its history was kept only locally", evidence: [i])
        }
        return nil
    }

    /// Entries still local at the end, although the durable side came back before the timeline ended.
    private static func neverUploaded(_ history: LocalHistory, _ ts: [Transition]) -> [Breach] {
        guard let first = history.pending.first, let last = ts.last,
              let back = history.outages.map(\.end).max(), back < last.time else { return [] }
        return [Breach(invariant: .historyComplete,
                       message: "\(history.pending.count) transitions recorded locally (\(history.marker)=\(first.entry)…) never reached the durable side, which was back at \(DurationText.clock(back))",
                       evidence: [first.index])]
    }
}

import ReviveVocabulary

/// `history-complete`: what a side recorded locally while its durable side was away reaches the
/// durable history exactly once, in order, and nothing that needs the durable side is decided
/// without it. Two local histories are judged the same way, each from the timeline alone:
///
/// - Revive's journal: a decision taken on the engine's local replica carries `journal=N` on its
///   transitions; `store.drained journal=A-B transitions=K` says entries A to B reached the shared
///   store. Rotations, capability consumptions and a second case for a run never carry `journal`.
/// - The worker's local history: a runtime or worker transition kept locally carries `local=N`;
///   `runtime.uploaded local=A-B transitions=K` says they reached the durable engine. A call that
///   mutates (it carries an idempotency key) and the run's completion never carry `local`.
extension InvariantChecker {
    /// One local history being followed through a timeline.
    struct LocalHistory {
        /// The note that marks a locally recorded transition, and the transition that uploads them.
        let marker: String
        let upload: TransitionName
        /// The lab's fault that takes the durable side away, and the windows it was away: each
        /// window's start and end, in milliseconds (see `IntPairs` for why not `[Outage]`).
        let fault: String
        var outages = IntPairs()
        /// Locally recorded transitions not uploaded yet: each one's entry number, and where it is
        /// in the timeline.
        var pending = IntPairs()
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

    static func historyComplete(_ ts: [Transition]) -> [Breach] {
        // Most timelines never keep anything locally: with no `journal` or `local` note and no
        // upload, no entry is pending and every rule below holds, so the walk (which searches
        // each line's notes several times) is skipped.
        guard keepsLocally(ts) else { return [] }
        var result: [Breach] = []
        var journal = LocalHistory(marker: "journal", upload: .storeDrained, fault: "store-unavailable")
        var worker = LocalHistory(marker: "local", upload: .runtimeUploaded, fault: "runtime-unavailable")
        var runsWithCase = SmallMap()
        // Each line read in place, through a pointer into the timeline's storage: sound, as `ts`
        // keeps that storage alive and unchanged for the walk and no helper keeps the pointer
        // past its call. `for (i, t) in ts.enumerated()` copied every
        // transition, a retain and a release per string field, some 450 instructions a line of
        // each timeline that keeps anything locally.
        ts.withUnsafeBufferPointer { lines in
            for i in lines.indices {
                let t = lines.baseAddress! + i
                if t.pointee.name == .faultInjected { noteOutage(t, in: &journal, &worker) }
                // `follow` nearly always finds nothing: appending its empty answer was still a call.
                if t.pointee.actor == .revive {
                    let found = follow(t, at: i, &journal)
                    if !found.isEmpty { result += found }
                    if let breach = sharedOnlyDecision(t, at: i, runsWithCase: &runsWithCase) { result.append(breach) }
                } else if t.pointee.actor == .runtime || t.pointee.name == .runtimeUploaded || isWorker(t.pointee.actor) {
                    let found = follow(t, at: i, &worker)
                    if !found.isEmpty { result += found }
                    if let breach = durableOnlyStep(t, at: i) { result.append(breach) }
                }
            }
        }
        result += neverUploaded(journal, ts) + neverUploaded(worker, ts)
        return result
    }

    /// Whether anything in `ts` was kept locally or uploaded. Lengths are compared before
    /// spellings: nearly every note's name is neither word, and telling two different strings
    /// apart was a call into the library per note and word, most of this check's cost.
    static func keepsLocally(_ ts: [Transition]) -> Bool {
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

    /// The number a note holds, or the range `A-B` (or `A`) it spells. The helpers below read a
    /// line through a pointer into the timeline (see `historyComplete`).
    static func entry(_ t: UnsafePointer<Transition>, _ note: String) -> Int? {
        t.pointee.notes.first(where: { $0.name == note }).flatMap { Int($0.value) }
    }

    static func range(_ t: UnsafePointer<Transition>, _ note: String) -> ClosedRange<Int>? {
        guard let value = t.pointee.notes.first(where: { $0.name == note })?.value else { return nil }
        let parts = value.split(separator: "-").compactMap { Int($0) }
        guard let low = parts.first, let high = parts.last, low <= high, parts.count <= 2 else { return nil }
        return low...high
    }

    /// Keeps the outage windows the lab's faults announce (`fault=… for=…`).
    private static func noteOutage(_ t: UnsafePointer<Transition>, in journal: inout LocalHistory, _ worker: inout LocalHistory) {
        guard let fault = t.pointee.notes.first(where: { $0.name == "fault" })?.value,
              let lasting = t.pointee.notes.first(where: { $0.name == "for" })?.value, let span = DurationText.parse(lasting) else { return }
        let start = t.pointee.time
        let end = start.advanced(by: span)
        if fault == journal.fault { journal.outages.append(Int(start.milliseconds), Int(end.milliseconds)) }
        if fault == worker.fault { worker.outages.append(Int(start.milliseconds), Int(end.milliseconds)) }
    }

    /// One transition of the side `history` follows: a local one joins the pending entries, an
    /// upload must take exactly the next entries in order, and a durable one may not overtake them.
    private static func follow(_ t: UnsafePointer<Transition>, at i: Int, _ history: inout LocalHistory) -> [Breach] {
        if t.pointee.name == history.upload { return upload(t, at: i, &history) }
        if let number = entry(t, history.marker) {
            var found: [Breach] = []
            let time = Int(t.pointee.time.milliseconds)
            if history.fault == "store-unavailable", !history.outages.isEmpty,
               history.outages.firstPlace(where: { start, end in start <= time && time < end }) == nil {
                found.append(Breach(invariant: .historyComplete,
                                    message: "\(t.pointee.name) was journaled locally (\(history.marker)=\(number)) while the shared store was reachable",
                                    evidence: [i]))
            }
            history.pending.append(number, i)
            return found
        }
        guard !history.pending.isEmpty, !history.reportedOutOfOrder else { return [] }
        history.reportedOutOfOrder = true
        return [Breach(invariant: .historyComplete,
                       message: "\(t.pointee.name) was recorded on the durable side before \(history.marker)=\(history.pending.first(0)) reached it",
                       evidence: [history.pending.second(0), i])]
    }

    /// An upload (`store.drained`, `runtime.uploaded`): the next entries, in order, exactly once, all of their transitions.
    private static func upload(_ t: UnsafePointer<Transition>, at i: Int, _ history: inout LocalHistory) -> [Breach] {
        guard let entries = range(t, history.marker) else {
            return [Breach(invariant: .historyComplete, message: "\(t.pointee.name) does not say which \(history.marker) entries it carried", evidence: [i])]
        }
        var found: [Breach] = []
        let expected = (history.uploaded?.entry ?? (history.pending.isEmpty ? entries.lowerBound : history.pending.first(0)) - 1) + 1
        if entries.lowerBound < expected, let earlier = history.uploaded {
            // A repeat: what it carries is already there, so its count says nothing more.
            found.append(Breach(invariant: .historyComplete,
                                message: "\(t.pointee.name) carried \(history.marker) entries \(entries.lowerBound)-\(entries.upperBound) again (already up to \(earlier.entry))",
                                evidence: [earlier.index, i]))
        } else if entries.lowerBound > expected {
            let stranded = history.pending.firstPlace { entry, _ in entry < entries.lowerBound }
            found.append(Breach(invariant: .historyComplete,
                                message: "\(t.pointee.name) skipped \(history.marker) entries \(expected)-\(entries.lowerBound - 1): they were left behind",
                                evidence: (stranded.map { [history.pending.second($0)] } ?? []) + [i]))
        } else {
            // Where the pending entries this upload carries are, in order.
            let carried = history.pending.seconds { entries.contains($0) }
            if let claimed = entry(t, "transitions"), claimed != carried.count {
                found.append(Breach(invariant: .historyComplete,
                                    message: "\(t.pointee.name) carried \(claimed) transitions, but \(carried.count) were recorded locally in entries \(entries.lowerBound)-\(entries.upperBound)",
                                    evidence: carried + [i]))
            }
        }
        history.pending.removeAll { $0 <= entries.upperBound }
        history.uploaded = (max(entries.upperBound, history.uploaded?.entry ?? 0), i)
        history.reportedOutOfOrder = false
        return found
    }

    /// A decision taken on the local journal that only the shared store may take.
    private static func sharedOnlyDecision(_ t: UnsafePointer<Transition>, at i: Int, runsWithCase: inout SmallMap) -> Breach? {
        let local = entry(t, "journal") != nil
        var earlierCase: Int?
        if t.pointee.name == .caseOpened, let run = t.pointee.run {
            earlierCase = runsWithCase[run]
            runsWithCase[run] = runsWithCase[run] ?? i
        }
        guard local else { return nil }
        switch t.pointee.name {
        case .leaseRotated, .reconnectVerified, .caseResolved:
            return Breach(invariant: .historyComplete, message: "\(t.pointee.name) was decided on the local journal, without the shared store", evidence: [i])
        case .caseOpened:
            guard let earlierCase else { return nil }
            return Breach(invariant: .historyComplete,
                          message: "a second case for run \(t.pointee.run ?? "?") was opened on the local journal, without the shared store",
                          evidence: [earlierCase, i])
        default:
            return nil
        }
    }

    /// A step that only the durable engine may run: a mutating call, or the run's completion, kept locally.
    private static func durableOnlyStep(_ t: UnsafePointer<Transition>, at i: Int) -> Breach? {
        guard entry(t, "local") != nil else { return nil }
        if t.pointee.name == .providerCalled && t.pointee.key != nil {
            return Breach(invariant: .historyComplete,
                          message: "mutating step \(t.pointee.step ?? "?") called the provider while its history was kept only locally", evidence: [i])
        }
        if t.pointee.name == .runCompleted {
            return Breach(invariant: .historyComplete, message: "the run completed while its history was kept only locally", evidence: [i])
        }
        return nil
    }

    /// Entries still local at the end, although the durable side came back before the timeline ended.
    private static func neverUploaded(_ history: LocalHistory, _ ts: [Transition]) -> [Breach] {
        guard !history.pending.isEmpty, let last = ts.last, let end = history.outages.largestSecond else { return [] }
        let back = Instant(milliseconds: Int64(end))
        guard back < last.time else { return [] }
        return [Breach(invariant: .historyComplete,
                       message: "\(history.pending.count) transitions recorded locally (\(history.marker)=\(history.pending.first(0))…) never reached the durable side, which was back at \(DurationText.clock(back))",
                       evidence: [history.pending.second(0)])]
    }
}

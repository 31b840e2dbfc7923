import Revive
import ReviveCheck
import ReviveVocabulary
import ReviveWorld

/// What to explore.
public struct ExploreOptions: Sendable {
    /// 1: every single fault; 2: every pair as well (exhaustive mode).
    public var depth = 1
    /// Fuzz mode: how many seeded random schedules (nil: exhaustive mode).
    public var seeds: Int?
    /// The first fuzz seed.
    public var seedFrom: UInt64 = 1
    /// Also add the healing events and require the run to complete.
    public var liveness = false
    /// Faults strike attempts 1 through this.
    public var maxAttempt = 2
    /// Threads to play schedules on; results are identical for any value.
    public var jobs = 1
    /// Runs `body(chunk)` for every chunk in `0..<count`, possibly on several threads, and returns
    /// when all are done. The frontend supplies it (the explorer's search is pure and starts no
    /// thread); without one, schedules are played on the calling thread whatever `jobs` says.
    public var runChunks: (@Sendable (_ count: Int, _ body: @Sendable (Int) -> Void) -> Void)?
    /// Most plays spent shrinking one breach.
    public var shrinkBudget = 300
    /// Exhaustive mode also strikes single faults at the instants around each call, and fuzz
    /// draws instants and provider latencies (`--no-time` turns both off).
    public var time = true
    /// Also strike the provider's own faults: `late-apply` (the provider breaking its promise,
    /// reported as a provider breach) and `lookup-error` (`--provider-faults`).
    public var providerFaults = false
    #if REVIVE_PLANTED_BUGS
    /// Engine bugs to switch on (debug builds only).
    public var plantedBugs: Set<PlantedBug> = []
    #endif

    /// Default options: exhaustive single faults, at step points and at the instants around calls.
    public init() {}

    /// A copy of these options with only the time dimension's schedules (no step-point faults).
    public func onlyTime() -> ExploreOptions {
        var copy = self
        copy.time = true
        copy.stepPoints = false
        return copy
    }

    /// Whether exhaustive mode strikes at step points (off only to time the time dimension alone).
    public var stepPoints = true
}

/// One breach the explorer found, shrunk.
public struct ExploreFinding: Sendable {
    /// The invariant that broke.
    public var invariant: Invariant
    /// What the checker said on the minimal schedule.
    public var message: String
    /// The schedule that first showed it.
    public var original: FaultPlan
    /// The smallest schedule that still shows it.
    public var minimal: FaultPlan
    /// How many schedules broke this invariant.
    public var occurrences: Int
    /// Liveness mode: what healing did on the minimal schedule, as events at the instants it acted.
    public var healing: [EventSpec] = []
}

/// What an exploration found.
public struct ExploreReport: Sendable {
    /// Schedules played (not counting shrinking).
    public var schedules: Int
    /// How many of them struck at virtual instants around calls (the time dimension); the rest
    /// struck at step points.
    public var timeSchedules: Int = 0
    /// Distinct timelines among them.
    public var distinctTimelines: Int
    /// Schedules with at least one breach.
    public var breachingSchedules: Int
    /// One shrunk finding per broken invariant, in invariant order.
    public var findings: [ExploreFinding]
    /// Transitions played in all (for `bench`).
    public var transitions: Int
}

/// The fault explorer: plays many variants of a base scenario, checks every invariant on each,
/// and shrinks what breaks to a minimal schedule. Deterministic: the same inputs give the same
/// report whatever `jobs` says.
public enum Explorer {
    /// Every fault the exhaustive mode tries, for each step, point and attempt.
    /// With `providerFaults`, the provider's own faults too (`late-apply`, `lookup-error`).
    public static func candidates(for base: Scenario, maxAttempt: Int, providerFaults: Bool = false) -> [FaultPlan.Item] {
        var items: [FaultPlan.Item] = []
        let heartbeat = base.runtime.heartbeatTimeout
        for step in base.workflow.steps {
            for point in StepPoint.allCases {
                for attempt in 1...max(1, maxAttempt) {
                    if step.connection != nil {
                        for kind in [FaultKind.revokeGrant, .expireAccessToken, .loseResponse, .dropRequest, .refreshElsewhere] {
                            items.append(.fault(kind: kind, step: step.id, point: point, attempt: attempt, signalIndex: nil, stallFor: nil))
                        }
                        items.append(.fault(kind: .providerError, step: step.id, point: point, attempt: attempt, signalIndex: 0, stallFor: nil))
                        items.append(.fault(kind: .providerError, step: step.id, point: point, attempt: attempt, signalIndex: 1, stallFor: nil))
                        for kind in providerFaults ? Explorer.providerKinds : [] {
                            items.append(.fault(kind: kind, step: step.id, point: point, attempt: attempt, signalIndex: nil, stallFor: nil))
                        }
                    }
                    items.append(.fault(kind: .crashWorker, step: step.id, point: point, attempt: attempt, signalIndex: nil, stallFor: nil))
                    items.append(.fault(kind: .stallWorker, step: step.id, point: point, attempt: attempt, signalIndex: nil,
                                        stallFor: Span(milliseconds: heartbeat.milliseconds * 2)))
                }
            }
        }
        for connection in base.connections {
            items.append(.wrongReconnect(connection: connection.id, subject: connection.subject + "-colleague", tenant: connection.tenant, after: .minutes(1)))
            items.append(.wrongReconnect(connection: connection.id, subject: "intruder", tenant: connection.tenant + "-other", after: .minutes(1)))
        }
        return items
    }

    /// The schedules an exploration plays, in order.
    public static func plans(for base: Scenario, options: ExploreOptions) -> [FaultPlan] {
        if let seeds = options.seeds {
            return (0..<seeds).map { fuzzPlan(seed: options.seedFrom &+ UInt64($0), base: base, time: options.time,
                                              providerFaults: options.providerFaults) }
        }
        let items = options.stepPoints ? candidates(for: base, maxAttempt: options.maxAttempt, providerFaults: options.providerFaults) : []
        var plans = items.map { FaultPlan([$0]) }
        if options.depth >= 2 {
            for i in items.indices {
                for j in (i + 1)..<items.count { plans.append(FaultPlan([items[i], items[j]])) }
            }
        }
        if options.time {
            plans += timeCandidates(for: base, maxAttempt: options.maxAttempt, providerFaults: options.providerFaults).map { FaultPlan([$0]) }
        }
        return plans
    }

    /// The outcome of one schedule, kept small so millions fit in memory.
    struct Verdict: Sendable {
        var broken: [Invariant]
        var fingerprint: UInt64
        var transitions: Int
    }

    /// Plays one schedule and checks it.
    static func judge(_ plan: FaultPlan, base: Scenario, liveness: Bool) -> (verdict: Verdict, breaches: [Breach]) {
        let scenario = plan.apply(to: base)
        // The play and its invariants only, as `ScenarioPlayer.play` checks them for a Revive run:
        // a schedule's verdict reads nothing else, and the whole `ScenarioResult` (provider
        // breaches, effect counts, expectations, a copy of the scenario) was built and destroyed
        // for every schedule.
        let play = WorldPlay.play(scenario, mode: .revive, healing: liveness)
        var breaches = InvariantChecker.check(play.transitions, invariants: ScenarioPlayer.checkedInvariants(scenario, mode: .revive))
        // A run its own retry policy failed is the runtime's verdict, not a recovery that stalled:
        // the contract's liveness counts only a run left unfinished once everyone answered.
        if liveness && play.outcome == .parked && endsParkedOnACase(play.transitions) {
            breaches.append(Breach(invariant: .liveness,
                                   message: "with every owner reconnecting and every lost worker returning, the run ended \(play.outcome.rawValue)",
                                   evidence: []))
        }
        let broken = Invariant.allCases.filter { invariant in breaches.contains { $0.invariant == invariant } }
        return (Verdict(broken: broken, fingerprint: fingerprint(play.transitions), transitions: play.transitions.count), breaches)
    }

    /// Whether the run ended parked on a recovery case (a `run.parked` not followed by a
    /// resume). A run still retrying, or waiting for a worker, when the horizon came is the
    /// runtime's business, and its repro would show no breach either.
    static func endsParkedOnACase(_ transitions: [Transition]) -> Bool {
        let last = transitions.last { $0.name == .runParked || $0.name == .runResumed || $0.name == .runCompleted || $0.name == .runFailed }
        return last?.name == .runParked
    }

    /// Explores and returns the report; `progress` is told (done, total) now and then.
    public static func explore(_ base: Scenario, options: ExploreOptions, progress: ((Int, Int) -> Void)? = nil) -> ExploreReport {
        var base = base
        #if REVIVE_PLANTED_BUGS
        base.recovery.plantedBugs = options.plantedBugs
        #endif
        base.expect = Expectations()
        let plans = plans(for: base, options: options)
        let verdicts = playAll(plans, base: base, liveness: options.liveness, jobs: options.jobs, runChunks: options.runChunks,
                               progress: progress)
        var fingerprints = Set<UInt64>()
        var breaching = 0
        var transitions = 0
        var firstPlan: [Invariant: Int] = [:]
        var occurrences: [Invariant: Int] = [:]
        for (index, verdict) in verdicts.enumerated() {
            fingerprints.insert(verdict.fingerprint)
            transitions += verdict.transitions
            if !verdict.broken.isEmpty { breaching += 1 }
            for invariant in verdict.broken {
                if firstPlan[invariant] == nil { firstPlan[invariant] = index }
                occurrences[invariant, default: 0] += 1
            }
        }
        var findings: [ExploreFinding] = []
        for invariant in Invariant.allCases {
            guard let index = firstPlan[invariant] else { continue }
            let shrunk = shrink(plans[index], invariant: invariant, base: base, liveness: options.liveness, budget: options.shrinkBudget)
            let (minimal, healing) = onlyFired(shrunk, invariant: invariant, base: base, liveness: options.liveness)
            let message = judge(minimal, base: base, liveness: options.liveness).breaches.first(where: { $0.invariant == invariant })?.message ?? ""
            findings.append(ExploreFinding(invariant: invariant, message: message, original: plans[index], minimal: minimal,
                                           occurrences: occurrences[invariant] ?? 0, healing: healing))
        }
        // Fuzz mixes both in one schedule: only exhaustive mode counts the time dimension apart.
        let timed = options.seeds != nil ? 0 : plans.filter { plan in plan.items.contains { if case .timedFault = $0 { return true } else { return false } } }.count
        return ExploreReport(schedules: plans.count, timeSchedules: timed, distinctTimelines: fingerprints.count,
                             breachingSchedules: breaching, findings: findings, transitions: transitions)
    }

    /// Plays every plan, on `jobs` threads; the verdicts come back in plan order.
    static func playAll(_ plans: [FaultPlan], base: Scenario, liveness: Bool, jobs: Int,
                        runChunks: (@Sendable (Int, @Sendable (Int) -> Void) -> Void)?,
                        progress: ((Int, Int) -> Void)?) -> [Verdict] {
        let empty = Verdict(broken: [], fingerprint: 0, transitions: 0)
        guard jobs > 1, plans.count > 1, let runChunks else {
            var verdicts: [Verdict] = []
            verdicts.reserveCapacity(plans.count)
            for (index, plan) in plans.enumerated() {
                verdicts.append(judge(plan, base: base, liveness: liveness).verdict)
                if index % 256 == 255 { progress?(index + 1, plans.count) }
            }
            progress?(plans.count, plans.count)
            return verdicts
        }
        let buffer = UnsafeMutableBufferPointer<Verdict>.allocate(capacity: plans.count)
        buffer.initialize(repeating: empty)
        defer { buffer.deallocate() }
        let chunks = jobs * 8
        let results = SendableBuffer(buffer)
        runChunks(chunks) { chunk in
            var index = chunk
            while index < plans.count {
                results.buffer[index] = judge(plans[index], base: base, liveness: liveness).verdict
                index += chunks
            }
        }
        progress?(plans.count, plans.count)
        return Array(buffer)
    }

    /// A buffer each worker thread writes distinct slots of; the join makes the writes visible.
    private struct SendableBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Verdict>
        init(_ buffer: UnsafeMutableBufferPointer<Verdict>) { self.buffer = buffer }
    }

    /// The smallest schedule that still breaks `invariant`: fewest items, then earliest points,
    /// first attempts and shortest stalls.
    static func shrink(_ plan: FaultPlan, invariant: Invariant, base: Scenario, liveness: Bool, budget: Int) -> FaultPlan {
        var plays = 0
        func breaks(_ candidate: FaultPlan) -> Bool {
            guard plays < budget else { return false }
            plays += 1
            return judge(candidate, base: base, liveness: liveness).verdict.broken.contains(invariant)
        }
        var current = plan
        var removed = true
        while removed && current.items.count > 1 {
            removed = false
            for index in current.items.indices {
                var candidate = current
                candidate.items.remove(at: index)
                if breaks(candidate) {
                    current = candidate
                    removed = true
                    break
                }
            }
        }
        for index in current.items.indices {
            guard case let .fault(kind, step, point, attempt, signal, stall) = current.items[index] else { continue }
            var best = (point: point, attempt: attempt, stall: stall)
            for tryAttempt in 1..<max(1, attempt) where tryAttempt < best.attempt {
                var candidate = current
                candidate.items[index] = .fault(kind: kind, step: step, point: best.point, attempt: tryAttempt, signalIndex: signal, stallFor: best.stall)
                if breaks(candidate) { best.attempt = tryAttempt; current = candidate; break }
            }
            for tryPoint in StepPoint.allCases where StepPoint.allCases.firstIndex(of: tryPoint)! < StepPoint.allCases.firstIndex(of: best.point)! {
                var candidate = current
                candidate.items[index] = .fault(kind: kind, step: step, point: tryPoint, attempt: best.attempt, signalIndex: signal, stallFor: best.stall)
                if breaks(candidate) { best.point = tryPoint; current = candidate; break }
            }
            if let stall = best.stall {
                for shorter in [Span.seconds(20), .minutes(2), .hours(2)] where shorter < stall {
                    var candidate = current
                    candidate.items[index] = .fault(kind: kind, step: step, point: best.point, attempt: best.attempt, signalIndex: signal, stallFor: shorter)
                    if breaks(candidate) { current = candidate; break }
                }
            }
        }
        return current
    }

    /// The schedule without the faults that never fired on it (when the breach holds without
    /// them: a fault that did not fire changes nothing, but a shrink cut short by its budget may
    /// keep one), and what healing did on it.
    static func onlyFired(_ plan: FaultPlan, invariant: Invariant, base: Scenario, liveness: Bool) -> (FaultPlan, [EventSpec]) {
        let play = WorldPlay.play(plan.apply(to: base), mode: .revive, healing: liveness)
        var kept: [FaultPlan.Item] = []
        var faultIndex = base.faults.count
        for item in plan.items {
            switch item {
            case .fault, .timedFault:
                if play.firedFaults.contains(faultIndex) { kept.append(item) }
                faultIndex += 1
            case .wrongReconnect, .latency:
                kept.append(item)
            }
        }
        let trimmed = FaultPlan(kept)
        guard kept.count < plan.items.count, judge(trimmed, base: base, liveness: liveness).verdict.broken.contains(invariant) else {
            return (plan, play.healed)
        }
        return (trimmed, WorldPlay.play(trimmed.apply(to: base), mode: .revive, healing: liveness).healed)
    }

    /// FNV-1a over the transitions' names, actors, times and key facts: equal timelines, equal
    /// prints. Names, parties and classes go in as numbers: hashing their spellings byte by byte
    /// was a twentieth of the fuzzer's instructions. The running hash is a local passed `inout`:
    /// mixed by nested functions that captured it, it lived in a heap box whose every read and
    /// write was a dynamic exclusivity check (a million `swift_beginAccess` calls in
    /// `bench --only exploration`, half the fingerprint's cost).
    static func fingerprint(_ transitions: [Transition]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        // Fetched once: `allCases` built its array on every transition.
        let classes = FailureClass.allCases
        // Fields read through the array: `for t in transitions` copied every transition of every
        // schedule (a retain and a release per string it holds) only to read five fields.
        for i in transitions.indices {
            if let position = transitions[i].name.position { mix(&hash, UInt64(position)) } else { mix(&hash, transitions[i].name.rawValue) }
            if case .worker(let worker) = transitions[i].actor { mix(&hash, worker.rawValue) } else { mix(&hash, partyCode(transitions[i].actor)) }
            mix(&hash, UInt64(bitPattern: transitions[i].time.milliseconds))
            mix(&hash, transitions[i].step)
            mix(&hash, UInt64(transitions[i].attempt ?? 0))
            mix(&hash, UInt64(transitions[i].generation ?? 0))
            mix(&hash, UInt64(transitions[i].failureClass.flatMap { classes.firstIndex(of: $0) }.map { $0 + 1 } ?? 0))
        }
        return hash
    }

    /// One FNV-1a step.
    @inline(__always)
    private static func mix(_ hash: inout UInt64, _ value: UInt64) { hash = (hash ^ value) &* 0x100_0000_01b3 }

    /// A text's bytes then 0x1F, or 0xFF for none: read where they lie when they are contiguous.
    private static func mix(_ hash: inout UInt64, _ text: String?) {
        guard let text else { return mix(&hash, 0xFF) }
        var running = hash
        let direct: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { running = (running ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        if direct == nil {
            for byte in text.utf8 { running = (running ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        hash = running
        mix(&hash, 0x1F)
    }

    /// A number for each party of the contract (a worker is mixed by its name instead).
    private static func partyCode(_ actor: Actor) -> UInt64 {
        switch actor {
        case .revive: return 0x101
        case .provider: return 0x102
        case .runtime: return 0x103
        case .owner: return 0x104
        case .operator: return 0x105
        case .lab: return 0x106
        case .worker: return 0x107
        }
    }
}

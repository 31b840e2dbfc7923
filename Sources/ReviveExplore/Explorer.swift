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
    /// Exhaustive mode also strikes single faults at the instants around each call (`--no-time` turns it off).
    public var time = true
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
    public static func candidates(for base: Scenario, maxAttempt: Int) -> [FaultPlan.Item] {
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

    /// The schedule of fuzz seed `seed`: swarm-style, the seed enables a random subset of fault
    /// kinds and draws one to four faults from it (and maybe a wrong-account reconnect).
    public static func fuzzPlan(seed: UInt64, base: Scenario) -> FaultPlan {
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0xF00D)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(1, n))) }
        // The kinds of the first release, in their order, so that a seed keeps drawing the same schedule;
        // late-apply (a provider breaking its promise) and lookup-error are struck only when asked.
        let kinds: [FaultKind] = [.revokeGrant, .expireAccessToken, .providerError, .loseResponse, .dropRequest, .crashWorker, .stallWorker, .refreshElsewhere]
        var enabled = kinds.filter { _ in random.next() % 2 == 0 }
        if enabled.isEmpty { enabled = [kinds[pick(kinds.count)]] }
        let steps = base.workflow.steps
        let connected = steps.filter { $0.connection != nil }
        var items: [FaultPlan.Item] = []
        let stalls: [Span] = [.seconds(20), .minutes(2), .hours(2)]
        for _ in 0..<(1 + pick(4)) {
            let kind = enabled[pick(enabled.count)]
            let pool = kind.targetsWorker ? steps : connected
            guard !pool.isEmpty else { continue }
            let step = pool[pick(pool.count)]
            items.append(.fault(kind: kind, step: step.id, point: StepPoint.allCases[pick(4)], attempt: 1 + pick(3),
                                signalIndex: kind == .providerError ? pick(FaultPlan.signals.count) : nil,
                                stallFor: kind == .stallWorker ? stalls[pick(stalls.count)] : nil))
        }
        if random.next() % 3 == 0, !base.connections.isEmpty {
            let connection = base.connections[pick(base.connections.count)]
            let sameTenant = random.next() % 2 == 0
            items.append(.wrongReconnect(connection: connection.id, subject: connection.subject + "-colleague",
                                         tenant: sameTenant ? connection.tenant : connection.tenant + "-other",
                                         after: .seconds(Int64(30 + pick(600)))))
        }
        return FaultPlan(items)
    }

    /// The schedules an exploration plays, in order.
    public static func plans(for base: Scenario, options: ExploreOptions) -> [FaultPlan] {
        if let seeds = options.seeds {
            return (0..<seeds).map { fuzzPlan(seed: options.seedFrom &+ UInt64($0), base: base) }
        }
        let items = options.stepPoints ? candidates(for: base, maxAttempt: options.maxAttempt) : []
        var plans = items.map { FaultPlan([$0]) }
        if options.depth >= 2 {
            for i in items.indices {
                for j in (i + 1)..<items.count { plans.append(FaultPlan([items[i], items[j]])) }
            }
        }
        if options.time { plans += timeCandidates(for: base, maxAttempt: options.maxAttempt).map { FaultPlan([$0]) } }
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
        let result = ScenarioPlayer.play(scenario, mode: .revive, healing: liveness)
        var breaches = result.breaches
        if liveness && result.outcome != .completed {
            breaches.append(Breach(invariant: .liveness,
                                   message: "with every owner reconnecting and every lost worker returning, the run ended \(result.outcome.rawValue)",
                                   evidence: []))
        }
        let broken = Invariant.allCases.filter { invariant in breaches.contains { $0.invariant == invariant } }
        return (Verdict(broken: broken, fingerprint: fingerprint(result.transitions), transitions: result.transitions.count), breaches)
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
            let minimal = shrink(plans[index], invariant: invariant, base: base, liveness: options.liveness, budget: options.shrinkBudget)
            let message = judge(minimal, base: base, liveness: options.liveness).breaches.first(where: { $0.invariant == invariant })?.message ?? ""
            findings.append(ExploreFinding(invariant: invariant, message: message, original: plans[index], minimal: minimal,
                                           occurrences: occurrences[invariant] ?? 0))
        }
        let timed = plans.filter { plan in plan.items.contains { if case .timedFault = $0 { return true } else { return false } } }.count
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

    /// FNV-1a over the transitions' names, actors, times and key facts: equal timelines, equal prints.
    static func fingerprint(_ transitions: [Transition]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String?) {
            guard let text else { hash = (hash ^ 0xFF) &* 0x100_0000_01b3; return }
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x1F) &* 0x100_0000_01b3
        }
        for t in transitions {
            mix(t.name.rawValue)
            mix(t.actor.rawValue)
            hash = (hash ^ UInt64(bitPattern: t.time.milliseconds)) &* 0x100_0000_01b3
            mix(t.step)
            hash = (hash ^ UInt64(t.attempt ?? 0)) &* 0x100_0000_01b3
            hash = (hash ^ UInt64(t.generation ?? 0)) &* 0x100_0000_01b3
            mix(t.failureClass?.rawValue)
        }
        return hash
    }

    /// The runtime object with the explorer's retry cap written in, when the exploration applied it,
    /// so the repro replays exactly what was explored (and stays cheap).
    static func cappedRuntime(_ runtime: JSONValue, explored: Scenario) -> JSONValue {
        guard case .object(var members) = runtime, explored.runtime.retry?.maxAttempts == FaultPlan.exploreRetryCap else { return runtime }
        var retry: [(key: String, value: JSONValue)] = []
        if let index = members.firstIndex(where: { $0.key == "retry" }) {
            if case .object(let existing) = members[index].value { retry = existing.filter { $0.key != "maxAttempts" } }
            members.remove(at: index)
        }
        retry.append(("maxAttempts", .integer(Int64(FaultPlan.exploreRetryCap))))
        members.append(("retry", .object(retry)))
        return .object(members)
    }

    /// The minimal schedule as a normal scenario file: the base scenario plus the schedule's
    /// faults and events, without the base's `expect` (every invariant is still checked).
    public static func reproDocument(for finding: ExploreFinding, base: Scenario) -> JSONValue {
        guard case .object(let members) = base.source else { return base.source }
        let added = finding.minimal.jsonItems()
        let description = "Found by revive-lab explore from \(base.name): \(finding.invariant.rawValue) breaks with \(finding.minimal.summary)."
        var result: [(key: String, value: JSONValue)] = []
        for member in members where member.key != "expect" {
            switch member.key {
            case "name": result.append(("name", .string("\(base.name)-repro-\(finding.invariant.rawValue)")))
            case "description": result.append(("description", .string(description)))
            case "faults":
                if case .array(let existing) = member.value { result.append(("faults", .array(existing + added.faults))) }
            case "events":
                if case .array(let existing) = member.value { result.append(("events", .array(existing + added.events))) }
            case "runtime":
                result.append(("runtime", cappedRuntime(member.value, explored: finding.minimal.apply(to: base))))
            default: result.append(member)
            }
        }
        if !members.contains(where: { $0.key == "faults" }) { result.append(("faults", .array(added.faults))) }
        if !members.contains(where: { $0.key == "events" }) { result.append(("events", .array(added.events))) }
        if !members.contains(where: { $0.key == "description" }) { result.append(("description", .string(description))) }
        return .object(result)
    }
}

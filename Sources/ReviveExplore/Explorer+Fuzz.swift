import Revive
import ReviveVocabulary
import ReviveWorld

/// Fuzz mode: seeded random schedules, swarm-style.
extension Explorer {
    /// Provider latencies fuzz draws for a call: quick, slow, past the default 30 s timeout, far past it.
    static let fuzzLatencies: [Span] = [Span(milliseconds: 100), .seconds(5), .seconds(20), .seconds(45), .minutes(2)]

    /// The schedule of fuzz seed `seed`: swarm-style, the seed enables a random subset of fault
    /// kinds and draws one to four faults from it at step points (and maybe a wrong-account
    /// reconnect). With `time`, it also draws a provider latency for a call and faults at instants
    /// around a call; with `providerFaults`, the provider's own faults join the kinds.
    public static func fuzzPlan(seed: UInt64, base: Scenario, time: Bool = true, providerFaults: Bool = false) -> FaultPlan {
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0xF00D)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(1, n))) }
        // The kinds of the first release, in their order, so that a seed keeps drawing the same
        // step-point schedule; the provider's own faults come after them, only when asked.
        var kinds: [FaultKind] = [.revokeGrant, .expireAccessToken, .providerError, .loseResponse, .dropRequest, .crashWorker, .stallWorker, .refreshElsewhere]
        if providerFaults { kinds += providerKinds }
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
        if time { items += fuzzTimeItems(seed: seed, base: base, kinds: enabled) }
        return FaultPlan(items)
    }

    /// The time part of a fuzz schedule, from its own stream (so the step-point part stays what
    /// the seed always drew): maybe a provider latency for one call, and maybe one or two faults
    /// of the enabled kinds at instants drawn around a call of the fault-free story.
    static func fuzzTimeItems(seed: UInt64, base: Scenario, kinds enabled: [FaultKind]) -> [FaultPlan.Item] {
        var random = SeededRandom(seed: seed &* 0xD1B5_4A32_D192_ED03 &+ 0x71AE)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(max(1, n))) }
        let steps = base.workflow.steps
        let connected = steps.indices.filter { steps[$0].connection != nil }
        guard !connected.isEmpty else { return [] }
        var items: [FaultPlan.Item] = []
        var durations = steps.map(\.duration)
        if random.next() % 2 == 0 {
            let index = connected[pick(connected.count)]
            durations[index] = fuzzLatencies[pick(fuzzLatencies.count)]
            items.append(.latency(step: steps[index].id, duration: durations[index]))
        }
        let timed = enabled.filter { timedKinds.contains($0) || providerKinds.contains($0) }
        guard !timed.isEmpty, random.next() % 2 == 0 else { return items }
        let timeout = base.runtime.callTimeout
        for _ in 0..<(1 + pick(2)) {
            let index = connected[pick(connected.count)]
            // Where the call leaves in the fault-free story: every step before it took its time
            // (a call no longer than the caller waits).
            let sentAt = steps.indices.prefix(index).reduce(Instant.zero) { $0.advanced(by: min(durations[$1], timeout)) }
            guard let connection = steps[index].connection else { continue }
            let settleAfter = base.connections.first(where: { $0.id == connection })?.idempotency.settleAfter ?? .zero
            let window = max(durations[index], timeout).milliseconds + settleAfter.milliseconds + 1_000
            let at = sentAt.advanced(by: Span(milliseconds: Int64(pick(Int(window)))))
            let kind = timed[pick(timed.count)]
            let worker = base.runtime.workers.first
            items.append(.timedFault(kind: kind, at: at, connection: kind.targetsWorker ? nil : connection,
                                     worker: kind.targetsWorker ? worker : nil,
                                     stallFor: kind == .stallWorker ? Span(milliseconds: base.runtime.heartbeatTimeout.milliseconds * 2) : nil))
        }
        return items
    }
}

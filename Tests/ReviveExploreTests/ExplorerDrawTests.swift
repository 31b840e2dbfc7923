import Testing
import Revive
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// What the explorer draws: fuzz schedules per seed (with and without the time dimension and the
/// provider's own faults) and the exhaustive candidates with and without the provider's faults.
struct ExplorerDrawTests {
    static let seeds: [UInt64] = Array(1...300)

    static func isTimed(_ item: FaultPlan.Item) -> Bool {
        switch item {
        case .latency, .timedFault: return true
        case .fault, .wrongReconnect: return false
        }
    }

    static func isLatency(_ item: FaultPlan.Item) -> Bool {
        if case .latency = item { return true }
        return false
    }

    static func isTimedFault(_ item: FaultPlan.Item) -> Bool {
        if case .timedFault = item { return true }
        return false
    }

    /// The fault kind of an item, if it is a fault.
    static func kind(_ item: FaultPlan.Item) -> FaultKind? {
        switch item {
        case .fault(let kind, _, _, _, _, _), .timedFault(let kind, _, _, _, _): return kind
        case .latency, .wrongReconnect: return nil
        }
    }

    static let providerKinds: Set<FaultKind> = [.lateApply, .lookupError]

    // MARK: Fuzz

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func aFuzzScheduleIsTheSameForTheSameSeed(_ time: Bool, _ providerFaults: Bool) throws {
        let base = try ExplorerTests.shipped("slow-send-two-workers")
        for seed in Self.seeds.prefix(50) {
            #expect(Explorer.fuzzPlan(seed: seed, base: base, time: time, providerFaults: providerFaults)
                    == Explorer.fuzzPlan(seed: seed, base: base, time: time, providerFaults: providerFaults))
        }
    }

    @Test func withTimeFuzzDrawsLatenciesAndTimedFaults() throws {
        let base = try ExplorerTests.shipped("slow-send-two-workers")
        let items = Self.seeds.flatMap { Explorer.fuzzPlan(seed: $0, base: base, time: true).items }
        #expect(items.contains(where: Self.isLatency))
        #expect(items.contains(where: Self.isTimedFault))
    }

    @Test func withoutTimeFuzzDrawsNeitherLatenciesNorTimedFaults() throws {
        let base = try ExplorerTests.shipped("slow-send-two-workers")
        let items = Self.seeds.flatMap { Explorer.fuzzPlan(seed: $0, base: base, time: false).items }
        #expect(!items.isEmpty)
        #expect(!items.contains(where: Self.isTimed))
    }

    @Test(arguments: [false, true])
    func theStepPointPartOfASeedDoesNotDependOnTime(_ providerFaults: Bool) throws {
        let base = try ExplorerTests.shipped("slow-send-two-workers")
        var timedSeeds = 0
        for seed in Self.seeds {
            let plain = Explorer.fuzzPlan(seed: seed, base: base, time: false, providerFaults: providerFaults).items
            let timed = Explorer.fuzzPlan(seed: seed, base: base, time: true, providerFaults: providerFaults).items
            #expect(Array(timed.prefix(plain.count)) == plain, "seed \(seed)")
            #expect(timed.dropFirst(plain.count).allSatisfy(Self.isTimed), "seed \(seed): only time items are added")
            if timed.count > plain.count { timedSeeds += 1 }
        }
        #expect(timedSeeds > 0)
    }

    @Test(arguments: [false, true])
    func providerFaultsAreDrawnOnlyWhenAsked(_ time: Bool) throws {
        let base = try ExplorerTests.shipped("slow-send-two-workers")
        let without = Self.seeds.flatMap { Explorer.fuzzPlan(seed: $0, base: base, time: time, providerFaults: false).items }
        #expect(!without.contains { Self.kind($0).map(Self.providerKinds.contains) == true })
        let with = Self.seeds.flatMap { Explorer.fuzzPlan(seed: $0, base: base, time: time, providerFaults: true).items }
        let drawn = Set(with.compactMap(Self.kind))
        #expect(drawn.isSuperset(of: Self.providerKinds), "over \(Self.seeds.count) seeds both provider faults are drawn: \(drawn)")
    }

    @Test func timedProviderFaultsAimAtAConnection() throws {
        let base = try ExplorerTests.shipped("slow-send-two-workers")
        var found = 0
        for seed in Self.seeds {
            for item in Explorer.fuzzPlan(seed: seed, base: base, time: true, providerFaults: true).items {
                guard case .timedFault(let kind, _, let connection, let worker, _) = item, Self.providerKinds.contains(kind) else { continue }
                found += 1
                #expect(connection == ConnectionID("conn_mail"))
                #expect(worker == nil)
            }
        }
        #expect(found > 0, "some seed strikes a provider fault at an instant")
    }

    // MARK: Exhaustive candidates

    @Test func stepPointCandidatesIncludeTheProvidersFaultsOnlyWhenAsked() throws {
        let base = try ExplorerTests.shipped("revoked-grant")
        let plain = Explorer.candidates(for: base, maxAttempt: 2)
        #expect(!plain.contains { Self.kind($0).map(Self.providerKinds.contains) == true })
        let asked = Explorer.candidates(for: base, maxAttempt: 2, providerFaults: true)
        let added = asked.filter { Self.kind($0).map(Self.providerKinds.contains) == true }
        // Two connected steps, four points, two attempts, two kinds.
        #expect(added.count == 2 * StepPoint.allCases.count * 2 * 2)
        #expect(asked.count == plain.count + added.count)
        #expect(asked.filter { Self.kind($0).map(Self.providerKinds.contains) != true } == plain, "the other candidates stay, in order")
        for item in added {
            guard case .fault(_, let step, _, _, _, _) = item else { continue }
            #expect(step != ActionKey("draft-briefing"), "a step without a connection gets no provider fault")
        }
    }

    @Test func timeCandidatesIncludeTheProvidersFaultsOnlyWhenAsked() throws {
        let base = try ExplorerTests.shipped("slow-send-two-workers")
        let plain = Explorer.timeCandidates(for: base, maxAttempt: 2)
        #expect(!plain.isEmpty)
        #expect(!plain.contains { Self.kind($0).map(Self.providerKinds.contains) == true })
        let asked = Explorer.timeCandidates(for: base, maxAttempt: 2, providerFaults: true)
        let added = asked.filter { Self.kind($0).map(Self.providerKinds.contains) == true }
        #expect(Set(added.compactMap(Self.kind)) == Self.providerKinds)
        #expect(asked.filter { Self.kind($0).map(Self.providerKinds.contains) != true } == plain)
        for item in added {
            guard case .timedFault(_, _, let connection, let worker, let stall) = item else {
                Issue.record("a time candidate is a timed fault: \(item)")
                continue
            }
            #expect(connection == ConnectionID("conn_mail"))
            #expect(worker == nil)
            #expect(stall == nil)
        }
    }

    @Test func exhaustivePlansStrikeTheProvidersFaultsOnlyWithTheOption() throws {
        let base = try ExplorerTests.shipped("revoked-grant")
        var options = ExploreOptions()
        let plain = Explorer.plans(for: base, options: options).flatMap(\.items)
        #expect(!plain.contains { Self.kind($0).map(Self.providerKinds.contains) == true })
        options.providerFaults = true
        let asked = Explorer.plans(for: base, options: options).flatMap(\.items)
        #expect(Set(asked.compactMap(Self.kind)).isSuperset(of: Self.providerKinds))
    }
}

import Foundation
import Testing
@testable import Revive
@testable import ReviveCheck
@testable import ReviveExplore
@testable import ReviveLab
@testable import ReviveVocabulary
@testable import ReviveWorld

/// What the explorer writes and keeps for a finding: liveness judged on the run's own end, the
/// healing written into the repro, only the faults that fired, and provider latencies as durations.
struct ExplorerReproTests {
    /// A one-step scenario on one Microsoft connection; `extra` members are appended at the top level.
    static func oneStep(_ name: String, retry: String = "", extra: [String]) throws -> Scenario {
        let members = [
            #""format": 1"#, #""name": "\#(name)""#,
            #""runtime": {"kind": "langgraph", "workers": ["worker-a"]\#(retry)}"#,
            #""connections": [{"id": "conn_mail", "provider": "microsoft", "broker": "nango", "owner": "ops@contoso.example", "subject": "oid-4f1c", "tenant": "tid-contoso"}]"#,
            #""workflow": {"run": "run_1", "steps": [{"id": "send-briefing", "connection": "conn_mail", "effect": "mutation"}]}"#,
        ] + extra
        return try ScenarioLoader.load(text: "{" + members.joined(separator: ",\n") + "}", file: "\(name).json")
    }

    /// A shipped scenario with its `events` taken out (what healing then has to do itself).
    static func withoutEvents(_ name: String) throws -> Scenario {
        let url = ExplorerTests.root.appendingPathComponent("scenarios/\(name).json")
        guard case .object(let members) = try JSONValue.parse(try String(contentsOf: url, encoding: .utf8)) else {
            throw CancellationError()
        }
        return try ScenarioLoader.load(document: .object(members.filter { $0.key != "events" }), file: "\(name).json")
    }

    /// The repro of `finding` from `base`, loaded back as a scenario.
    static func repro(_ finding: ExploreFinding, base: Scenario) throws -> Scenario {
        try ScenarioLoader.load(text: ScenarioSchema.pretty(Explorer.reproDocument(for: finding, base: base), indent: 0), file: "repro.json")
    }

    // MARK: Liveness is judged on the run's own end

    @Test func aRunItsRetryPolicyFailedIsNoLivenessBreach() throws {
        // Two attempts, both refused with a 503: the retry policy fails the run.
        let failing = try Self.oneStep("gives-up", retry: #", "retry": {"maxAttempts": 2}"#, extra: [
            #""faults": [{"at": {"step": "send-briefing", "point": "before-call"}, "fault": "provider-error", "signal": {"status": 503, "error": "temporarily_unavailable"}, "count": 5}]"#,
        ])
        #expect(ScenarioPlayer.play(failing, healing: true).outcome == .failed)
        let (verdict, breaches) = Explorer.judge(FaultPlan([]), base: failing, liveness: true)
        #expect(!verdict.broken.contains(.liveness), "\(breaches)")
    }

    @Test func aRunLeftParkedIsALivenessBreach() throws {
        // Healing reconnects 10 minutes after the request, past the 5-minute horizon: the run stays parked.
        let base = try Self.oneStep("left-parked", extra: [
            #""faults": [{"at": {"step": "send-briefing", "point": "before-call"}, "fault": "revoke-grant"}]"#,
            #""horizon": "5m""#,
        ])
        #expect(ScenarioPlayer.play(base, healing: true).outcome == .parked)
        let (verdict, breaches) = Explorer.judge(FaultPlan([]), base: base, liveness: true)
        #expect(verdict.broken == [.liveness], "\(breaches)")
        #expect(breaches.contains { $0.invariant == .liveness && $0.message.hasSuffix("the run ended parked") })
        #expect(Explorer.judge(FaultPlan([]), base: base, liveness: false).verdict.broken.isEmpty, "only liveness mode asks for completion")
    }

    @Test func aRunStillRetryingAtTheHorizonIsNoLivenessBreach() throws {
        // What `explore scenarios/lookup-errors-until-operator.json --liveness --seeds 30` once reported: every
        // read takes 45 s, past the 30 s call timeout, and read-calendar's retries are unlimited (the
        // scenario sets maxAttempts on another step, so the explorer's cap does not apply).
        var base = try ExplorerTests.shipped("lookup-errors-until-operator")
        base.expect = Expectations()
        let plan = FaultPlan([.latency(step: ActionKey("read-calendar"), duration: .seconds(45))])
        let (verdict, _) = Explorer.judge(plan, base: base, liveness: true)
        #expect(verdict.broken.isEmpty, "a run still retrying when the horizon comes is the runtime's business, not a liveness breach")
        let healed = WorldPlay.play(plan.apply(to: base), healing: true)
        #expect(healed.stoppedAtHorizon)
        #expect(!healed.transitions.contains { $0.name == .runParked }, "the run never parked: it is still retrying the read")
        let finding = ExploreFinding(invariant: .liveness, message: "", original: plan, minimal: plan, occurrences: 1, healing: healed.healed)
        let replayed = ScenarioPlayer.play(try Self.repro(finding, base: base))
        #expect(!replayed.breaches.contains { $0.invariant == .liveness }, "the explorer and `run REPRO` agree: no breach")
    }

    // MARK: Healing in the repro

    @Test func anOperatorsHealingAnswerIsWrittenIntoTheReproAndReplays() throws {
        let base = try Self.withoutEvents("no-lookup-operator-says-sent")
        #expect(ScenarioPlayer.play(base).outcome == .parked, "nobody answers without healing")
        let healed = WorldPlay.play(base, healing: true)
        #expect(healed.outcome == .completed)
        let finding = ExploreFinding(invariant: .liveness, message: "", original: FaultPlan([]), minimal: FaultPlan([]),
                                     occurrences: 1, healing: healed.healed)
        guard case .array(let events)? = Explorer.reproDocument(for: finding, base: base)["events"] else {
            Issue.record("the repro has an events list")
            return
        }
        #expect(events.count == 1)
        #expect(events.first?["do"] == .string("operator-confirm"))
        #expect(events.first?["connection"] == .string("conn_mail"))
        #expect(events.first?["happened"] == .bool(true), "the operator answers truthfully: the send happened")
        let repro = try Self.repro(finding, base: base)
        let replayed = ScenarioPlayer.play(repro)
        #expect(replayed.outcome == .completed, "played without healing, the written answer resumes the run")
        #expect(replayed.effects.first(where: { $0.step == ActionKey("send-briefing") })?.count == 1)
        #expect(replayed.transitions.contains { $0.name == .caseResolved && $0.notes.contains(Transition.Note("happened", "yes")) })
    }

    #if REVIVE_PLANTED_BUGS
    @Test func aLivenessFindingsReproShowsTheBreachWithoutHealing() throws {
        // revoked-grant with nobody reconnecting: only healing brings the owner back.
        let base = try Self.withoutEvents("revoked-grant")
        var options = ExploreOptions()
        options.liveness = true
        options.time = false
        options.plantedBugs = [.consumeBeforeVerify]
        let report = Explorer.explore(base, options: options)
        let finding = try #require(report.findings.first(where: { $0.invariant == .liveness }))
        #expect(!finding.healing.isEmpty, "the breach needed healing to show")
        var repro = try Self.repro(finding, base: base)
        repro.recovery.plantedBugs = [.consumeBeforeVerify]
        #expect(ScenarioPlayer.play(repro).breaches.contains { $0.invariant == .liveness }, "the written healing replays the breach")
        var unhealed = finding
        unhealed.healing = []
        var bare = try Self.repro(unhealed, base: base)
        bare.recovery.plantedBugs = [.consumeBeforeVerify]
        #expect(!ScenarioPlayer.play(bare).breaches.contains { $0.invariant == .liveness }, "without the healing events nobody answered")
    }

    // MARK: Only the faults that fired

    /// revoked-grant with reconciliation skipped: a lost answer to the send makes it happen twice.
    static func skipReconciliationBase() throws -> Scenario {
        var base = try ExplorerTests.shipped("revoked-grant")
        base.recovery.plantedBugs = [.skipReconciliation]
        base.expect = Expectations()
        return base
    }

    static let loseTheSend = FaultPlan.Item.fault(kind: .loseResponse, step: ActionKey("read-calendar"), point: .afterCommit,
                                                  attempt: 1, signalIndex: nil, stallFor: nil)
    static let neverReached = FaultPlan.Item.fault(kind: .crashWorker, step: ActionKey("send-briefing"), point: .beforeCall,
                                                   attempt: 9, signalIndex: nil, stallFor: nil)

    @Test(arguments: [[loseTheSend, neverReached], [neverReached, loseTheSend]])
    func aFaultThatNeverFiredIsTrimmed(_ items: [FaultPlan.Item]) throws {
        let base = try Self.skipReconciliationBase()
        let plan = FaultPlan(items)
        #expect(Explorer.judge(plan, base: base, liveness: false).verdict.broken.contains(.effectOnce))
        let fired = WorldPlay.play(plan.apply(to: base)).firedFaults
        #expect(fired.subtracting(0..<base.faults.count).count == 1, "one of the two added faults never fires: \(fired)")
        let (minimal, healing) = Explorer.onlyFired(plan, invariant: .effectOnce, base: base, liveness: false)
        #expect(minimal == FaultPlan([Self.loseTheSend]))
        #expect(healing.isEmpty)
    }

    @Test func aPlanWhoseFaultsAllFiredIsKept() throws {
        let base = try Self.skipReconciliationBase()
        let plan = FaultPlan([Self.loseTheSend])
        #expect(Explorer.onlyFired(plan, invariant: .effectOnce, base: base, liveness: false).0 == plan)
    }

    @Test func aFindingShrunkWithNoBudgetKeepsOnlyFaultsThatFired() throws {
        let base = try ExplorerTests.shipped("revoked-grant")
        var options = ExploreOptions()
        options.seeds = 60
        options.shrinkBudget = 0
        options.plantedBugs = [.skipReconciliation]
        let report = Explorer.explore(base, options: options)
        #expect(!report.findings.isEmpty)
        var planted = base
        planted.recovery.plantedBugs = [.skipReconciliation]
        var trimmedAny = false
        for finding in report.findings {
            let faults = finding.minimal.items.filter { if case .wrongReconnect = $0 { false } else if case .latency = $0 { false } else { true } }
            let fired = WorldPlay.play(finding.minimal.apply(to: planted)).firedFaults
            let added = Set(planted.faults.count..<(planted.faults.count + faults.count))
            #expect(added.isSubset(of: fired), "every fault of \(finding.minimal.summary) fired: \(fired)")
            if finding.minimal.items.count < finding.original.items.count { trimmedAny = true }
        }
        #expect(trimmedAny, "some original schedule carried a fault that never fired")
    }
    #endif

    // MARK: Latency in the repro

    @Test(arguments: ["revoked-grant", "slow-send-two-workers"])
    func aLatencyIsWrittenAsTheStepsDuration(_ name: String) throws {
        let base = try ExplorerTests.shipped(name)
        let minimal = FaultPlan([.latency(step: ActionKey("send-briefing"), duration: .seconds(45))])
        let finding = ExploreFinding(invariant: .effectOnce, message: "", original: minimal, minimal: minimal, occurrences: 1)
        let document = Explorer.reproDocument(for: finding, base: base)
        guard case .array(let steps)? = document["workflow"]?["steps"] else {
            Issue.record("the repro has workflow steps")
            return
        }
        let send = try #require(steps.first(where: { $0["id"] == .string("send-briefing") }))
        guard case .object(let fields) = send else { throw CancellationError() }
        #expect(fields.filter { $0.key == "duration" }.map(\.value) == [.string("45s")], "one duration, the latency's")
        let others = steps.filter { $0["id"] != .string("send-briefing") }
        let baseSteps = base.source["workflow"]?["steps"]
        guard case .array(let original)? = baseSteps else { throw CancellationError() }
        #expect(others == original.filter { $0["id"] != .string("send-briefing") }, "the other steps are untouched")
        let repro = try Self.repro(finding, base: base)
        #expect(repro.workflow.steps.first(where: { $0.id == ActionKey("send-briefing") })?.duration == .seconds(45))
    }
}

import Testing
import Revive
import ReviveVocabulary
import ReviveWorld

/// The simulated world plays a scenario deterministically, through the engine's public API, and
/// the baseline plays the same runtime without Revive.
@Suite("world play")
struct WorldPlayTests {
    /// A three-step LangGraph run on Google: read, draft, send; optionally with a revoked grant
    /// before the send and the owner reconnecting ten minutes after the request.
    static func scenario(seed: UInt64 = 7, revokeBeforeSend: Bool = false) -> Scenario {
        let connection = ConnectionSpec(id: ConnectionID("conn_google"), provider: .google, broker: .nango, owner: "owner@example.com",
                                        subject: "sub-1", tenant: "tenant-1", scopes: ["gmail.send"], accessTokenTTL: .hours(1))
        let steps = [
            StepSpec(id: ActionKey("read-inbox"), connection: ConnectionID("conn_google"), effect: .read, duration: Span(milliseconds: 100)),
            StepSpec(id: ActionKey("draft"), effect: .none, duration: Span(milliseconds: 100)),
            StepSpec(id: ActionKey("send"), connection: ConnectionID("conn_google"), effect: .mutation, duration: Span(milliseconds: 100)),
        ]
        var faults: [FaultSpec] = []
        var events: [EventSpec] = []
        if revokeBeforeSend {
            faults.append(FaultSpec(at: .step(id: ActionKey("send"), point: .beforeCall, attempt: 1), kind: .revokeGrant, count: 1))
            events.append(EventSpec(trigger: .on(transition: .reconnectRequested, after: .minutes(10)),
                                    action: .reconnect(connection: ConnectionID("conn_google"), subject: "sub-1", tenant: "tenant-1")))
        }
        return Scenario(
            file: "world-play-test", name: "world-play-test", description: "", seed: seed,
            runtime: RuntimeSpec(kind: .langgraph, workers: [WorkerID("worker-a")], heartbeatTimeout: .minutes(1), callTimeout: .seconds(30)),
            recovery: RecoveryConfiguration(), horizon: .days(7), connections: [connection],
            workflow: WorkflowSpec(name: "", run: RunID("run_1"), steps: steps), faults: faults, events: events,
            expect: Expectations(), source: .null)
    }

    @Test func theSameScenarioAndSeedGiveTheSameTimeline() {
        let first = WorldPlay.play(WorldPlayTests.scenario(revokeBeforeSend: true))
        let second = WorldPlay.play(WorldPlayTests.scenario(revokeBeforeSend: true))
        #expect(first.transitions == second.transitions)
        #expect(!first.transitions.isEmpty)
    }

    @Test func anotherSeedChangesTheIdsButNotTheNames() {
        let seven = WorldPlay.play(WorldPlayTests.scenario(seed: 7, revokeBeforeSend: true))
        let eight = WorldPlay.play(WorldPlayTests.scenario(seed: 8, revokeBeforeSend: true))
        #expect(seven.transitions.map(\.name) == eight.transitions.map(\.name))
        #expect(seven.transitions.compactMap(\.lease) != eight.transitions.compactMap(\.lease))
    }

    @Test func aFaultFreeRunCompletesWithOneEffect() {
        let play = WorldPlay.play(WorldPlayTests.scenario())
        #expect(play.outcome == .completed)
        #expect(play.limitReached == nil)
        #expect(play.transitions.filter { $0.name == .effectApplied }.count == 1)
        #expect(play.transitions.filter { $0.name == .actionCommitted }.count == 1)
    }

    @Test func aRevokedGrantParksTheRunUntilTheOwnerReconnects() throws {
        let play = WorldPlay.play(WorldPlayTests.scenario(revokeBeforeSend: true))
        let names = play.transitions.map(\.name)
        let parked = try #require(names.firstIndex(of: .runParked))
        let rotated = try #require(names.firstIndex(of: .leaseRotated))
        let resumed = try #require(names.firstIndex(of: .runResumed))
        #expect(parked < rotated && rotated < resumed)
        #expect(play.outcome == .completed)
        #expect(play.transitions.filter { $0.name == .effectApplied }.count == 1)
    }

    @Test func theBaselineRunsTheSameRuntimeWithoutRevive() {
        let play = WorldPlay.play(WorldPlayTests.scenario(revokeBeforeSend: true), mode: .withoutRevive)
        #expect(!play.transitions.contains { $0.actor == .revive })
        #expect(play.transitions.contains { $0.name == .caseOpened && $0.actor == .worker(WorkerID("worker-a")) })
    }
}

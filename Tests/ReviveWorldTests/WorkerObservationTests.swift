import Testing
import Revive
import ReviveVocabulary
import ReviveWorld

/// The runtime acts only on what it can observe: a frozen worker looks live until its heartbeat
/// timeout declares it lost, so a retry due in between is handed to it and held.
@Suite("world play: the runtime sees a freeze only at the heartbeat timeout")
struct WorkerObservationTests {
    static let connection = ConnectionID("conn_google")

    /// A send that meets one 503 (a 1s backoff from 00:00.1), a worker fault on worker-a at
    /// 00:00.5, during the backoff, and the given events.
    static func scenario(workers: [String], fault: FaultKind, stallFor: Span? = nil, events: [EventSpec] = []) -> Scenario {
        let google = ConnectionSpec(id: connection, provider: .google, broker: .nango, owner: "owner@example.com",
                                    subject: "sub-1", tenant: "tenant-1", scopes: ["gmail.send"], accessTokenTTL: .hours(1))
        let unavailable = ProviderSignal(status: 503, body: .object([("error", .string("temporarily_unavailable"))]))
        let faults = [
            FaultSpec(at: .step(id: ActionKey("send"), point: .beforeCall, attempt: 1), kind: .providerError, signal: unavailable, count: 1),
            FaultSpec(at: .time(Instant(milliseconds: 500)), kind: fault, worker: WorkerID("worker-a"), count: 1, stallFor: stallFor),
        ]
        return Scenario(
            file: "worker-observation-test", name: "worker-observation-test", description: "", seed: 7,
            runtime: RuntimeSpec(kind: .temporal, workers: workers.map(WorkerID.init), heartbeatTimeout: .minutes(1), callTimeout: .seconds(30)),
            recovery: RecoveryConfiguration(), horizon: .days(7), connections: [google],
            workflow: WorkflowSpec(name: "", run: RunID("run_1"), steps: [
                StepSpec(id: ActionKey("send"), connection: connection, effect: .mutation, duration: Span(milliseconds: 100)),
            ]),
            faults: faults, events: events, expect: Expectations(), source: .null)
    }

    static func index(_ play: WorldPlay, _ name: TransitionName) -> Int? { play.transitions.firstIndex { $0.name == name } }

    @Test("With one worker, the run waits only once the crashed worker is declared lost, and says so")
    func oneWorkerWaitsAfterTheLoss() throws {
        let play = WorldPlay.play(WorkerObservationTests.scenario(
            workers: ["worker-a"], fault: .crashWorker,
            events: [EventSpec(trigger: .at(Instant.zero.advanced(by: .minutes(5))), action: .reviveWorker(WorkerID("worker-a")))]))
        let lost = try #require(WorkerObservationTests.index(play, .workerLost))
        let waiting = try #require(WorkerObservationTests.index(play, .runWaiting))
        #expect(lost < waiting)
        #expect(play.transitions[lost].time == Instant(milliseconds: 60_500))
        #expect(play.transitions[waiting].reason == "worker-lost")
        #expect(play.outcome == .completed)
        #expect(play.transitions.filter { $0.name == .effectApplied }.count == 1)
    }

    @Test("With a spare worker, the retry moves to it only when the crashed worker is declared lost")
    func spareWorkerTakesOverAtTheLoss() throws {
        let play = WorldPlay.play(WorkerObservationTests.scenario(workers: ["worker-a", "worker-b"], fault: .crashWorker))
        let lost = try #require(WorkerObservationTests.index(play, .workerLost))
        let moved = try #require(WorkerObservationTests.index(play, .runRescheduled))
        let firstOnB = try #require(play.transitions.firstIndex { $0.actor == .worker(WorkerID("worker-b")) })
        #expect(lost < moved && moved < firstOnB)
        #expect(play.transitions[moved].reason == "worker-lost")
        #expect(WorkerObservationTests.index(play, .runWaiting) == nil)
        #expect(play.outcome == .completed)
    }

    @Test("A stall shorter than the heartbeat timeout during the backoff is a pause: the held retry runs on the same worker")
    func shortStallHoldsTheRetry() throws {
        let play = WorldPlay.play(WorkerObservationTests.scenario(workers: ["worker-a", "worker-b"], fault: .stallWorker,
                                                                  stallFor: .seconds(30)))
        #expect(WorkerObservationTests.index(play, .workerLost) == nil)
        #expect(WorkerObservationTests.index(play, .runWaiting) == nil)
        #expect(WorkerObservationTests.index(play, .runRescheduled) == nil)
        let retried = try #require(play.transitions.last { $0.name == .stepStarted })
        #expect(retried.worker == "worker-a")
        #expect(retried.time == Instant(milliseconds: 30_500))
        #expect(play.outcome == .completed)
    }
}

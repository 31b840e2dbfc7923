import Testing
import Revive
import ReviveVocabulary
import ReviveWorld

/// Slow owners in the simulated world: reminders go out a lead before each capability expires, so
/// a reconnect on any whole hour finds a live link; and what happens when a reconnect and a
/// capability's expiry share an instant.
@Suite("world play: reminders and same-instant order")
struct ReminderPlayTests {
    static let connection = ConnectionID("conn_google")

    /// A local step of `wait`, then a send that fails on a revoked grant at exactly `wait`
    /// (its call takes no time), so the first request goes out at that instant.
    static func scenario(wait: Span, events: [EventSpec], recovery: RecoveryConfiguration = RecoveryConfiguration()) -> Scenario {
        let google = ConnectionSpec(id: connection, provider: .google, broker: .nango, owner: "owner@example.com",
                                    subject: "sub-1", tenant: "tenant-1", scopes: ["gmail.send"], accessTokenTTL: .hours(1))
        let steps = [
            StepSpec(id: ActionKey("wait-for-night"), effect: .none, duration: wait),
            StepSpec(id: ActionKey("send"), connection: connection, effect: .mutation, duration: .zero),
        ]
        let revoke = FaultSpec(at: .step(id: ActionKey("send"), point: .beforeCall, attempt: 1), kind: .revokeGrant, count: 1)
        return Scenario(
            file: "reminder-play-test", name: "reminder-play-test", description: "", seed: 7,
            runtime: RuntimeSpec(kind: .langgraph, workers: [WorkerID("worker-a")], heartbeatTimeout: .minutes(1), callTimeout: .seconds(30)),
            recovery: recovery, horizon: .days(7), connections: [google],
            workflow: WorkflowSpec(name: "", run: RunID("run_1"), steps: steps), faults: [revoke], events: events,
            expect: Expectations(), source: .null)
    }

    static func reconnect(_ trigger: EventTrigger) -> EventSpec {
        EventSpec(trigger: trigger, action: .reconnect(connection: connection, subject: "sub-1", tenant: "tenant-1"))
    }

    static func names(_ play: WorldPlay, _ name: TransitionName) -> [Transition] { play.transitions.filter { $0.name == name } }

    @Test("A reconnect exactly N whole hours after the request completes the run", arguments: Array(Int64(1)...8))
    func reconnectOnTheHourAfterTheRequest(_ hours: Int64) {
        let play = WorldPlay.play(ReminderPlayTests.scenario(
            wait: .minutes(10), events: [ReminderPlayTests.reconnect(.on(transition: .reconnectRequested, after: .hours(hours)))]))
        #expect(play.outcome == .completed)
        #expect(ReminderPlayTests.names(play, .capabilityRefused).isEmpty)
        #expect(ReminderPlayTests.names(play, .reconnectVerified).first?.time == Instant.zero.advanced(by: .minutes(10) + .hours(hours)))
    }

    @Test("Fails at 02:00:00.000, reconnected at a later whole hour: the run completes", arguments: Array(Int64(3)...12))
    func failsAtTwoReconnectsOnTheHour(_ hour: Int64) {
        let play = WorldPlay.play(ReminderPlayTests.scenario(
            wait: .hours(2), events: [ReminderPlayTests.reconnect(.at(Instant.zero.advanced(by: .hours(hour))))]))
        #expect(ReminderPlayTests.names(play, .reconnectRequested).first?.time == Instant.zero.advanced(by: .hours(2)))
        #expect(play.outcome == .completed)
        #expect(ReminderPlayTests.names(play, .capabilityRefused).isEmpty)
    }

    @Test("A reconnect at the instant a reminder is due presents the older link, still live; no reminder follows")
    func reconnectAtTheReminderInstant() throws {
        // The reconnect was set up when the request was recorded, before the request's timers were armed.
        let play = WorldPlay.play(ReminderPlayTests.scenario(
            wait: .minutes(10), events: [ReminderPlayTests.reconnect(.on(transition: .reconnectRequested, after: .minutes(55)))]))
        let requests = ReminderPlayTests.names(play, .reconnectRequested)
        #expect(requests.count == 1)
        #expect(ReminderPlayTests.names(play, .reconnectVerified).first?.capability == requests.first?.capability)
        #expect(play.outcome == .completed)
    }

    /// The last capability (no reminders) and a reconnect that presents it at its expiry instant,
    /// set up before (`on` the request) or after (`on` the expiry itself) the expiry's timer.
    @Test("A reconnect at the last capability's expiry instant is refused as expired, in either order, and the case escalates",
          arguments: [false, true])
    func reconnectAtTheLastExpiry(_ afterTheExpiry: Bool) throws {
        let trigger: EventTrigger = afterTheExpiry ? .on(transition: .capabilityExpired, after: .zero)
                                                   : .on(transition: .reconnectRequested, after: .hours(1))
        let play = WorldPlay.play(ReminderPlayTests.scenario(
            wait: .minutes(10), events: [ReminderPlayTests.reconnect(trigger)], recovery: RecoveryConfiguration(maxReminders: 0)))
        let refused = try #require(ReminderPlayTests.names(play, .capabilityRefused).first)
        let escalated = try #require(ReminderPlayTests.names(play, .caseEscalated).first)
        #expect(refused.reason == "expired")
        #expect(refused.time == escalated.time)
        let refusedIndex = try #require(play.transitions.firstIndex(of: refused))
        let escalatedIndex = try #require(play.transitions.firstIndex(of: escalated))
        #expect((refusedIndex > escalatedIndex) == afterTheExpiry)
        #expect(play.outcome == .parked)
    }
}

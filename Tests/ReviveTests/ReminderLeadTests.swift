import Testing
@testable import Revive
import ReviveVocabulary

/// Reminders go out a lead before the capability they follow expires, so that while reminders
/// remain the owner always holds a live link; the first of two live capabilities used supersedes
/// the other; the last capability's expiry escalates.
@Suite("Reminder lead: reminders before expiry, superseded capabilities, escalation")
struct ReminderLeadTests: EngineSuite {
    let harness: EngineHarness

    init() throws { harness = try EngineHarness() }

    /// Parks at 02:00 and sends reminder 1 when it is due (02:55); returns the first request and the reminder.
    func remindedOnce(in harness: EngineHarness? = nil) throws -> (first: ReconnectRequest, reminder: ReconnectRequest) {
        let harness = harness ?? self.harness
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let remindAt = try #require(parked.request.remindAt)
        let reminder = try #require(try harness.engine.reminderDue(parked.request.capabilityID, at: remindAt))
        return (parked.request, reminder)
    }

    // MARK: The lead

    @Test("The documented lead is 5 minutes, and a request says its reminder is due 5 minutes before it expires")
    func defaultLeadIsFiveMinutes() throws {
        #expect(RecoveryConfiguration.defaultReminderLead == .minutes(5))
        #expect(engine.configuration.reminderLeadInForce == .minutes(5))
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        #expect(parked.request.expiresAt == clock(3))
        #expect(parked.request.remindAt == clock(2, 55))
        #expect(try harness.store.capability(parked.request.capabilityID)?.remindAt == clock(2, 55))
    }

    @Test("The lead in force is never more than half the capability's lifetime, nor below zero")
    func leadIsClamped() {
        #expect(RecoveryConfiguration(capabilityLifetime: .minutes(6)).reminderLeadInForce == .minutes(3))
        #expect(RecoveryConfiguration(reminderLead: .minutes(10)).reminderLeadInForce == .minutes(10))
        #expect(RecoveryConfiguration(reminderLead: Span(milliseconds: -1)).reminderLeadInForce == .zero)
    }

    @Test("When the reminder is due a fresh request goes out; the old capability is still valid and not recorded expired")
    func reminderGoesOutBeforeExpiry() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let mark = timeline.transitions.count
        let reminder = try #require(try engine.reminderDue(parked.request.capabilityID, at: clock(2, 55)))
        #expect(reminder.reminder == 1)
        #expect(reminder.capabilityID != parked.request.capabilityID)
        #expect(reminder.expiresAt == clock(3, 55))
        #expect(reminder.remindAt == clock(3, 50))
        #expect(timeline.names(since: mark) == ["reconnect.requested"])
        // The first link, clicked two minutes before its own expiry, still completes the case.
        let outcome = try engine.presentReconnect(capabilityValue: parked.request.capabilityValue, grant: harness.grant(), at: clock(2, 58))
        #expect(outcome == .verified(caseID: parked.recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3",
                                     generation: LeaseGeneration.first.next()))
    }

    @Test("A reminder timer that fires early, twice, or for a capability that is no longer current sends nothing")
    func reminderTimerIsGuarded() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        #expect(try engine.reminderDue(parked.request.capabilityID, at: clock(2, 54)) == nil)
        let reminder = try #require(try engine.reminderDue(parked.request.capabilityID, at: clock(2, 55)))
        #expect(try engine.reminderDue(parked.request.capabilityID, at: clock(2, 55)) == nil)
        #expect(try engine.reminderDue(parked.request.capabilityID, at: clock(3, 50)) == nil)
        #expect(reminder.reminder == 1)
        #expect(timeline.named("reconnect.requested").count == 2)
    }

    @Test("The last request carries no reminder time, and its reminder timer sends nothing")
    func lastRequestHasNoReminder() throws {
        let small = try EngineHarness(configuration: RecoveryConfiguration(maxReminders: 1))
        let (_, last) = try remindedOnce(in: small)
        #expect(last.reminder == 1)
        #expect(last.remindAt == nil)
        #expect(try small.engine.reminderDue(last.capabilityID, at: clock(3, 54)) == nil)
    }

    // MARK: Expiry after a reminder

    @Test("The old capability's expiry, after its reminder went out, is recorded once and sends nothing more")
    func oldExpiryIsRecordedOnce() throws {
        let (first, reminder) = try remindedOnce()
        let mark = timeline.transitions.count
        #expect(try engine.capabilityExpired(first.capabilityID, at: clock(3)) == nil)
        #expect(try engine.capabilityExpired(first.capabilityID, at: clock(3)) == nil)
        #expect(timeline.names(since: mark) == ["capability.expired"])
        #expect(timeline.transitions.last?.capability == first.capabilityID.rawValue)
        #expect(try engine.recoveryCase(reminder.caseID)?.state == .awaitingReconnect)
        #expect(try engine.presentReconnect(capabilityValue: first.capabilityValue, grant: harness.grant(), at: clock(3)) == .refused(reason: "expired"))
        #expect(try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(id: "grant-2"),
                                            at: clock(3)) == .verified(caseID: reminder.caseID, run: RunID("run-1"), checkpoint: "cp-3",
                                                                       generation: LeaseGeneration.first.next()))
    }

    @Test("The expiry of a capability whose case was completed records nothing")
    func expiryAfterTheCaseWasAnsweredIsQuiet() throws {
        let (first, reminder) = try remindedOnce()
        _ = try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(), at: clock(2, 57))
        #expect(try engine.capabilityExpired(first.capabilityID, at: clock(3)) == nil)
        #expect(timeline.named("capability.expired").isEmpty)
    }

    @Test("After the last reminder, its capability's expiry records capability.expired then case.escalated")
    func lastExpiryEscalates() throws {
        let small = try EngineHarness(configuration: RecoveryConfiguration(maxReminders: 1))
        let (first, last) = try remindedOnce(in: small)
        #expect(try small.engine.capabilityExpired(first.capabilityID, at: clock(3)) == nil)
        #expect(try small.engine.recoveryCase(last.caseID)?.state == .awaitingReconnect)
        let mark = small.timeline.transitions.count
        #expect(try small.engine.capabilityExpired(last.capabilityID, at: clock(3, 55)) == nil)
        #expect(small.timeline.names(since: mark) == ["capability.expired", "case.escalated"])
        #expect(try small.engine.recoveryCase(last.caseID)?.state == .escalated)
    }

    @Test("With the defaults, every reminder goes out while the previous link lives, and the case escalates 23 hours after the first request")
    func defaultChainNeverLeavesTheOwnerWithoutALink() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        var current = parked.request
        while let remindAt = current.remindAt {
            let next = try #require(try engine.reminderDue(current.capabilityID, at: remindAt))
            // Issued while the previous capability still lives: the owner is never without a valid link.
            #expect(remindAt < current.expiresAt)
            #expect(try engine.capabilityExpired(current.capabilityID, at: current.expiresAt) == nil)
            current = next
        }
        #expect(current.reminder == 24)
        #expect(current.expiresAt == clock(25))
        #expect(try engine.capabilityExpired(current.capabilityID, at: clock(25)) == nil)
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.state == .escalated)
        #expect(timeline.named("capability.expired").count == 25)
    }

    @Test("A restarted engine keeps the reminder time the store holds, even under another lead")
    func reminderTimeLivesInTheStore() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let restarted = RecoveryEngine(configuration: RecoveryConfiguration(reminderLead: .minutes(20)), store: harness.store,
                                       ids: harness.ids, broker: harness.broker, recorder: harness.timeline)
        let reminder = try #require(try restarted.reminderDue(parked.request.capabilityID, at: clock(2, 55)))
        #expect(reminder.reminder == 1)
        #expect(reminder.remindAt == clock(3, 35))
    }

    // MARK: Superseded

    @Test("Once the reminder's capability is used, the old one is refused as superseded and counted on the case")
    func oldCapabilityIsSuperseded() throws {
        let (first, reminder) = try remindedOnce()
        _ = try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(), at: clock(2, 56))
        let outcome = try engine.presentReconnect(capabilityValue: first.capabilityValue, grant: harness.grant(id: "grant-2"), at: clock(2, 57))
        #expect(outcome == .refused(reason: "superseded"))
        #expect(try engine.recoveryCase(first.caseID)?.refusals == 1)
        #expect(timeline.named("capability.refused").last?.capability == first.capabilityID.rawValue)
        #expect(timeline.named("capability.refused").last?.reason == "superseded")
        #expect(broker.installs.count == 1)
        #expect(try engine.currentGeneration(of: connection) == LeaseGeneration.first.next())
    }

    @Test("Once the old capability is used, the reminder's is refused as superseded, also after the case closed")
    func reminderCapabilityIsSuperseded() throws {
        let (first, reminder) = try remindedOnce()
        _ = try engine.presentReconnect(capabilityValue: first.capabilityValue, grant: harness.grant(), at: clock(2, 56))
        #expect(try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(id: "grant-2"),
                                            at: clock(2, 57)) == .refused(reason: "superseded"))
        try engine.closeCase(first.caseID, resumedOn: WorkerID("worker-a"), at: clock(2, 58))
        #expect(try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(id: "grant-3"),
                                            at: clock(3, 30)) == .refused(reason: "superseded"))
    }

    @Test("A superseded capability presented after its own expiry is refused as expired: expired outranks superseded")
    func expiredOutranksSuperseded() throws {
        let (first, reminder) = try remindedOnce()
        _ = try engine.presentReconnect(capabilityValue: reminder.capabilityValue, grant: harness.grant(), at: clock(2, 56))
        #expect(try engine.presentReconnect(capabilityValue: first.capabilityValue, grant: harness.grant(id: "grant-2"),
                                            at: clock(3)) == .refused(reason: "expired"))
    }

    @Test("An operator's fix with the older alert after the reminder's was used is refused as superseded")
    func operatorAlertsAreSupersededToo() throws {
        let context = harness.context()
        let lease = try engine.issueLease(connection: connection, context: context, at: clock(2))
        let signal = ProviderSignal(status: 401, body: .object([("error", .string("invalid_client"))]))
        let (_, alert) = try #require(try engine.handleFailure(signal, operation: .refresh, lease: lease, key: nil, context: context,
                                                               at: clock(2)).parked)
        let remindAt = try #require(alert.remindAt)
        let reminder = try #require(try engine.reminderDue(alert.capabilityID, at: remindAt))
        #expect(reminder.responder == .operator)
        _ = try engine.presentOperatorFix(capabilityValue: reminder.capabilityValue, connection: connection, at: clock(2, 56))
        #expect(try engine.presentOperatorFix(capabilityValue: alert.capabilityValue, connection: connection,
                                              at: clock(2, 57)) == .refused(reason: "superseded"))
    }
}

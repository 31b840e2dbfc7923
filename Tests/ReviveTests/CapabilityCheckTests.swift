import Testing
@testable import Revive
import ReviveVocabulary

/// One capability check for both ways back: an owner's reconnect and an operator's fix.
@Suite("Capability check: reconnects and operator fixes")
struct CapabilityCheckTests: EngineSuite {
    let harness: EngineHarness

    init() throws { harness = try EngineHarness() }

    /// A configuration error at 02:00 alerts the operator; returns the case and the alert.
    func operatorCase(in harness: EngineHarness? = nil) throws -> (recoveryCase: RecoveryCase, alert: ReconnectRequest) {
        let harness = harness ?? self.harness
        let context = harness.context()
        let lease = try harness.engine.issueLease(connection: connection, context: context, at: clock(2))
        let signal = ProviderSignal(status: 401, body: .object([("error", .string("invalid_client"))]))
        let decision = try harness.engine.handleFailure(signal, operation: .refresh, lease: lease, key: nil, context: context, at: clock(2))
        let (recoveryCase, alert) = try #require(decision.parked)
        #expect(alert.responder == .operator)
        return (recoveryCase, alert)
    }

    @Test("An operator's fix resolves the case, consumes the capability and keeps the generation")
    func operatorFixResolves() throws {
        let (recoveryCase, alert) = try operatorCase()
        let outcome = try engine.presentOperatorFix(capabilityValue: alert.capabilityValue, connection: connection, at: clock(2, 30))
        #expect(outcome == .resolved(caseID: recoveryCase.id, run: RunID("run-1"), checkpoint: "cp-3"))
        #expect(try engine.recoveryCase(recoveryCase.id)?.state == .awaitingResume)
        #expect(try harness.store.capability(alert.capabilityID)?.consumedAt == clock(2, 30))
        #expect(try engine.currentGeneration(of: connection) == .first)
        #expect(harness.timeline.named("case.resolved").first?.notes.first(where: { $0.name == "by" })?.value == "operator")
    }

    @Test("An operator's fix is refused for the same reasons, in the same order, as a reconnect")
    func operatorRefusalsMatchReconnects() throws {
        let (_, alert) = try operatorCase()
        func fix(_ value: String?, for connection: ConnectionID, at time: Instant) throws -> ReconnectOutcome {
            try engine.presentOperatorFix(capabilityValue: value, connection: connection, at: time)
        }
        #expect(try fix(nil, for: connection, at: clock(2, 1)) == .refused(reason: "no-request"))
        #expect(try fix("rvcap_made-up", for: connection, at: clock(2, 1)) == .refused(reason: "unknown"))
        // Foreign outranks expired: the capability is both.
        #expect(try fix(alert.capabilityValue, for: EngineHarness.github.id, at: clock(5)) == .refused(reason: "foreign"))
        #expect(try fix(alert.capabilityValue, for: connection, at: clock(5)) == .refused(reason: "expired"))
        #expect(try fix(alert.capabilityValue, for: connection, at: clock(2, 10)) == .resolved(caseID: alert.caseID, run: RunID("run-1"),
                                                                                           checkpoint: "cp-3"))
        // Already-used outranks expired and case-not-open: the case now awaits its resume.
        #expect(try fix(alert.capabilityValue, for: connection, at: clock(5)) == .refused(reason: "already-used"))
        let refused = harness.timeline.named("capability.refused").map { $0.reason ?? "" }
        #expect(refused == ["no-request", "unknown", "foreign", "expired", "already-used"])
    }

    @Test("A reconnect of an operator case is refused as needs-operator and counted on the case")
    func reconnectOfOperatorCase() throws {
        let (recoveryCase, alert) = try operatorCase()
        let outcome = try engine.presentReconnect(capabilityValue: alert.capabilityValue, grant: harness.grant(), at: clock(2, 5))
        #expect(outcome == .refused(reason: "needs-operator"))
        #expect(try engine.recoveryCase(recoveryCase.id)?.refusals == 1)
        #expect(harness.broker.discards.count == 1)
        #expect(harness.timeline.named("capability.refused").last?.run == "run-1")
    }

    @Test("An operator's fix of an owner's case is refused as not-an-operator-case and not counted as a reconnect")
    func operatorFixOfOwnerCase() throws {
        let parked = try harness.parkOnDeadGrant(at: clock(2))
        let outcome = try engine.presentOperatorFix(capabilityValue: parked.request.capabilityValue, connection: connection, at: clock(2, 5))
        #expect(outcome == .refused(reason: "not-an-operator-case"))
        #expect(try engine.recoveryCase(parked.recoveryCase.id)?.refusals == 0)
        #expect(try harness.store.capability(parked.request.capabilityID)?.consumedAt == nil)
    }

    @Test("A capability whose case is no longer open is refused as case-not-open on both paths, before the path's rule")
    func caseNotOpenOnBothPaths() throws {
        let harness = try EngineHarness(configuration: RecoveryConfiguration(maxReminders: 0))
        let (recoveryCase, alert) = try operatorCase(in: harness)
        _ = try harness.engine.capabilityExpired(alert.capabilityID, at: clock(3))
        #expect(try harness.engine.recoveryCase(recoveryCase.id)?.state == .escalated)
        // Presented with an instant before the expiry (a request that was delayed on its way).
        let fix = try harness.engine.presentOperatorFix(capabilityValue: alert.capabilityValue, connection: connection, at: clock(2, 59))
        let reconnect = try harness.engine.presentReconnect(capabilityValue: alert.capabilityValue, grant: harness.grant(), at: clock(2, 59))
        #expect(fix == .refused(reason: "case-not-open"))
        #expect(reconnect == .refused(reason: "case-not-open"))
    }
}

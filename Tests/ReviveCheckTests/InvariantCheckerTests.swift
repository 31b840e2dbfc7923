import Testing
import ReviveCheck
import ReviveVocabulary

/// Every invariant of the recovery contract, broken by hand on timelines built from the revoked-grant
/// story: each breaching timeline must be reported under exactly that invariant, pointing at the
/// transitions that show it.
@Suite("InvariantChecker")
struct InvariantCheckerTests {
    let clean = Story.cleanRecovery
    let c = Story.connection
    let r = Story.run
    let w = Story.workerA

    // MARK: The clean story

    @Test func cleanRecoveryTimelineHasNoBreach() {
        #expect(InvariantChecker.check(clean) == [])
    }

    @Test func checkingNoInvariantsFindsNothing() throws {
        let leaked = clean.editing(try #require(clean.index(named: "reconnect.requested"))) { $0.notes.append(.init("link", "rvcap_5d1e9a")) }
        #expect(InvariantChecker.check(leaked, invariants: [.sameRun, .liveness]) == [])
    }

    @Test func breachesComeInInvariantOrderNotTimelineOrder() throws {
        // A token in an early line (token-custody) and a case never closed (durable-case, found at the end).
        let closed = try #require(clean.index(named: "case.closed"))
        let leaked = clean.removing(at: closed).editing(try #require(clean.index(named: "run.started"))) {
            $0.notes.append(.init("token", "ya29.a0AfH6SMBx"))
        }
        #expect(InvariantChecker.check(leaked).map(\.invariant) == [.durableCase, .tokenCustody])
    }

    // MARK: same-run

    @Test func sameRunReplacementRunStartedWhileParked() throws {
        let parked = try #require(clean.index(named: "reconnect.requested"))
        let timeline = clean.through(parked) + [tr(60_000, "runtime", "run.started", run: "run_8a0", worker: w)]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.sameRun])
        #expect(found.first?.evidence == [0, timeline.count - 1])
    }

    @Test func sameRunStepExecutedUnderAnotherRunID() throws {
        let restart = try #require(clean.index(named: "step.started", step: "send-briefing", attempt: 2))
        let timeline = clean.editing(restart) { $0.run = "run_8a0" }
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.sameRun])
        #expect(found.first?.evidence == [0, restart])
    }

    // MARK: checkpoint-resume

    @Test func checkpointResumeStepBeforeTheCheckpointStartsAgain() throws {
        let closed = try #require(clean.index(named: "case.closed"))
        let rerun = tr(Story.reconnectAt, w, "step.started", run: r, worker: w, step: "draft-briefing", attempt: 2, checkpoint: "ckpt-0002")
        let timeline = clean.inserting([rerun], at: closed + 1)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.checkpointResume])
        #expect(found.first?.evidence == [try #require(clean.index(named: "checkpoint.saved", step: "draft-briefing")), closed + 1])
    }

    @Test func checkpointResumeCompletedReadIsCalledAgainAfterResume() throws {
        let closed = try #require(clean.index(named: "case.closed"))
        let recall = tr(Story.reconnectAt, w, "provider.called", run: r, worker: w, step: "read-calendar", attempt: 2,
                        connection: c, generation: 2, lease: "lease_6f0d2c33")
        let timeline = clean.inserting([recall], at: closed + 1)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.checkpointResume])
        #expect(found.first?.evidence == [try #require(clean.index(named: "checkpoint.saved", step: "read-calendar")), closed + 1])
    }

    // MARK: effect-once

    @Test func effectOnceBlindRetryAppliesTheSendTwice() throws {
        let applied = try #require(clean.index(named: "effect.applied"))
        let committed = try #require(clean.index(named: "action.committed"))
        let retry = [
            tr(Story.reconnectAt + 200, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 3, connection: c,
               generation: 2, lease: "lease_6f0d2c33", key: Story.key),
            tr(Story.reconnectAt + 300, "provider", "effect.applied", run: r, step: "send-briefing", attempt: 3, connection: c,
               generation: 2, key: Story.key),
        ]
        let timeline = clean.inserting(retry, at: committed + 1)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.effectOnce])
        #expect(found.first?.evidence == [applied, committed + 2])
    }

    @Test func effectOnceIdempotencyKeyChangesOnResume() throws {
        let intended = try #require(clean.index(named: "action.intended"))
        let called = try #require(clean.index(named: "provider.called", step: "send-briefing", attempt: 2))
        let applied = try #require(clean.index(named: "effect.applied"))
        let committed = try #require(clean.index(named: "action.committed"))
        let timeline = clean.editingAll(where: { $0.step == "send-briefing" && $0.attempt == 2 && $0.key != nil }) {
            $0.key = "idem-run_7f2-send-briefing-a2"
        }
        let found = InvariantChecker.check(timeline)
        // One breach per step: the first transition that carries the new key shows it.
        #expect(found.map(\.invariant) == [.effectOnce])
        #expect(found.map(\.evidence) == [[intended, called]])
        #expect(applied > called && committed > applied)
    }

    // MARK: reconcile-before-retry

    /// The send's answer is lost after the provider applied it; the next attempt finds the action unknown.
    func lostAnswerThenUnknown() throws -> [Transition] {
        let intended = try #require(clean.index(named: "action.intended"))
        return clean.through(intended) + [
            tr(200, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               lease: Story.staleLease, key: Story.key),
            tr(300, "provider", "effect.applied", run: r, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               key: Story.key, notes: [("answer", "lost")]),
            tr(30_200, "runtime", "retry.scheduled", run: r, worker: w, step: "send-briefing", attempt: 1, reason: "timeout"),
            tr(31_200, w, "step.started", run: r, worker: w, step: "send-briefing", attempt: 2, checkpoint: "ckpt-0002"),
            tr(31_200, "revive", "lease.issued", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c, generation: 1, lease: "lease_9a01"),
            tr(31_200, "revive", "action.unknown", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c, key: Story.key),
        ]
    }

    func retryCall(_ ms: Int64) -> Transition {
        tr(ms, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c, generation: 1,
           lease: "lease_9a01", key: Story.key)
    }

    @Test func reconcileBeforeRetryUnknownActionCalledAgainUnreconciled() throws {
        let base = try lostAnswerThenUnknown()
        let timeline = base + [retryCall(31_200)]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.reconcileBeforeRetry])
        #expect(found.first?.evidence == [base.count - 1, timeline.count - 1])
    }

    @Test func reconcileBeforeRetryCalledAgainAfterReconciliationFoundItCommitted() throws {
        let base = try lostAnswerThenUnknown() + [
            tr(31_300, "revive", "action.reconciled", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c,
               key: Story.key, result: "committed"),
        ]
        let timeline = base + [retryCall(31_400)]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.reconcileBeforeRetry])
        #expect(found.first?.evidence == [base.count - 1, timeline.count - 1])
    }

    @Test func reconcileBeforeRetryRetryAfterReconciledAbsentIsAllowed() throws {
        // A dropped request: nothing reached the provider, reconciliation says absent, the retry sends once.
        let intended = try #require(clean.index(named: "action.intended"))
        let timeline = clean.through(intended) + [
            tr(200, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               lease: Story.staleLease, key: Story.key),
            tr(31_200, w, "step.started", run: r, worker: w, step: "send-briefing", attempt: 2, checkpoint: "ckpt-0002"),
            tr(31_200, "revive", "action.unknown", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c, key: Story.key),
            tr(31_300, "revive", "action.reconciled", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c,
               key: Story.key, result: "absent"),
            retryCall(31_300),
            tr(31_400, "provider", "effect.applied", run: r, step: "send-briefing", attempt: 2, connection: c, generation: 1, key: Story.key),
        ]
        #expect(InvariantChecker.check(timeline) == [])
    }

    @Test func reconcileBeforeRetryReconciliationWithoutAnAbsentAnswerDoesNotAllowARetry() throws {
        // The contract: never re-executed "before reconciliation says it is absent". A reconciliation that
        // recorded no answer (result missing) has not said absent.
        let base = try lostAnswerThenUnknown() + [
            tr(31_300, "revive", "action.reconciled", run: r, worker: w, step: "send-briefing", attempt: 2, connection: c,
               key: Story.key, reason: "lookup-timeout"),
        ]
        let timeline = base + [retryCall(31_400)]
        #expect(InvariantChecker.check(timeline).map(\.invariant) == [.reconcileBeforeRetry])
    }

    // MARK: identity-bound

    @Test func identityBoundVerifiedAsAnotherSubjectOfTheSameTenant() throws {
        let opened = try #require(clean.index(named: "case.opened"))
        let verified = try #require(clean.index(named: "reconnect.verified"))
        let rotated = try #require(clean.index(named: "lease.rotated"))
        let timeline = clean.editingAll(where: { ["reconnect.presented", "reconnect.verified", "lease.rotated"].contains($0.name.rawValue) }) {
            $0.subject = "oid-9b77"
        }
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.identityBound, .identityBound])
        #expect(found.map(\.evidence) == [[opened, verified], [opened, rotated]])
    }

    @Test func identityBoundVerifiedAsTheSameSubjectInAnotherTenant() throws {
        let opened = try #require(clean.index(named: "case.opened"))
        let verified = try #require(clean.index(named: "reconnect.verified"))
        let timeline = clean.editingAll(where: { ["reconnect.presented", "reconnect.verified", "lease.rotated"].contains($0.name.rawValue) }) {
            $0.tenant = "tid-fabrikam"
        }
        let found = InvariantChecker.check(timeline)
        #expect(Set(found.map(\.invariant)) == [.identityBound])
        #expect(found.first?.evidence == [opened, verified])
    }

    @Test func identityBoundRunResumedWithoutAVerifiedReconnect() throws {
        let requested = try #require(clean.index(named: "reconnect.requested"))
        let timeline = clean.through(requested) + [
            tr(Story.reconnectAt, "owner", "reconnect.presented", run: r, connection: c, capability: Story.capability,
               subject: "oid-9b77", tenant: Story.tenant),
            tr(Story.reconnectAt, "revive", "reconnect.rejected", run: r, connection: c, caseID: Story.caseID,
               failureClass: "identity_mismatch", capability: Story.capability, subject: "oid-9b77", tenant: Story.tenant, reason: "subject-mismatch"),
            tr(Story.reconnectAt, "runtime", "run.resumed", run: r, worker: w, step: "send-briefing", generation: 1,
               caseID: Story.caseID, checkpoint: "ckpt-0002"),
        ]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.identityBound])
        #expect(found.first?.evidence == [timeline.count - 1])
    }

    @Test func identityBoundRejectedReconnectOfAnotherAccountIsNoBreach() throws {
        let requested = try #require(clean.index(named: "reconnect.requested"))
        let timeline = clean.through(requested) + [
            tr(Story.reconnectAt, "owner", "reconnect.presented", run: r, connection: c, capability: Story.capability,
               subject: "oid-9b77", tenant: Story.tenant),
            tr(Story.reconnectAt, "revive", "reconnect.rejected", run: r, connection: c, caseID: Story.caseID,
               failureClass: "identity_mismatch", capability: Story.capability, subject: "oid-9b77", tenant: Story.tenant, reason: "subject-mismatch"),
        ]
        #expect(InvariantChecker.check(timeline) == [])
    }

    // MARK: capability-single-use

    @Test func capabilitySingleUseConsumedTwice() throws {
        let verified = try #require(clean.index(named: "reconnect.verified"))
        let timeline = clean + [
            tr(1_200_300, "owner", "reconnect.presented", run: r, connection: c, capability: Story.capability,
               subject: Story.subject, tenant: Story.tenant, notes: [("reuse", "yes")]),
            tr(1_200_300, "revive", "reconnect.verified", run: r, connection: c, caseID: Story.caseID, capability: Story.capability,
               subject: Story.subject, tenant: Story.tenant),
        ]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.capabilitySingleUse])
        #expect(found.first?.evidence == [verified, timeline.count - 1])
    }

    @Test func capabilitySingleUseConsumedAfterExpiry() throws {
        let requested = try #require(clean.index(named: "reconnect.requested"))
        let presented = try #require(clean.index(named: "reconnect.presented"))
        let verified = try #require(clean.index(named: "reconnect.verified"))
        // The owner comes back 70 minutes after the request; the capability lived 60.
        let timeline = clean.shiftingTimes(from: presented, by: 3_600_000)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.capabilitySingleUse])
        #expect(found.first?.evidence == [requested, verified])
    }

    @Test func capabilitySingleUseConsumedAtTheInstantItExpires() throws {
        let presented = try #require(clean.index(named: "reconnect.presented"))
        let timeline = clean.shiftingTimes(from: presented, by: Story.capabilityExpires - Story.reconnectAt)
        #expect(InvariantChecker.check(timeline).map(\.invariant) == [.capabilitySingleUse])
    }

    @Test func capabilitySingleUseConsumedOneMillisecondBeforeExpiryIsAllowed() throws {
        let presented = try #require(clean.index(named: "reconnect.presented"))
        let timeline = clean.shiftingTimes(from: presented, by: Story.capabilityExpires - Story.reconnectAt - 1)
        #expect(InvariantChecker.check(timeline) == [])
    }

    @Test func capabilitySingleUseConsumedForAnotherCase() {
        // Two connections, each with its own case and capability; the first case's capability closes the second case.
        let timeline = [
            tr(300, "revive", "case.opened", run: r, worker: w, connection: c, generation: 1, caseID: "case_a",
               failureClass: "dead_grant", subject: Story.subject, tenant: Story.tenant, checkpoint: "ckpt-0002"),
            tr(300, "revive", "reconnect.requested", run: r, connection: c, caseID: "case_a", capability: "cap_a", expires: 3_600_300),
            tr(900, "revive", "case.opened", run: r, worker: w, connection: "conn_google_ops", generation: 1, caseID: "case_b",
               failureClass: "consent_required", subject: "1049", tenant: "contoso.example", checkpoint: "ckpt-0003"),
            tr(900, "revive", "reconnect.requested", run: r, connection: "conn_google_ops", caseID: "case_b", capability: "cap_b", expires: 3_600_900),
            tr(60_000, "revive", "reconnect.verified", run: r, connection: "conn_google_ops", caseID: "case_b", capability: "cap_a",
               subject: "1049", tenant: "contoso.example"),
        ]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.capabilitySingleUse])
        #expect(found.first?.evidence == [1, 4])
    }

    @Test func capabilitySingleUseSupersededCapabilityCompletesTheCaseAgain() throws {
        let verified = try #require(clean.index(named: "reconnect.verified"))
        // A reminder's capability, live alongside the one already used, completes the same case a second time.
        let timeline = clean + [
            tr(3_300_300, "revive", "reconnect.requested", run: r, connection: c, caseID: Story.caseID, capability: "cap_reminder",
               expires: 6_900_300, notes: [("reminder", "1")]),
            tr(3_400_000, "revive", "reconnect.verified", run: r, connection: c, caseID: Story.caseID, capability: "cap_reminder",
               subject: Story.subject, tenant: Story.tenant),
        ]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.capabilitySingleUse])
        #expect(found.first?.evidence == [verified, timeline.count - 1])
        #expect(found.first?.message.contains("superseded") == true)
    }

    @Test func capabilitySingleUseConsumedButNeverIssued() throws {
        let verified = try #require(clean.index(named: "reconnect.verified"))
        let timeline = clean.editing(verified) { $0.capability = "cap_forged" }
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.capabilitySingleUse])
        #expect(found.first?.evidence == [verified])
    }

    // MARK: fenced-generations

    @Test func fencedGenerationsStaleLeaseReachesTheProviderAfterRotation() throws {
        // A consent failure (not a dead grant), so only the fence is at stake.
        let rotated = try #require(clean.index(named: "lease.rotated"))
        let stale = tr(Story.reconnectAt, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 1,
                       connection: c, generation: 1, lease: Story.staleLease, key: Story.key)
        let timeline = clean
            .editingAll(where: { $0.failureClass == .init(rawValue: "dead_grant") }) { $0.failureClass = FailureClass(rawValue: "consent_required") }
            .inserting([stale], at: rotated + 1)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.fencedGenerations])
        #expect(found.first?.evidence == [rotated, rotated + 1])
    }

    @Test func fencedGenerationsEffectAppliedUnderTheOldGeneration() throws {
        let rotated = try #require(clean.index(named: "lease.rotated"))
        let applied = try #require(clean.index(named: "effect.applied"))
        let timeline = clean.editing(applied) { $0.generation = 1 }
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.fencedGenerations])
        #expect(found.first?.evidence == [rotated, applied])
    }

    @Test func fencedGenerationsRefusedStaleCallIsNoBreach() throws {
        let rotated = try #require(clean.index(named: "lease.rotated"))
        let fenced = tr(Story.reconnectAt, "revive", "lease.fenced", run: r, worker: w, step: "send-briefing", attempt: 1,
                        connection: c, generation: 1, lease: Story.staleLease, key: Story.key, reason: "stale-generation",
                        notes: [("current", "2")])
        #expect(InvariantChecker.check(clean.inserting([fenced], at: rotated + 1)) == [])
    }

    // MARK: no-dead-retry

    @Test func noDeadRetryProviderCalledWithTheDeadGeneration() throws {
        let classified = try #require(clean.index(named: "failure.classified"))
        let blindRetry = tr(400, w, "provider.called", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c,
                            generation: 1, lease: Story.staleLease, key: Story.key)
        let timeline = clean.inserting([blindRetry], at: classified + 1)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.noDeadRetry])
        #expect(found.first?.evidence == [classified, classified + 1])
    }

    @Test func noDeadRetryRefreshingTheDeadGeneration() throws {
        let classified = try #require(clean.index(named: "failure.classified"))
        let refresh = tr(300, "revive", "token.refreshed", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c,
                         generation: 1, lease: Story.staleLease)
        let timeline = clean.inserting([refresh], at: classified + 1)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.noDeadRetry])
        #expect(found.first?.evidence == [classified, classified + 1])
    }

    @Test func noDeadRetryTransientFailureParksTheRun() throws {
        let called = try #require(clean.index(named: "provider.called", step: "send-briefing", attempt: 1))
        let timeline = clean.through(called) + [
            tr(300, "provider", "provider.failed", run: r, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               notes: [("op", "call"), ("status", "503"), ("error", "temporarily_unavailable")]),
            tr(300, "revive", "failure.classified", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c, generation: 1,
               key: Story.key, failureClass: "transient"),
            tr(300, "revive", "run.parked", run: r, worker: w, step: "send-briefing", attempt: 1, connection: c,
               failureClass: "transient", checkpoint: "ckpt-0002"),
        ]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.noDeadRetry])
        #expect(found.first?.evidence == [timeline.count - 1])
    }

    @Test func noDeadRetryRefreshableCaseParksTheRun() throws {
        // run.parked names no class itself; the case it parks on says refreshable.
        let parked = try #require(clean.index(named: "run.parked"))
        let timeline = clean
            .through(parked)
            .editingAll(where: { $0.name.rawValue == "failure.classified" || $0.name.rawValue == "case.opened" }) { $0.failureClass = FailureClass(rawValue: "refreshable") }
            .editing(parked) { $0.failureClass = nil }
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.noDeadRetry])
        #expect(found.first?.evidence == [parked])
    }

    // MARK: durable-case

    @Test func durableCaseLostWithItsWorker() throws {
        let requested = try #require(clean.index(named: "reconnect.requested"))
        let timeline = clean.through(requested) + [
            tr(60_300, "runtime", "worker.lost", run: r, worker: w),
            tr(60_300, "runtime", "case.lost", run: r, worker: w, connection: c, caseID: Story.caseID),
        ]
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.durableCase])
        #expect(found.first?.evidence == [timeline.count - 1])
    }

    @Test func durableCaseRunResumedOnALostWorker() throws {
        let resumed = try #require(clean.index(named: "run.resumed"))
        let timeline = clean.inserting([tr(60_300, "runtime", "worker.lost", run: r, worker: w)],
                                       at: try #require(clean.index(named: "reconnect.presented")))
        let lost = try #require(timeline.firstIndex(where: { $0.name.rawValue == "worker.lost" }))
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.durableCase])
        #expect(found.first?.evidence == [lost, resumed + 1])
    }

    @Test func durableCaseAnotherWorkerCompletesTheCaseAfterTheFirstIsLost() throws {
        let presented = try #require(clean.index(named: "reconnect.presented"))
        let resumed = try #require(clean.index(named: "run.resumed"))
        // From the resume on, everything runs on worker-b; the case still says it was opened by worker-a.
        var moved = clean
        for i in resumed..<moved.count {
            if moved[i].worker == Story.workerA { moved[i].worker = Story.workerB }
            if moved[i].actor.rawValue == Story.workerA { moved[i].actor = Actor(rawValue: Story.workerB) }
        }
        let timeline = moved.inserting([tr(60_300, "runtime", "worker.lost", run: r, worker: w),
                                        tr(300_000, "runtime", "worker.started", run: r, worker: Story.workerB)], at: presented)
        #expect(InvariantChecker.check(timeline) == [])
    }

    @Test func durableCaseNeverClosedAlthoughTheRunCompleted() throws {
        let timeline = clean.removing(at: try #require(clean.index(named: "case.closed")))
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.durableCase])
        #expect(found.first?.evidence == [try #require(timeline.index(named: "case.opened")), try #require(timeline.index(named: "run.completed"))])
    }

    // MARK: token-custody

    enum Spot: String, Sendable, CaseIterable {
        case providerFailedNote, reconnectRequestNote, leaseField, reasonField, subjectField, capabilityField
    }

    struct Leak: Sendable, CustomTestStringConvertible {
        let value: String
        let spot: Spot
        var testDescription: String { "\(value.prefix(10))… in \(spot.rawValue)" }
    }

    static let leaks = [
        Leak(value: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIwMDAwMDAwMy0wMDAw", spot: .providerFailedNote),
        Leak(value: "ya29.a0AfH6SMBx3Qk9lqZ", spot: .leaseField),
        Leak(value: "xoxe.xoxp-1-Mi0yLTExMjM0NTY3ODkw", spot: .reconnectRequestNote),
        Leak(value: "ghu_16C7e42F292c6912E7710c838347Ae178B4a", spot: .reasonField),
        Leak(value: "rvcap_5d1e9a0c7b3f4e21a8d6c0b9f2e4a713", spot: .reconnectRequestNote),
        Leak(value: "rvlab_rt_0f3a9c2e7d1b4a5c8e6f0a1b2c3d4e5f", spot: .subjectField),
        Leak(value: "Bearer rvlab_at_9e1c44aa0b", spot: .capabilityField),
        Leak(value: "00D5g000004XyZa!AR8AQJXg5oj8jXSgAjBzQ9k2mL", spot: .providerFailedNote),
    ]

    @Test(arguments: leaks)
    func tokenCustodySecretValueInTheTimeline(_ leak: Leak) throws {
        let name: String
        let change: (inout Transition) -> Void
        switch leak.spot {
        case .providerFailedNote: name = "provider.failed"; change = { $0.notes.append(.init("authorization", leak.value)) }
        case .reconnectRequestNote: name = "reconnect.requested"; change = { $0.notes.append(.init("link", leak.value)) }
        case .leaseField: name = "lease.issued"; change = { $0.lease = leak.value }
        case .reasonField: name = "provider.failed"; change = { $0.reason = leak.value }
        case .subjectField: name = "reconnect.presented"; change = { $0.subject = leak.value }
        case .capabilityField: name = "reconnect.requested"; change = { $0.capability = leak.value }
        }
        let index = try #require(clean.index(named: name))
        let timeline = clean.editing(index, change)
        // A secret as the capability id also leaves the verified capability unissued; custody must be among them.
        let custody = InvariantChecker.check(timeline).filter { $0.invariant == .tokenCustody }
        #expect(custody.map(\.evidence) == [[index]])
        if leak.spot != .capabilityField {
            #expect(InvariantChecker.check(timeline).map(\.invariant) == [.tokenCustody])
        }
    }

    @Test func tokenCustodyOneBreachPerTransitionEvenWithTwoSecrets() throws {
        let index = try #require(clean.index(named: "provider.failed"))
        let timeline = clean.editing(index) {
            $0.notes.append(.init("access", "ya29.a0AfH6SMBx"))
            $0.notes.append(.init("refresh", "1//0gLxR2f"))
        }
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.tokenCustody])
        #expect(found.first?.evidence == [index])
    }

    // MARK: liveness

    @Test func livenessRightOwnerAnsweredInTimeButTheRunNeverCompleted() throws {
        let closed = try #require(clean.index(named: "case.closed"))
        let timeline = clean.through(closed)
        let found = InvariantChecker.check(timeline)
        #expect(found.map(\.invariant) == [.liveness])
        #expect(found.first?.evidence == [try #require(clean.index(named: "case.opened"))])
    }

    @Test func livenessDoesNotApplyWhenTheOwnerAnsweredAfterExpiry() throws {
        let requested = try #require(clean.index(named: "reconnect.requested"))
        let timeline = clean.through(requested) + [
            tr(Story.capabilityExpires + 60_000, "owner", "reconnect.presented", run: r, connection: c, capability: Story.capability,
               subject: Story.subject, tenant: Story.tenant),
            tr(Story.capabilityExpires + 60_000, "revive", "capability.refused", run: r, connection: c, caseID: Story.caseID,
               capability: Story.capability, reason: "expired"),
        ]
        #expect(InvariantChecker.check(timeline) == [])
    }

    @Test func livenessDoesNotApplyWhenTheWrongAccountAnswered() throws {
        let requested = try #require(clean.index(named: "reconnect.requested"))
        let timeline = clean.through(requested) + [
            tr(Story.reconnectAt, "owner", "reconnect.presented", run: r, connection: c, capability: Story.capability,
               subject: Story.subject, tenant: "tid-fabrikam"),
            tr(Story.reconnectAt, "revive", "reconnect.rejected", run: r, connection: c, caseID: Story.caseID,
               failureClass: "identity_mismatch", capability: Story.capability, subject: Story.subject, tenant: "tid-fabrikam", reason: "tenant-mismatch"),
        ]
        #expect(InvariantChecker.check(timeline) == [])
    }
}

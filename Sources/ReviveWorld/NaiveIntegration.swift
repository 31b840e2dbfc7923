import Revive
import ReviveVocabulary

/// The integration teams write without a recovery control plane, played by `--without-revive`
/// and `compare` to show what Revive prevents.
///
/// It retries a failing credential blindly (three times, then asks a human), accepts a reconnect
/// from whoever signs in, fences nothing, retries a timed-out mutation without reconciling it
/// (with a fresh request id each time), and keeps the recovery context in the worker's memory,
/// where a lost worker takes it along. The lab, as an observer, still records the true class of
/// every failure and each connection's pinned identity so the checker can judge the result.
final class NaiveIntegration: RecoveryIntegration {
    /// Blind attempts at a failing credential before the integration asks a human.
    static let blindAttempts = 3
    /// The retry cap the baseline runtime uses when a scenario sets none (Temporal's default is unlimited).
    static let retryCap = 10

    private let broker: CredentialBroker
    private let recorder: TransitionRecorder
    private let classifier = Classifier()
    private var connections: [ConnectionID: ConnectionRecord] = [:]
    /// In-memory cases, each living in one worker.
    private var cases: [CaseID: (recoveryCase: RecoveryCase, holder: WorkerID, lost: Bool)] = [:]
    private var counter = 0

    init(broker: CredentialBroker, recorder: TransitionRecorder) {
        self.broker = broker
        self.recorder = recorder
    }

    private func record(_ name: TransitionName, actor: Actor, at time: Instant, request: ActionRequest? = nil,
                        _ fill: (inout Transition) -> Void) {
        var t = Transition(time: time, actor: actor, name: name)
        if let request {
            t.run = request.run.rawValue
            t.worker = request.worker.rawValue
            t.step = request.action.rawValue
            t.attempt = request.attempt
        }
        fill(&t)
        recorder.record(t)
    }

    private func nextID(_ prefix: String) -> String {
        counter += 1
        return prefix + String(counter)
    }

    func register(_ connection: ConnectionRecord, at time: Instant) {
        connections[connection.id] = connection
        record(.connectionPinned, actor: .lab, at: time) { t in
            t.connection = connection.id.rawValue
            t.subject = connection.pinnedIdentity.subject
            t.tenant = connection.pinnedIdentity.tenant
            t.notes.append(.init("observer", "lab"))
        }
    }

    func currentGeneration(of connection: ConnectionID) -> LeaseGeneration { .first }

    func recoveryCase(_ id: CaseID) -> RecoveryCase? { cases[id]?.recoveryCase }

    /// A lease that nothing checks, and a fresh request id per attempt: no stable idempotency key, no ledger.
    func beginAction(_ request: ActionRequest, at time: Instant) -> ActionStart {
        let lease = Lease(id: LeaseID(nextID("naive_")), connection: request.connection, generation: .first,
                          holder: request.worker, run: request.run, issuedAt: time)
        let key = IdempotencyKey(rawValue: "req-\(request.run)-\(request.action)-\(request.attempt)")
        return .call(ActionTicket(request: request, lease: lease, idempotencyKey: key))
    }

    /// Never asked: the baseline never looks anything up.
    func recordLookup(_ answer: ReconcileAnswer, for ticket: ActionTicket, at time: Instant) -> ActionStart { .call(ticket) }

    /// Never asked, as `recordLookup`.
    func lookupFailed(_ ticket: ActionTicket, at time: Instant) -> ActionVerdict {
        .retryLater(classifier.classify(nil, context: ClassificationContext(provider: nil, operation: .timeout)))
    }

    /// The baseline never waits: it calls again.
    func continueAction(_ ticket: ActionTicket, at time: Instant) -> ActionStart { .call(ticket) }

    /// Nothing is fenced.
    func clearForSend(_ ticket: ActionTicket, at time: Instant) -> CallAuthorization { .allowed }

    func finishAction(_ ticket: ActionTicket, _ outcome: ActionOutcome, at time: Instant) -> ActionVerdict {
        switch outcome {
        case .succeeded: return .completed
        case .failed(let signal): return handleFailure(signal, operation: .call, ticket: ticket, at: time)
        case .noAnswer: return handleFailure(nil, operation: .timeout, ticket: ticket, at: time)
        }
    }

    func abandonAction(_ ticket: ActionTicket, at time: Instant) {}

    private func handleFailure(_ signal: ProviderSignal?, operation: FailedOperation, ticket: ActionTicket,
                               at time: Instant) -> ActionVerdict {
        let (lease, request) = (ticket.lease, ticket.request)
        let classification = classifier.classify(signal, context: ClassificationContext(
            provider: connections[lease.connection]?.provider, operation: operation))
        record(.failureClassified, actor: .lab, at: time, request: request) { t in
            t.connection = lease.connection.rawValue
            t.generation = lease.generation.value
            t.failureClass = classification.failureClass
            t.notes.append(.init("observer", "lab"))
            t.notes.append(.init("op", operation.rawValue))
        }
        switch classification.failureClass {
        case .refreshable where operation == .call:
            if let failure = broker.refresh(lease.connection, generation: .first, rotatingTo: .first) {
                return handleFailure(failure, operation: .refresh, ticket: ticket, at: time)
            }
            record(.tokenRefreshed, actor: .worker(request.worker), at: time, request: request) { t in
                t.connection = lease.connection.rawValue
                t.generation = lease.generation.value
            }
            return .retryNow(ticket)
        case _ where !classification.failureClass.parksRun:
            return .retryLater(classification)
        case _ where request.attempt < NaiveIntegration.blindAttempts:
            // The credential may come back by itself, or so the integration hopes.
            return .retryLater(classification)
        default:
            return parkInMemory(classification, signal: signal, ticket: ticket, at: time)
        }
    }

    private func parkInMemory(_ classification: Classification, signal: ProviderSignal?, ticket: ActionTicket,
                              at time: Instant) -> ActionVerdict {
        let (lease, context) = (ticket.lease, ticket.request)
        let connection = connections[lease.connection]
        let recoveryCase = RecoveryCase(
            id: CaseID(nextID("mem_")), connection: lease.connection,
            pinnedIdentity: connection?.pinnedIdentity ?? ProviderIdentity(subject: "?", tenant: "?"),
            ownerAddress: connection?.ownerAddress ?? "owner", run: context.run, checkpoint: context.checkpoint,
            action: context.action, idempotencyKey: nil, ledgerState: nil, signal: signal, classification: classification,
            rejectedGeneration: lease.generation, openedBy: context.worker, openedAt: time, state: .awaitingReconnect,
            refusals: 0, currentCapability: nil)
        cases[recoveryCase.id] = (recoveryCase, context.worker, false)
        let worker = context.worker.rawValue
        record(.caseOpened, actor: .worker(context.worker), at: time, request: context) { t in
            t.connection = lease.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.failureClass = classification.failureClass
            t.notes.append(.init("kept-in", "memory of \(worker)"))
        }
        record(.runParked, actor: .worker(context.worker), at: time, request: context) { t in
            t.connection = lease.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.failureClass = classification.failureClass
        }
        record(.reconnectRequested, actor: .worker(context.worker), at: time) { t in
            t.run = context.run.rawValue
            t.connection = lease.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.notes.append(.init("to", recoveryCase.ownerAddress))
            t.notes.append(.init("link", "plain (no capability)"))
        }
        let request = ReconnectRequest(caseID: recoveryCase.id, connection: lease.connection, recipient: recoveryCase.ownerAddress,
                                       responder: .owner, capabilityID: CapabilityID("none"), capabilityValue: "",
                                       expiresAt: time.advanced(by: .days(365)), reminder: 0, kind: .reconnect, scopes: [])
        return .parked(recoveryCase, request)
    }

    /// A plain link neither reminds nor expires.
    func reminderDue(_ id: CapabilityID, at time: Instant) -> ReconnectRequest? { nil }

    func capabilityExpired(_ id: CapabilityID, at time: Instant) -> ReconnectRequest? { nil }

    /// Whoever signs in is accepted, as long as some worker still waits for that connection.
    func presentReconnect(capabilityValue: String?, grant: PendingGrant, at time: Instant) -> ReconnectOutcome {
        guard let waiting = cases.values.first(where: { $0.recoveryCase.connection == grant.connection && !$0.lost
                                                       && $0.recoveryCase.state == .awaitingReconnect }) else {
            broker.discard(grant)
            record(.capabilityRefused, actor: .provider, at: time) { t in
                t.connection = grant.connection.rawValue
                t.reason = "nobody-waiting"
            }
            return .refused(reason: "nobody-waiting")
        }
        var recoveryCase = waiting.recoveryCase
        recoveryCase.state = .awaitingResume
        cases[recoveryCase.id] = (recoveryCase, waiting.holder, false)
        broker.install(grant, generation: .first)
        record(.reconnectVerified, actor: .worker(waiting.holder), at: time) { t in
            t.run = recoveryCase.run.rawValue
            t.connection = grant.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.subject = grant.identity.subject
            t.tenant = grant.identity.tenant
            t.notes.append(.init("checked", "nothing"))
        }
        return .verified(caseID: recoveryCase.id, run: recoveryCase.run, checkpoint: recoveryCase.checkpoint, generation: .first)
    }

    func presentOperatorFix(capabilityValue: String?, connection: ConnectionID, at time: Instant) -> ReconnectOutcome {
        .refused(reason: "no-operator-path")
    }

    /// The baseline keeps nothing durable: a restarted process knows nothing to finish.
    func recoverAfterRestart(at time: Instant) -> RestartWork { RestartWork() }

    /// The baseline never asks an operator anything.
    func presentOperatorConfirm(capabilityValue: String?, connection: ConnectionID, happened: Bool, at time: Instant) -> ReconnectOutcome {
        .refused(reason: "no-operator-path")
    }

    /// The baseline keeps no ledger: it never knows an outcome is unknown.
    func escalateUnknownOutcome(_ ticket: ActionTicket, at time: Instant) -> ActionVerdict? { nil }

    func closeCase(_ id: CaseID, resumedOn worker: WorkerID, at time: Instant) {
        guard var entry = cases[id] else { return }
        entry.recoveryCase.state = .closed
        cases[id] = entry
        record(.caseClosed, actor: .worker(worker), at: time) { t in
            t.run = entry.recoveryCase.run.rawValue
            t.caseID = id.rawValue
            t.connection = entry.recoveryCase.connection.rawValue
        }
    }

    func recordRefreshElsewhere(of connection: ConnectionID, by holder: String, run: RunID?, at time: Instant) -> LeaseGeneration {
        record(.tokenRefreshed, actor: .lab, at: time) { t in
            t.run = run?.rawValue
            t.connection = connection.rawValue
            t.worker = holder
            t.reason = "another-worker"
        }
        return .first
    }

    /// The baseline keeps no store, so nothing is ever journaled.
    func drainJournal(at time: Instant) -> Int { 0 }

    func workerLost(_ worker: WorkerID, at time: Instant) -> [CaseID] {
        var lost: [CaseID] = []
        for (id, entry) in cases.sorted(by: { $0.key < $1.key }) where entry.holder == worker && !entry.lost && entry.recoveryCase.state != .closed {
            cases[id] = (entry.recoveryCase, entry.holder, true)
            lost.append(id)
            record(.caseLost, actor: .runtime, at: time) { t in
                t.run = entry.recoveryCase.run.rawValue
                t.caseID = id.rawValue
                t.connection = entry.recoveryCase.connection.rawValue
                t.worker = worker.rawValue
                t.reason = "kept-in-worker-memory"
            }
        }
        return lost
    }
}

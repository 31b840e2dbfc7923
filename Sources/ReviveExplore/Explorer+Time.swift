import Revive
import ReviveCheck
import ReviveVocabulary
import ReviveWorld

/// The explorer's time dimension: faults at the instants around each provider call, where step
/// points cannot reach (a worker crashing in the middle of a slow send, a response lost just
/// before the caller's deadline, a grant revoked while a call is in flight).
extension Explorer {
    /// The kinds struck at a call's instants: the worker's and the connection's.
    static let timedKinds: [FaultKind] = [.crashWorker, .stallWorker, .revokeGrant, .loseResponse, .dropRequest, .refreshElsewhere]
    /// The provider's own faults, struck only when asked: a late apply breaks the provider's
    /// promise (a provider breach, not the engine's), a lookup error refuses reconciliation.
    static let providerKinds: [FaultKind] = [.lateApply, .lookupError]

    /// Every timed fault the exhaustive mode tries: for each call of the fault-free play, at its
    /// start and just after, its middle, just before and after the provider applies it, just before and after
    /// the caller's deadline and just after its settle point. Like the step points, only the
    /// calls of attempts 1 through `maxAttempt` of each step.
    public static func timeCandidates(for base: Scenario, maxAttempt: Int, providerFaults: Bool = false) -> [FaultPlan.Item] {
        // Played as every schedule is (the explorer's retry cap applied), so a base that retries
        // forever under a planted bug stays one cheap play.
        let played = ScenarioPlayer.play(FaultPlan([]).apply(to: base), mode: .revive, healing: false)
        var seen = Set<TimedKey>()
        var items: [FaultPlan.Item] = []
        for call in played.transitions where call.name == .providerCalled && (call.attempt ?? 1) <= max(1, maxAttempt) {
            guard let worker = call.worker.map(WorkerID.init), let connection = call.connection.map(ConnectionID.init),
                  let spec = base.workflow.steps.first(where: { $0.id.rawValue == call.step }) else { continue }
            let settleAfter = base.connections.first(where: { $0.id == connection })?.idempotency.settleAfter ?? .zero
            for instant in instants(sentAt: call.time, duration: spec.duration, callTimeout: base.runtime.callTimeout, settleAfter: settleAfter) {
                for kind in timedKinds + (providerFaults ? providerKinds : []) {
                    let key = TimedKey(kind: kind, at: instant, target: kind.targetsWorker ? worker.rawValue : connection.rawValue)
                    guard seen.insert(key).inserted else { continue }
                    let stall = kind == .stallWorker ? Span(milliseconds: base.runtime.heartbeatTimeout.milliseconds * 2) : nil
                    items.append(.timedFault(kind: kind, at: instant, connection: kind.targetsWorker ? nil : connection,
                                             worker: kind.targetsWorker ? worker : nil, stallFor: stall))
                }
            }
        }
        return items
    }

    /// The instants worth striking around one call, in time order, without repeats.
    static func instants(sentAt: Instant, duration: Span, callTimeout: Span, settleAfter: Span) -> [Instant] {
        let oneMillisecond = Span(milliseconds: 1)
        let deadline = sentAt.advanced(by: callTimeout)
        let lands = sentAt.advanced(by: min(duration, callTimeout + settleAfter))
        let settles = deadline.advanced(by: settleAfter)
        // The send's own instant strikes before the call leaves (faults queued from the start come
        // first); a millisecond later the call is out.
        let candidates = [sentAt, sentAt.advanced(by: oneMillisecond), sentAt.advanced(by: Span(milliseconds: duration.milliseconds / 2)),
                          lands.advanced(by: Span(milliseconds: -1)), lands.advanced(by: oneMillisecond),
                          deadline.advanced(by: Span(milliseconds: -1)), deadline.advanced(by: oneMillisecond),
                          settles.advanced(by: oneMillisecond)]
        return Array(Set(candidates.filter { $0 >= sentAt })).sorted()
    }

    /// One timed fault, to drop repeats when calls share instants.
    struct TimedKey: Hashable {
        let kind: FaultKind
        let at: Instant
        let target: String
    }
}

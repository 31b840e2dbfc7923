import Revive
import ReviveVocabulary

/// Faults and events the explorer adds to a base scenario: one schedule to play.
public struct FaultPlan: Sendable, Hashable {
    /// One added fault or event.
    public enum Item: Sendable, Hashable {
        /// A fault at a step point (`stallFor` for stalls, `signal` for provider errors).
        case fault(kind: FaultKind, step: ActionKey, point: StepPoint, attempt: Int, signalIndex: Int?, stallFor: Span?)
        /// Someone other than the owner reconnects when the first request goes out.
        case wrongReconnect(connection: ConnectionID, subject: String, tenant: String, after: Span)
        /// A fault at a virtual instant, aimed at a connection or a worker (`stallFor` for stalls).
        case timedFault(kind: FaultKind, at: Instant, connection: ConnectionID?, worker: WorkerID?, stallFor: Span?)
        /// The provider takes `duration` to process the step's call (its `duration` in the file).
        case latency(step: ActionKey, duration: Span)
    }

    /// The items, in the order they were chosen.
    public var items: [Item]

    /// Makes a plan.
    public init(_ items: [Item]) { self.items = items }

    /// Signals the explorer draws provider errors from, one per class worth exercising.
    public static let signals: [(label: String, signal: ProviderSignal)] = [
        ("transient-503", ProviderSignal(status: 503, error: "temporarily_unavailable")),
        ("rate-limited-429", ProviderSignal(status: 429, error: "rate_limited", retryAfter: .seconds(30))),
        ("dead-grant", ProviderSignal(status: 400, error: "invalid_grant", description: "Token has been expired or revoked.")),
        ("refreshable-401", ProviderSignal(status: 401, error: "invalid_token")),
        ("step-up", ProviderSignal(status: 400, error: "invalid_grant", description: "AADSTS50076: multi-factor authentication required")),
        ("consent", ProviderSignal(status: 400, error: "consent_required", description: "AADSTS65001: consent required")),
        ("insufficient-scope", ProviderSignal(status: 403, error: "insufficient_scope")),
        ("config-error", ProviderSignal(status: 401, error: "invalid_client")),
        ("policy-blocked", ProviderSignal(status: 400, error: "invalid_grant", description: "AADSTS53003: blocked by Conditional Access")),
        ("not-connected", ProviderSignal(status: 401, error: "federated_connection_refresh_token_not_found")),
        ("account-blocked", ProviderSignal(status: 400, error: "invalid_grant", description: "inactive user")),
    ]

    /// The base scenario with this plan's faults and events added; its `expect` is dropped
    /// (the added faults change the story) and every invariant is checked.
    /// The retry cap the explorer puts on a step whose policies set none: a variant that retries a
    /// dead credential forever (a bug the explorer must find) stays one cheap schedule.
    public static let exploreRetryCap = 20

    public func apply(to base: Scenario) -> Scenario {
        // Asked of `base`, which is lent: asked of the copy, the copy was copied again.
        let capped = FaultPlan.capsAttempts(base)
        var scenario = base
        add(to: &scenario, capped: capped)
        return scenario
    }

    /// `apply(to:)`'s edits, made where the copy lies: written in `apply` itself, the copy was
    /// copied again to be returned, every string of the scenario retained and released again, for
    /// each schedule the explorer plays.
    @inline(never)
    private func add(to scenario: inout Scenario, capped: Bool) {
        scenario.expect = Expectations()
        // Room for the added faults at once: appended one by one, the copied list grew again.
        var added = 0
        for index in items.indices {
            switch items[index] {
            case .fault, .timedFault: added += 1
            case .wrongReconnect, .latency: break
            }
        }
        if added > 0 { scenario.faults.reserveCapacity(scenario.faults.count + added) }
        if !capped {
            var runtimeRetry = scenario.runtime.retry ?? RetryPolicy()
            runtimeRetry.maxAttempts = FaultPlan.exploreRetryCap
            scenario.runtime.retry = runtimeRetry
        }
        for item in items {
            switch item {
            case let .fault(kind, step, point, attempt, signalIndex, stallFor):
                scenario.faults.append(FaultSpec(at: .step(id: step, point: point, attempt: attempt), kind: kind,
                                                 connection: nil, worker: nil,
                                                 signal: signalIndex.map { FaultPlan.signals[$0].signal }, count: 1, stallFor: stallFor))
            case let .wrongReconnect(connection, subject, tenant, after):
                scenario.events.append(EventSpec(trigger: .on(transition: .reconnectRequested, after: after),
                                                 action: .reconnect(connection: connection, subject: subject, tenant: tenant)))
            case let .timedFault(kind, at, connection, worker, stallFor):
                scenario.faults.append(FaultSpec(at: .time(at), kind: kind, connection: connection, worker: worker, count: 1, stallFor: stallFor))
            case let .latency(step, duration):
                FaultPlan.setDuration(duration, of: step, in: &scenario.workflow.steps)
            }
        }
    }

    /// Sets the step's duration. Out of line: written in the loop above, the optimizer made the
    /// steps' array unique before the loop, copying every step of the scenario for each schedule
    /// the explorer plays, with or without a latency item.
    @inline(never)
    private static func setDuration(_ duration: Span, of step: ActionKey, in steps: inout [StepSpec]) {
        if let index = steps.firstIndex(where: { $0.id == step }) { steps[index].duration = duration }
    }

    /// Whether any retry policy of `scenario` (runtime, workflow, connection or step) caps its
    /// attempts. Each field is read where it lies: gathering the policies into a list first
    /// copied every one of them (and grew the list twice) for each schedule the explorer plays.
    static func capsAttempts(_ scenario: Scenario) -> Bool {
        if (scenario.runtime.retry?.maxAttempts ?? 0) > 0 || (scenario.workflow.retry?.maxAttempts ?? 0) > 0 { return true }
        let connections = scenario.connections
        for index in connections.indices where (connections[index].retry?.maxAttempts ?? 0) > 0 { return true }
        let steps = scenario.workflow.steps
        for index in steps.indices where (steps[index].retry?.maxAttempts ?? 0) > 0 { return true }
        return false
    }

    /// The plan as scenario JSON: `faults` and `events` entries in the format's own words, and
    /// the step `duration`s it sets.
    public func jsonItems() -> (faults: [JSONValue], events: [JSONValue], durations: [ActionKey: Span]) {
        var faults: [JSONValue] = []
        var events: [JSONValue] = []
        var durations: [ActionKey: Span] = [:]
        for item in items {
            switch item {
            case let .fault(kind, step, point, attempt, signalIndex, stallFor):
                var members: [(key: String, value: JSONValue)] = [
                    ("at", .object([("step", .string(step.rawValue)), ("point", .string(point.rawValue)), ("attempt", .integer(Int64(attempt)))])),
                    ("fault", .string(kind.rawValue)),
                ]
                if let index = signalIndex {
                    let signal = FaultPlan.signals[index].signal
                    var fields: [(key: String, value: JSONValue)] = [("status", .integer(Int64(signal.status)))]
                    if let error = signal.error { fields.append(("error", .string(error))) }
                    if let description = signal.description { fields.append(("description", .string(description))) }
                    if let after = signal.retryAfter { fields.append(("retryAfter", .string(after.description))) }
                    members.append(("signal", .object(fields)))
                }
                if let stallFor { members.append(("for", .string(stallFor.description))) }
                faults.append(.object(members))
            case let .wrongReconnect(connection, subject, tenant, after):
                events.append(.object([("on", .string(TransitionName.reconnectRequested.rawValue)), ("after", .string(after.description)), ("do", .string("reconnect")),
                                       ("connection", .string(connection.rawValue)), ("subject", .string(subject)), ("tenant", .string(tenant))]))
            case let .timedFault(kind, at, connection, worker, stallFor):
                var members: [(key: String, value: JSONValue)] = [("at", .string(at.description)), ("fault", .string(kind.rawValue))]
                if let connection { members.append(("connection", .string(connection.rawValue))) }
                if let worker { members.append(("worker", .string(worker.rawValue))) }
                if let stallFor { members.append(("for", .string(stallFor.description))) }
                faults.append(.object(members))
            case let .latency(step, duration):
                durations[step] = duration
            }
        }
        return (faults, events, durations)
    }

    /// One line per item, for reports.
    public var summary: String {
        items.map { item -> String in
            switch item {
            case let .fault(kind, step, point, attempt, signalIndex, stallFor):
                var text = "\(kind.rawValue) at \(step) \(point.rawValue) attempt \(attempt)"
                if let index = signalIndex { text += " (\(FaultPlan.signals[index].label))" }
                if let stallFor { text += " for \(stallFor)" }
                return text
            case let .wrongReconnect(connection, subject, tenant, after):
                return "reconnect to \(connection) as \(subject)@\(tenant) \(after) after the first request"
            case let .timedFault(kind, at, connection, worker, stallFor):
                var text = "\(kind.rawValue) of \(worker?.rawValue ?? connection?.rawValue ?? "?") at \(DurationText.clock(at))"
                if let stallFor { text += " for \(stallFor)" }
                return text
            case let .latency(step, duration):
                return "\(step) takes \(duration) at the provider"
            }
        }.joined(separator: "; ")
    }
}

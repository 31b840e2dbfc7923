import Revive
import ReviveVocabulary
import ReviveWorld

/// Repro files: a finding's minimal schedule written as a normal scenario file.
extension Explorer {
    /// The runtime object with the explorer's retry cap written in, when the exploration applied it,
    /// so the repro replays exactly what was explored (and stays cheap).
    static func cappedRuntime(_ runtime: JSONValue, explored: Scenario) -> JSONValue {
        guard case .object(var members) = runtime, explored.runtime.retry?.maxAttempts == FaultPlan.exploreRetryCap else { return runtime }
        var retry: [(key: String, value: JSONValue)] = []
        if let index = members.firstIndex(where: { $0.key == "retry" }) {
            if case .object(let existing) = members[index].value { retry = existing.filter { $0.key != "maxAttempts" } }
            members.remove(at: index)
        }
        retry.append(("maxAttempts", .integer(Int64(FaultPlan.exploreRetryCap))))
        members.append(("retry", .object(retry)))
        return .object(members)
    }

    /// The minimal schedule as a normal scenario file: the base scenario plus the schedule's
    /// faults, events and latencies, and (liveness mode) the healing the breach needed as events
    /// at the instants it acted, without the base's `expect` (every invariant is still checked):
    /// `run REPRO` shows the same breach.
    public static func reproDocument(for finding: ExploreFinding, base: Scenario) -> JSONValue {
        guard case .object(let members) = base.source else { return base.source }
        let added = finding.minimal.jsonItems()
        let healing = finding.healing.compactMap(eventJSON)
        let description = "Found by revive-lab explore from \(base.name): \(finding.invariant.rawValue) breaks with \(finding.minimal.summary)."
        var result: [(key: String, value: JSONValue)] = []
        for member in members where member.key != "expect" {
            switch member.key {
            case "name": result.append(("name", .string("\(base.name)-repro-\(finding.invariant.rawValue)")))
            case "description": result.append(("description", .string(description)))
            case "faults":
                if case .array(let existing) = member.value { result.append(("faults", .array(existing + added.faults))) }
            case "events":
                if case .array(let existing) = member.value { result.append(("events", .array(existing + added.events + healing))) }
            case "workflow":
                result.append(("workflow", withDurations(member.value, added.durations)))
            case "runtime":
                result.append(("runtime", cappedRuntime(member.value, explored: finding.minimal.apply(to: base))))
            default: result.append(member)
            }
        }
        if !members.contains(where: { $0.key == "faults" }) { result.append(("faults", .array(added.faults))) }
        if !members.contains(where: { $0.key == "events" }) { result.append(("events", .array(added.events + healing))) }
        if !members.contains(where: { $0.key == "description" }) { result.append(("description", .string(description))) }
        return .object(result)
    }

    /// The workflow object with the schedule's step durations written in.
    static func withDurations(_ workflow: JSONValue, _ durations: [ActionKey: Span]) -> JSONValue {
        guard !durations.isEmpty, case .object(var members) = workflow,
              let index = members.firstIndex(where: { $0.key == "steps" }), case .array(var steps) = members[index].value else { return workflow }
        for (i, step) in steps.enumerated() {
            guard case .object(var fields) = step, case .string(let id)? = step["id"], let duration = durations[ActionKey(id)] else { continue }
            fields.removeAll { $0.key == "duration" }
            fields.append(("duration", .string(duration.description)))
            steps[i] = .object(fields)
        }
        members[index].value = .array(steps)
        return .object(members)
    }

    /// A healing action as a scenario event at its instant, in the format's own words.
    static func eventJSON(_ event: EventSpec) -> JSONValue? {
        guard case .at(let instant) = event.trigger else { return nil }
        var members: [(key: String, value: JSONValue)] = [("at", .string(instant.description))]
        switch event.action {
        case .reconnect(let connection, let subject, let tenant):
            members += [("do", .string("reconnect")), ("connection", .string(connection.rawValue)),
                        ("subject", .string(subject)), ("tenant", .string(tenant))]
        case .reuseCapability(let connection):
            members += [("do", .string("reuse-capability")), ("connection", .string(connection.rawValue))]
        case .startWorker(let worker):
            members += [("do", .string("start-worker")), ("worker", .string(worker.rawValue))]
        case .reviveWorker(let worker):
            members += [("do", .string("revive-worker")), ("worker", .string(worker.rawValue))]
        case .operatorFix(let connection):
            members += [("do", .string("operator-fix")), ("connection", .string(connection.rawValue))]
        case .operatorConfirm(let connection, let happened):
            members += [("do", .string("operator-confirm")), ("connection", .string(connection.rawValue)), ("happened", .bool(happened))]
        case .resumeThread:
            members += [("do", .string("resume-thread"))]
        }
        return .object(members)
    }
}

import Revive

// The places of each kind of scenario object's keys (see `ObjectKey`): each enumeration lists its
// `ScenarioKeys` list's keys in the same order (a test holds them to it).

/// The keys of a scenario's top object.
enum TopKey: Int, ObjectKey {
    case format, name, description, seed, runtime, connections, workflow, faults, events, expect, recovery, horizon
    static let list = KeyList(ScenarioKeys.top, required: ScenarioKeys.topRequired)
}

/// The keys of `runtime`.
enum RuntimeKey: Int, ObjectKey {
    case kind, workers, heartbeatTimeout, callTimeout, retry, durability, startToCloseTimeout, scheduleToCloseTimeout
    static let list = KeyList(ScenarioKeys.runtime, required: ScenarioKeys.runtimeRequired)
}

/// The keys of `recovery`.
enum RecoveryKey: Int, ObjectKey {
    case capabilityTTL, maxReminders
    static let list = KeyList(ScenarioKeys.recovery)
}

/// The keys of a connection.
enum ConnectionKey: Int, ObjectKey {
    case id, provider, broker, owner, subject, tenant, scopes, accessTokenTTL, retry, idempotency, settleAfter, keyRetention
    static let list = KeyList(ScenarioKeys.connection, required: ScenarioKeys.connectionRequired)
}

/// The keys of `workflow`.
enum WorkflowKey: Int, ObjectKey {
    case name, run, steps, retry
    static let list = KeyList(ScenarioKeys.workflow, required: ScenarioKeys.workflowRequired)
}

/// The keys of a step.
enum StepKey: Int, ObjectKey {
    case id, connection, effect, duration, retry, heartbeatTimeout, startToCloseTimeout, scheduleToCloseTimeout
    static let list = KeyList(ScenarioKeys.step, required: ScenarioKeys.stepRequired)
}

/// The keys of a fault.
enum FaultKey: Int, ObjectKey {
    case at, fault, signal, count, `for`, by, connection, worker
    static let list = KeyList(ScenarioKeys.fault, required: ScenarioKeys.faultRequired)
}

/// The keys of a fault's step point (`"at": {...}`).
enum StepPointKey: Int, ObjectKey {
    case step, point, attempt
    static let list = KeyList(ScenarioKeys.stepPoint, required: ScenarioKeys.stepPointRequired)
}

/// The keys of an event.
enum EventKey: Int, ObjectKey {
    case at, on, after, `do`, connection, subject, tenant, worker, happened
    static let list = KeyList(ScenarioKeys.event, required: ScenarioKeys.eventRequired)
}

/// The keys of `expect`.
enum ExpectKey: Int, ObjectKey {
    case outcome, classification, effects, timeline, absent, rejected, fenced, invariants, providerBreaches
    static let list = KeyList(ScenarioKeys.expect)
}

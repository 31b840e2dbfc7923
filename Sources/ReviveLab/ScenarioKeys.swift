import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Every key of scenario formats 1 and 2, per object, in one place: the loader accepts exactly these
/// and `ScenarioSchema` publishes exactly these, so the two cannot drift apart.
enum ScenarioKeys {
    static let top = ["format", "name", "description", "seed", "runtime", "connections", "workflow", "faults", "events",
                      "expect", "recovery", "horizon"]
    static let topRequired = ["format", "name", "runtime", "connections", "workflow"]
    static let runtime = ["kind", "workers", "heartbeatTimeout", "callTimeout", "retry", "durability", "startToCloseTimeout", "scheduleToCloseTimeout"]
    /// The runtime keys that only format 2 reads.
    static let runtimeFormatTwo = ["durability", "startToCloseTimeout", "scheduleToCloseTimeout"]
    static let runtimeRequired = ["kind", "workers"]
    static let recovery = ["capabilityTTL", "maxReminders"]
    static let connection = ["id", "provider", "broker", "owner", "subject", "tenant", "scopes", "accessTokenTTL", "retry",
                                    "idempotency", "settleAfter", "keyRetention"]
    static let connectionRequired = ["id", "provider", "broker", "owner", "subject", "tenant"]
    static let workflow = ["name", "run", "steps", "retry"]
    static let workflowRequired = ["run", "steps"]
    static let step = ["id", "connection", "effect", "duration", "retry", "heartbeatTimeout", "startToCloseTimeout", "scheduleToCloseTimeout"]
    /// The step keys that only format 2 reads, on Temporal only: the activity's own timeouts.
    static let stepFormatTwo = ["heartbeatTimeout", "startToCloseTimeout", "scheduleToCloseTimeout"]
    static let stepRequired = ["id"]
    static let retry = ["maxAttempts", "maxElapsed", "initialBackoff", "backoffCoefficient", "maxBackoff", "nonRetryable"]
    static let fault = ["at", "fault", "signal", "count", "for", "by", "connection", "worker"]
    static let faultRequired = ["at", "fault"]
    static let stepPoint = ["step", "point", "attempt"]
    static let stepPointRequired = ["step", "point"]
    static let signal = ["status", "error", "description", "retryAfter", "headers", "body"]
    static let signalRequired = ["status"]
    static let event = ["at", "on", "after", "do", "connection", "subject", "tenant", "worker", "happened"]
    static let eventRequired = ["do"]
    static let eventKinds = ["reconnect", "reuse-capability", "start-worker", "revive-worker", "operator-fix", "operator-confirm", "resume-thread"]
    static let expect = ["outcome", "classification", "effects", "timeline", "absent", "rejected", "fenced", "invariants", "providerBreaches"]
}

import ReviveVocabulary

#if REVIVE_PLANTED_BUGS
/// Deliberate engine bugs that prove the fault explorer catches real mistakes.
///
/// Compiled only when `REVIVE_PLANTED_BUGS` is defined, which Package.swift does for debug
/// builds (the ones `swift test` uses) and never for release builds: the shipped binary cannot
/// contain them. Each is off unless a test switches it on through `RecoveryConfiguration`.
public enum PlantedBug: String, CaseIterable, Sendable {
    /// Re-execute an action whose outcome is unknown without reconciling it first.
    case skipReconciliation = "skip-reconciliation"
    /// Let every lease through, whatever its generation or holder.
    case noFencing = "no-fencing"
    /// Consume the capability (and record it verified) before checking the identity.
    case consumeBeforeVerify = "consume-before-verify"
    /// Tell the runtime to start a new run instead of resuming the parked one.
    case newRunOnResume = "new-run-on-resume"
    /// Resume from the start of the workflow instead of the checkpoint.
    case resumeFromStart = "resume-from-start"
    /// Treat a dead grant as transient and retry it.
    case retryDeadGrant = "retry-dead-grant"
    /// Rotate the lease generation even when a reconnect's identity does not match.
    case rotateOnMismatch = "rotate-on-mismatch"
    /// Put the capability's secret value into the timeline.
    case leakToken = "leak-token"
    /// Trust a lookup by key while an earlier call may still land (no wait for it to settle).
    case reconcileInFlight = "reconcile-in-flight"
    /// Commit a verified reconnect as two decisions: the capability and the case first, the
    /// generation's rotation second (a crash between them leaves the dead generation current).
    case splitReconnect = "split-reconnect"
}
#else
/// Release builds: no bug can be planted. The hooks' names still resolve, so a misspelt hook fails
/// to compile in both builds, but each is the constant `false` and compiles away; `.ci/run` checks
/// that the release binary carries none of their names.
struct PlantedBug {
    @inline(__always) static var skipReconciliation: PlantedBug { PlantedBug() }
    @inline(__always) static var noFencing: PlantedBug { PlantedBug() }
    @inline(__always) static var consumeBeforeVerify: PlantedBug { PlantedBug() }
    @inline(__always) static var newRunOnResume: PlantedBug { PlantedBug() }
    @inline(__always) static var resumeFromStart: PlantedBug { PlantedBug() }
    @inline(__always) static var retryDeadGrant: PlantedBug { PlantedBug() }
    @inline(__always) static var rotateOnMismatch: PlantedBug { PlantedBug() }
    @inline(__always) static var leakToken: PlantedBug { PlantedBug() }
    @inline(__always) static var reconcileInFlight: PlantedBug { PlantedBug() }
    @inline(__always) static var splitReconnect: PlantedBug { PlantedBug() }
}
#endif

extension RecoveryEngine {
    /// Whether a planted bug is switched on (always false in release builds).
    @inline(__always)
    func planted(_ bug: PlantedBug) -> Bool {
        #if REVIVE_PLANTED_BUGS
        return configuration.plantedBugs.contains(bug)
        #else
        return false
        #endif
    }
}

import ReviveVocabulary

/// What a restarted process must finish for the cases its predecessor left half way.
public struct RestartWork: Sendable {
    /// A fresh request for every case still waiting for its owner or operator: the request the
    /// dead process committed may never have left it, and a capability's value is never stored.
    public var requests: [ReconnectRequest] = []
    /// The runs whose reconnect (or operator's answer) was verified but whose resume may never
    /// have reached the runtime: resume each from its checkpoint.
    public var resumes: [(caseID: CaseID, run: RunID, checkpoint: String?)] = []

    /// Nothing to finish.
    public init() {}
}

/// The restart sweep: a process that starts over a store another process used (and may have
/// died in) asks what was left half way, then finishes it. Every decision the dead process
/// committed stands; nothing it did not commit happened.
extension RecoveryEngine {
    /// Sends every waiting case a fresh request (recorded as `reconnect.requested` or
    /// `operator.alerted` with `resent=restart`), installs the grant of every verified reconnect
    /// that awaits its resume (the broker's install is idempotent), and returns the runs to resume.
    public func recoverAfterRestart(at time: Instant) throws(RecoveryStoreError) -> RestartWork {
        var grants: [(PendingGrant, LeaseGeneration)] = []
        let work = try decide(at: time) { (tx) throws(RecoveryStoreError) -> RestartWork in
            var work = RestartWork()
            for recoveryCase in try tx.store.openCases() {
                switch recoveryCase.state {
                case .awaitingReconnect:
                    let current = try recoveryCase.currentCapability.flatMap { (id) throws(RecoveryStoreError) in try tx.store.capability(id) }
                    work.requests.append(try requestReconnect(for: recoveryCase, reminder: current?.reminder ?? 0, at: time,
                                                              in: tx, resent: true))
                case .awaitingResume:
                    if let grant = recoveryCase.grant { grants.append((grant, try tx.store.generation(of: recoveryCase.connection))) }
                    work.resumes.append((recoveryCase.id, recoveryCase.run, recoveryCase.checkpoint))
                case .closed, .escalated:
                    break
                }
            }
            return work
        }
        for (grant, generation) in grants { broker.install(grant, generation: generation) }
        return work
    }
}

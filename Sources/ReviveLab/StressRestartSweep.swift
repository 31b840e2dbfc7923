#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary

/// What a restarted `stress PATH...` worker finishes before it plays again: the engine's restart
/// sweep (`recoverAfterRestart`) over the shared store. Requests the killed process committed but
/// may never have delivered are sent again, to the shared inbox; the grant of a verified reconnect
/// whose resume died with the process is installed at the provider (its shared ledger); and a case
/// left awaiting the resume of one of this process's runs is closed, because that run is played
/// again from its start right after (its play had not finished). Cases of runs other processes
/// own are theirs to resume.
enum StressRestartSweep {
    static func run(world: StressWorld, shared: StressSharedWorld, store: SharedRecoveryStore, ids: StressIDs,
                    process: Int, recorder: TransitionRecorder) throws(RecoveryStoreError) {
        let engine = RecoveryEngine(store: store, ids: ids, broker: SweepBroker(ledger: shared), recorder: recorder)
        let work = try engine.recoverAfterRestart(at: .zero)
        for request in work.requests { shared.post(request) }
        for resume in work.resumes {
            guard try world.owner(ofRun: resume.run.rawValue) == process else { continue }
            try engine.closeCase(resume.caseID, resumedOn: WorkerID("worker-p\(process)-restart"), at: .zero)
        }
    }

    /// The sweep's broker: it only installs grants, at the provider's shared ledger.
    final class SweepBroker: CredentialBroker {
        let ledger: StressSharedWorld
        init(ledger: StressSharedWorld) { self.ledger = ledger }

        func refresh(_ connection: ConnectionID, generation: LeaseGeneration, rotatingTo next: LeaseGeneration) -> ProviderSignal? {
            ProviderSignal(status: 503, error: "temporarily_unavailable")
        }

        func install(_ grant: PendingGrant, generation: LeaseGeneration) {
            ledger.setGrantAlive(true, of: grant.connection)
            ledger.issueTokens(of: grant.connection, generation: generation.value)
        }

        func discard(_ grant: PendingGrant) {}
    }
}

/// Writes the transitions a worker records outside a play (the restart sweep's) to its JSONL.
final class StressFileRecorder: TransitionRecorder {
    let file: OutputFile
    private var sequence = 0
    init(file: OutputFile) { self.file = file }

    func record(_ transition: consuming Transition) {
        StressBroker.write(TimelineJSON.object(for: transition, sequence: sequence).compactText + "\n", to: file)
        sequence += 1
    }
}

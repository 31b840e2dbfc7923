#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary
import ReviveWorld

/// What one worker process's scenario plays share through the database (`StressWorld`): the
/// provider's ledger (grant liveness, rotating refresh tokens, effects), the owners' inbox, and
/// the state of cases other processes resolve. A database error here ends the worker with exit 2
/// (`StressBroker.orExit`): the simulated provider's calls cannot throw.
final class StressSharedWorld: SharedPlayWorld, ProviderLedger {
    let world: StressWorld
    let process: Int
    /// How often, and how long apart, an idle parked play asks whether another process resolved its case.
    var polls: Int
    let pollSleep: useconds_t
    /// The connection whose refresh lock this process holds until the engine commits the rotation.
    private var held: String?

    init(world: StressWorld, process: Int, polls: Int = 50, pollSleep: useconds_t = 10_000) {
        (self.world, self.process, self.polls, self.pollSleep) = (world, process, polls, pollSleep)
    }

    var ledger: ProviderLedger { self }

    // MARK: ProviderLedger

    func isGrantAlive(_ connection: ConnectionID) -> Bool {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.isGrantAlive(connection.rawValue) }
    }

    func setGrantAlive(_ alive: Bool, of connection: ConnectionID) {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.setGrantAlive(connection.rawValue, alive) }
    }

    func tokenGeneration(of connection: ConnectionID) -> Int {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.tokenGeneration(connection.rawValue) }
    }

    func issueTokens(of connection: ConnectionID, generation: Int) {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.issueToken(connection.rawValue, generation: generation) }
    }

    /// Single-flight across processes, as in the contention workload (`StressBroker.refresh`): the
    /// connection's lock first; a generation the engine already rotated past is not redeemed (the
    /// engine reloads it as a stale lease); a token already redeemed (by a process killed before it
    /// committed the rotation) is gone; the winner keeps the lock until the rotation commits.
    func redeemRefreshToken(of connection: ConnectionID, generation: Int, next: Int) -> Bool {
        let name = connection.rawValue
        return StressBroker.orExit { () throws(RecoveryStoreError) -> Bool in
            try world.lockRefresh(name)
            try world.issueToken(name, generation: 1)
            if try world.committedGeneration(name) > generation {
                try world.logRefresh(name, generation: generation, process: process, outcome: "reread")
                try world.unlockRefresh(name)
                return false
            }
            guard try world.redeem(name, generation: generation) else {
                try world.logRefresh(name, generation: generation, process: process, outcome: "winner-died")
                try world.unlockRefresh(name)
                return false
            }
            try world.logRefresh(name, generation: generation, process: process, outcome: "won")
            try world.issueToken(name, generation: next)
            held = name
            return true
        }
    }

    /// Frees a refresh lock once the engine has committed the decision after the refresh.
    func releaseAfterCommit() {
        guard let name = held else { return }
        held = nil
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.unlockRefresh(name) }
    }

    func recordEffect(key: IdempotencyKey, run: RunID) {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.applyEffect(key: key.rawValue, run: run.rawValue, process: process) }
    }

    func effectCount(key: IdempotencyKey) -> Int {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.effectCount(key: key.rawValue) }
    }

    // MARK: SharedPlayWorld

    func post(_ request: ReconnectRequest) {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.post(request) }
    }

    func latestRequest(for connection: ConnectionID, responder: Responder?) -> ReconnectRequest? {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.latestRequest(for: connection.rawValue, responder: responder?.rawValue) }
    }

    /// Takes the connection's token lock shared, as the contention workload's reconnects do:
    /// rotations that are not refreshes still race each other, but never a refresh under way.
    func whileNoRefreshRotates<T>(_ connection: ConnectionID, _ body: () -> T) -> T {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.lockRefresh(connection.rawValue, shared: true) }
        let result = body()
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.unlockRefresh(connection.rawValue, shared: true) }
        return result
    }

    func operatorFinds(_ caseID: CaseID) -> Bool? {
        StressBroker.orExit { () throws(RecoveryStoreError) -> Bool? in
            guard let key = try world.caseKey(caseID.rawValue) else { return nil }
            return try world.effectCount(key: key) > 0
        }
    }

    /// Polls the case's committed state a bounded number of times: resolved (awaiting its resume,
    /// or closed by another run's resume) means go on; escalated or gone means it will not be soon.
    func caseWasResolved(_ caseID: CaseID) -> Bool {
        for poll in 0..<polls {
            let state = StressBroker.orExit { () throws(RecoveryStoreError) in try world.caseState(caseID.rawValue) }
            switch state {
            case "awaiting-resume", "closed": return true
            case "awaiting-reconnect": if poll + 1 < polls { usleep(pollSleep) }
            default: return false
            }
        }
        return false
    }
}

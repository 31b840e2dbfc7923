#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary

/// `revive-lab stress-worker` (hidden; `stress` starts it): one OS process of a stress play.
///
/// It plays its share of the runs with the real engine on the shared store. Every run posts one
/// update through a connection that runs in other processes share, so refreshes, reconnects and
/// rotations race between processes; the provider's tokens and effects and the owners' inbox are
/// rows in the same database (`StressWorld`). A restarted worker carries on from what the
/// database says about each run.
final class StressWorker {
    let options: StressWorkerOptions
    let world: StressWorld
    let store: SharedRecoveryStore
    let broker: StressBroker
    let recorder: JSONLRecorder
    let engine: RecoveryEngine
    var worker: WorkerID { WorkerID("worker-p\(options.process)") }

    init(_ options: StressWorkerOptions) throws(RecoveryStoreError) {
        self.options = options
        world = try StressWorld(location: options.store, play: options.play, libpqPath: options.libpq)
        #if REVIVE_PLANTED_BUGS
        world.plantUnlockedRefresh = options.plantUnlockedRefresh
        #endif
        store = try StressWorker.openStore(options)
        broker = StressBroker(world: world, process: options.process)
        recorder = try JSONLRecorder(path: options.jsonl)
        let ids = StressIDs(tag: "p\(options.process)i\(options.incarnation)", seed: options.seed)
        engine = RecoveryEngine(store: store, ids: ids, broker: broker, recorder: recorder)
        let (broker, recorder, dieAfter) = (broker, recorder, options.dieAfter)
        store.afterCommit = { decisions in
            broker.releaseAfterCommit()
            if decisions == dieAfter {
                recorder.flush()
                kill(getpid(), SIGKILL)
            }
        }
    }

    static func openStore(_ options: StressWorkerOptions) throws(RecoveryStoreError) -> SharedRecoveryStore {
        let store: SharedRecoveryStore
        if PostgresURL.isPostgres(options.store) {
            store = try PostgresStore(url: try PostgresURL(options.store), libraryPath: options.libpq).sharedStore(play: options.play)
        } else {
            store = try SQLiteStoreFile(path: options.store).sharedStore(play: options.play)
        }
        #if REVIVE_PLANTED_BUGS
        if options.plantSplit { store.plantSplitConsumption(process: options.process) }
        #endif
        return store
    }

    static func connection(_ index: Int) -> ConnectionRecord {
        ConnectionRecord(id: ConnectionID("conn-\(index)"), provider: .slack, broker: .nango, ownerAddress: "owner-\(index)",
                         pinnedIdentity: identity(index), scopes: ["chat:write"])
    }

    static func identity(_ index: Int) -> ProviderIdentity { ProviderIdentity(subject: "U0\(index)", tenant: "T0001") }

    /// Plays every run of this process that the database does not show finished.
    func play() throws(RecoveryStoreError) {
        for index in 0..<options.connections {
            try engine.register(StressWorker.connection(index))
            try world.issueToken("conn-\(index)", generation: 1)
        }
        for run in options.runs { try play(run: run) }
        recorder.flush()
    }

    /// One run: post an update through the run's connection until it is done, or parked on a
    /// case no owner answered in time (left parked, with its case open).
    func play(run index: Int) throws(RecoveryStoreError) {
        let run = "run-\(index)"
        let connection = index % options.connections
        let found = try world.run(run)
        if found?.state == "completed" { return }
        var attempt = found?.attempt ?? 0
        if found?.state == "parked", let caseID = found?.caseID {
            guard try waitForReconnect(caseID, run: run, attempt: attempt) else { return }
        }
        var clock = RunClock(attempt: attempt)
        while attempt < 40 {
            attempt += 1
            clock = RunClock(attempt: attempt)
            try answerRequests(at: clock.now)
            try world.setRun(run, process: options.process, state: "running", attempt: attempt, caseID: nil)
            let request = ActionRequest(run: RunID(run), action: ActionKey("post-update"), attempt: attempt, worker: worker,
                                        checkpoint: "before-post", connection: ConnectionID("conn-\(connection)"), mutating: true)
            switch try attemptAction(request, clock: &clock) {
            case .done:
                try world.setRun(run, process: options.process, state: "completed", attempt: attempt, caseID: nil)
                return
            case .again:
                continue
            case .parked(let recoveryCase, let reconnect):
                try world.post(capabilityValue: reconnect.capabilityValue, connection: reconnect.connection.rawValue,
                               caseID: recoveryCase.id.rawValue)
                try world.setRun(run, process: options.process, state: "parked", attempt: attempt, caseID: recoveryCase.id.rawValue)
                guard try waitForReconnect(recoveryCase.id.rawValue, run: run, attempt: attempt) else { return }
            }
        }
    }

    enum Step { case done, again, parked(RecoveryCase, ReconnectRequest) }

    /// The connection's grant is dead and its case waits for a reconnect, but the request may never
    /// have reached the inbox (its process was killed right after parking): let the current
    /// capability expire, which sends a fresh reminder, and park this run on the same case.
    func strandedOnDeadGrant(_ connection: ConnectionID) throws(RecoveryStoreError) -> Step {
        guard let caseID = try world.openCase(connection.rawValue), let open = try engine.recoveryCase(CaseID(caseID)),
              open.state == .awaitingReconnect, let current = open.currentCapability,
              let expiry = try world.capabilityExpiry(current.rawValue),
              let reminder = try engine.capabilityExpired(current, at: expiry) else { return .again }
        return .parked(try engine.recoveryCase(CaseID(caseID)) ?? open, reminder)
    }

    /// Begins the action and follows the engine's answers until the attempt ends.
    func attemptAction(_ request: ActionRequest, clock: inout RunClock) throws(RecoveryStoreError) -> Step {
        var start = try engine.beginAction(request, at: clock.tick())
        while true {
            switch start {
            case .alreadyDone: return .done
            case .parked(let recoveryCase, let reconnect): return .parked(recoveryCase, reconnect)
            case .wait(let until, let ticket):
                clock.advance(to: until)
                start = try engine.continueAction(ticket, at: clock.tick())
            case .lookUp(let ticket):
                let answer: ReconcileAnswer = try world.hasEffect(key: ticket.idempotencyKey.rawValue) ? .committed : .absent
                start = try engine.recordLookup(answer, for: ticket, at: clock.tick())
            case .call(let ticket):
                return try call(ticket, clock: &clock)
            }
        }
    }

    /// Calls the provider (the outcome drawn from the seed, the run and the attempt) until the
    /// engine stops asking for an immediate retry.
    func call(_ first: ActionTicket, clock: inout RunClock) throws(RecoveryStoreError) -> Step {
        var ticket = first
        for call in 0..<8 {
            switch try engine.clearForSend(ticket, at: clock.tick()) {
            case .allowed: break
            case .fenced(reason: .deadGrant): return try strandedOnDeadGrant(ticket.request.connection)
            case .fenced: return .again
            }
            let key = ticket.idempotencyKey.rawValue
            var draw = SeededDraw(options.seed, ticket.request.run.rawValue, ticket.request.attempt, call)
            let outcome: ActionOutcome
            let (connection, generation) = (ticket.lease.connection.rawValue, ticket.lease.generation.value)
            // An access token expires for every process at once: all its holders then refresh
            // together, which is the race the single flight is for.
            let expired = try world.isExpired(connection, generation: generation)
            switch expired ? 0 : draw.next() % 100 {
            case ..<12:
                try world.expire(connection, generation: generation)
                outcome = .failed(ProviderSignal(status: 401, error: "token_expired"))
            case ..<18: outcome = .failed(ProviderSignal(status: 401, error: "token_revoked"))
            case ..<24:
                try world.applyEffect(key: key, run: ticket.request.run.rawValue, process: options.process)
                outcome = .noAnswer
            default:
                try world.applyEffect(key: key, run: ticket.request.run.rawValue, process: options.process)
                outcome = .succeeded
            }
            switch try engine.finishAction(ticket, outcome, at: clock.tick()) {
            case .completed: return .done
            case .retryNow(let next): ticket = next
            case .retryLater: return .again
            case .parked(let recoveryCase, let reconnect): return .parked(recoveryCase, reconnect)
            }
        }
        return .again
    }

    /// Answers owners' requests and waits for the case to leave awaiting-reconnect; then closes
    /// it (a no-op if another run's process closed it) and lets the run go on.
    func waitForReconnect(_ caseID: String, run: String, attempt: Int) throws(RecoveryStoreError) -> Bool {
        let now = RunClock(attempt: attempt).now
        for _ in 0..<4_000 {
            try answerRequests(at: now)
            if let state = try world.caseState(caseID), state != "awaiting-reconnect" {
                try engine.closeCase(CaseID(caseID), resumedOn: worker, at: now)
                return true
            }
            usleep(3_000)
        }
        return false
    }

    /// Presents every open request's capability, as the connection's owner would; other
    /// processes present the same ones, and the store lets exactly one consume each.
    func answerRequests(at now: Instant) throws(RecoveryStoreError) {
        for request in try world.openRequests() {
            let index = Int(request.connection.dropFirst("conn-".count)) ?? 0
            let grant = PendingGrant(id: "grant-\(request.caseID)-p\(options.process)", connection: ConnectionID(request.connection),
                                     identity: StressWorker.identity(index))
            // A reconnect rotates the generation too: it takes the refresh lock shared, as a broker
            // serializes one connection's credential, so a refresh under way is not overtaken
            // (the engine would survive it, the token pair would not), while reconnects still race.
            try world.lockRefresh(request.connection, shared: true)
            do {
                _ = try engine.presentReconnect(capabilityValue: request.value, grant: grant, at: now)
            } catch {
                try? world.unlockRefresh(request.connection, shared: true)
                throw error
            }
            try world.unlockRefresh(request.connection, shared: true)
        }
    }
}

/// A run's own virtual clock: each attempt starts a minute after the last; each call takes a second.
struct RunClock {
    var now: Instant

    init(attempt: Int) { now = Instant(milliseconds: Int64(attempt) * 60_000) }

    mutating func tick() -> Instant {
        now = Instant(milliseconds: now.milliseconds + 1_000)
        return now
    }

    mutating func advance(to instant: Instant) { if instant > now { now = instant } }
}

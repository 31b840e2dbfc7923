#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary

/// What `stress` tells each worker process (its command line is internal, never typed by people).
struct StressWorkerOptions {
    var store = ""
    var libpq: String?
    var play: Int64 = 0
    var process = 0
    var incarnation = 0
    var runs: [Int] = []
    var seed: UInt64 = 1
    var connections = 3
    var dieAfter: Int?
    var jsonl = ""
    var plantSplit = false
    #if REVIVE_PLANTED_BUGS
    /// The planted `unlocked-refresh` (debug builds only).
    var plantUnlockedRefresh = false
    #endif
    #if REVIVE_PLANTED_BUGS
    /// The planted engine bugs every scenario play runs with (debug builds only).
    var plantedBugs: Set<PlantedBug> = []
    #endif
    /// The file that lists the scenario workload's files (nil: the contention workload).
    var scenarios: String?
    /// How many runs the whole stress play has (the scenario workload's final pass waits for them all).
    var total = 0

    /// The arguments `stress` passes, in `--name value` pairs.
    init(_ arguments: [String]) throws(UsageError) {
        var pairs: [String: String] = [:]
        var index = 0
        while index + 1 < arguments.count {
            pairs[arguments[index]] = arguments[index + 1]
            index += 2
        }
        guard let store = pairs["--store"], let play = pairs["--play"].flatMap(Int64.init), let jsonl = pairs["--jsonl"] else {
            throw UsageError(command: "stress-worker", text: "is started by `revive-lab stress`, not by hand")
        }
        self.store = store
        self.play = play
        self.jsonl = jsonl
        libpq = pairs["--libpq"]
        process = pairs["--process"].flatMap(Int.init) ?? 0
        incarnation = pairs["--incarnation"].flatMap(Int.init) ?? 0
        runs = (pairs["--runs"] ?? "").split(separator: ",").compactMap { Int($0) }
        seed = pairs["--seed"].flatMap(UInt64.init) ?? 1
        connections = pairs["--connections"].flatMap(Int.init) ?? 3
        dieAfter = pairs["--die-after"].flatMap(Int.init)
        #if REVIVE_PLANTED_BUGS
        plantSplit = pairs["--plant"] == StorePlantedBug.splitConsumption.rawValue
        plantUnlockedRefresh = pairs["--plant"] == StorePlantedBug.unlockedRefresh.rawValue
        plantedBugs = Set([pairs["--plant"].flatMap(PlantedBug.init(rawValue:))].compactMap { $0 })
        #endif
        scenarios = pairs["--scenarios"]
        total = pairs["--total"].flatMap(Int.init) ?? 0
    }
}

extension StressWorker {
    /// The hidden subcommand's entry: 0 when its runs are played, 2 on a store error.
    static func main(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        do {
            let options = try StressWorkerOptions(arguments)
            if let list = options.scenarios {
                try StressScenarioWorker(options, scenarioList: list).play()
            } else {
                try StressWorker(options).play()
            }
            return .passed
        } catch let error as UsageError {
            console.err(error.message)
        } catch {
            console.err("error: stress worker: \(error)\n")
        }
        return .usage
    }
}

/// The provider side of refreshing, reconnecting and installing grants, on the shared database.
///
/// Refresh is single-flight across processes: the connection's refresh lock is taken before
/// anything is read, and kept until the engine has committed the rotation. A process that finds
/// the generation already rotated under the lock (it lost the race) makes no call: it answers
/// `invalid_refresh_token`, which the engine, seeing the newer generation, classifies as a stale
/// lease and reloads, never as a dead grant.
final class StressBroker: CredentialBroker {
    let world: StressWorld
    let process: Int
    private var held: String?

    init(world: StressWorld, process: Int) {
        self.world = world
        self.process = process
    }

    static let alreadyRotated = ProviderSignal(status: 400, error: "invalid_refresh_token", description: "refresh token already used")

    func refresh(_ connection: ConnectionID, generation: LeaseGeneration, rotatingTo next: LeaseGeneration) -> ProviderSignal? {
        let name = connection.rawValue
        return StressBroker.orExit { () throws(RecoveryStoreError) -> ProviderSignal? in
            try world.lockRefresh(name)
            if try world.committedGeneration(name) > generation.value {
                try world.logRefresh(name, generation: generation.value, process: process, outcome: "reread")
                try world.unlockRefresh(name)
                return StressBroker.alreadyRotated
            }
            guard try world.redeem(name, generation: generation.value) else {
                // Redeemed by a process killed before it recorded the rotation: the token is gone.
                try world.logRefresh(name, generation: generation.value, process: process, outcome: "winner-died")
                try world.unlockRefresh(name)
                return StressBroker.alreadyRotated
            }
            try world.logRefresh(name, generation: generation.value, process: process, outcome: "won")
            try world.issueToken(name, generation: next.value)
            held = name
            return nil
        }
    }

    /// Frees a refresh lock once the engine has committed the decision after the refresh.
    func releaseAfterCommit() {
        guard let name = held else { return }
        held = nil
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.unlockRefresh(name) }
    }

    func install(_ grant: PendingGrant, generation: LeaseGeneration) {
        StressBroker.orExit { () throws(RecoveryStoreError) in try world.issueToken(grant.connection.rawValue, generation: generation.value) }
    }

    func discard(_ grant: PendingGrant) {}

    /// The broker's calls cannot throw: a store error here ends the worker with exit 2.
    @discardableResult
    static func orExit<T>(_ body: () throws(RecoveryStoreError) -> T) -> T {
        do throws(RecoveryStoreError) { return try body() } catch {
            fail("\(error)")
        }
    }

    /// Ends the worker with exit 2, saying why on standard error.
    static func fail(_ message: String) -> Never {
        _ = Descriptor.writeAll("error: stress worker: \(message)\n", to: STDERR_FILENO)
        exit(2)
    }

    /// Appends `text` to a worker's JSONL file; a failed write ends the worker (exit 2), since a
    /// timeline cut short would be judged as if the play had stopped there.
    static func write(_ text: String, to file: OutputFile) {
        file.write(text)
        if let error = file.failure { fail("cannot write \(file.path): \(FileSystem.describe(error))") }
    }
}

/// Ids and secrets unique to one incarnation of one process, so no two processes ever mint the same.
final class StressIDs: IdentifierSource {
    let tag: String
    private var count = 0
    private var draw: SeededDraw

    init(tag: String, seed: UInt64) {
        self.tag = tag
        draw = SeededDraw(seed, tag, 0, 0)
    }

    func nextID(prefix: String) -> String {
        count += 1
        return "\(prefix)\(tag)n\(count)"
    }

    func nextSecret(prefix: String) -> String {
        count += 1
        return "\(prefix)\(tag)n\(count)_\(String(draw.next(), radix: 16))"
    }
}

/// A small deterministic generator (SplitMix64) keyed by the seed and a place in the stress play.
struct SeededDraw {
    private var state: UInt64

    init(_ seed: UInt64, _ name: String, _ a: Int, _ b: Int) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in "\(name)|\(a)|\(b)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Writes each committed transition as one JSONL line at once, so a SIGKILL loses none of them.
final class JSONLRecorder: TransitionRecorder {
    private let file: OutputFile
    private var sequence = 0

    init(path: String) throws(RecoveryStoreError) {
        guard let file = OutputFile(creatingAt: path) else {
            throw RecoveryStoreError(code: .unavailable, message: "cannot write \(path)")
        }
        self.file = file
    }

    func record(_ transition: consuming Transition) {
        StressBroker.write(TimelineJSON.object(for: transition, sequence: sequence).compactText + "\n", to: file)
        sequence += 1
    }

    func flush() { file.synchronize() }
}

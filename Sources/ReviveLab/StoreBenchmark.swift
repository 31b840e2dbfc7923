#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveExplore
import ReviveStore
import ReviveWorld

/// `bench --store FILE`: engine decisions per second on the SQLite store beside the in-memory
/// store, and SQLite's raw single-row insert rate at the same settings, measured in one run.
enum StoreBenchmark {
    /// Counts the decisions (transactions) the engine runs on the store it wraps.
    final class CountingStore: RecoveryStore {
        let inner: RecoveryStore
        private(set) var decisions = 0

        init(_ inner: RecoveryStore) { self.inner = inner }

        func transaction<T>(_ body: (RecoveryStoreTransaction) throws(RecoveryStoreError) -> T) throws(RecoveryStoreError) -> T {
            decisions += 1
            return try inner.transaction(body)
        }
    }

    /// Runs the three measurements and prints them; false (after saying why) when the file cannot be used.
    static func run(_ scenarios: [Scenario], path: String, repetitions: Int, console: LabCommand.Console) -> Bool {
        guard !FileSystem.exists(path) else {
            console.err("error: --store \(path): the file exists; bench writes a fresh store, so name a file that does not exist yet\n")
            return false
        }
        do throws(RecoveryStoreError) {
            let file = try SQLiteStoreFile(path: path)
            let memory = measure(scenarios, repetitions: repetitions, console: console) { CountingStore(InMemoryRecoveryStore()) }
            var failure: RecoveryStoreError?
            let sqlite = measure(scenarios, repetitions: max(1, repetitions / 10), console: console) {
                do throws(RecoveryStoreError) {
                    return CountingStore(try file.beginPlay(scenario: "bench", seed: 0, mode: "revive"))
                } catch {
                    failure = failure ?? error
                    return CountingStore(InMemoryRecoveryStore())
                }
            }
            if let failure { throw failure }
            let raw = try rawInserts(in: file, count: max(200, sqlite.decisions), console: console)
            console.out("store (\(path), WAL, synchronous=FULL)\n")
            console.out("  in memory       \(rate(memory.decisions, memory.seconds)) decisions/s (\(memory.decisions) decisions)\n")
            console.out("  SQLite          \(rate(sqlite.decisions, sqlite.seconds)) decisions/s (\(sqlite.decisions) decisions, one transaction each)\n")
            console.out("  raw SQLite      \(rate(raw.count, raw.seconds)) single-row inserts/s (one transaction each)\n")
            let ratio = (Double(sqlite.decisions) / sqlite.seconds) / (Double(raw.count) / raw.seconds)
            console.out("  ratio           \(Decimal.fixed(ratio, places: 2)) of the raw insert rate (goal: at least 0.50)\n")
            return true
        } catch {
            console.err("error: --store \(path): \(error)\n")
            return false
        }
    }

    /// Plays the catalogue `repetitions` times, each play on a store `make` returns.
    /// The time is the console's clock, as every figure of `bench` is: the command line owns the clock.
    static func measure(_ scenarios: [Scenario], repetitions: Int, console: LabCommand.Console,
                        _ make: () -> CountingStore) -> (decisions: Int, seconds: Double) {
        var decisions = 0
        let start = console.monotonicSeconds()
        for _ in 0..<repetitions {
            for scenario in scenarios {
                let store = make()
                _ = ScenarioPlayer.play(scenario, store: store)
                decisions += store.decisions
            }
        }
        return (decisions, console.monotonicSeconds() - start)
    }

    /// Inserts `count` single rows, each in its own transaction, into a scratch table of the file.
    static func rawInserts(in file: SQLiteStoreFile, count: Int,
                           console: LabCommand.Console) throws(RecoveryStoreError) -> (count: Int, seconds: Double) {
        let database = file.rawDatabase
        let start = console.monotonicSeconds()
        do throws(SQLiteError) {
            try database.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
            for index in 0..<count {
                try database.query("INSERT INTO bench_raw (value) VALUES (?)", [.text("row \(index) of the raw insert benchmark")])
            }
            try database.execute("DROP TABLE bench_raw")
        } catch {
            throw SQLiteStoreFile.storeError(error, path: file.path, doing: "the raw insert benchmark")
        }
        return (count, console.monotonicSeconds() - start)
    }

    static func rate(_ count: Int, _ seconds: Double) -> String {
        Decimal.fixed(seconds > 0 ? Double(count) / seconds : 0, places: 0, width: 10)
    }
}

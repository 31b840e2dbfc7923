import ReviveExplore

/// The results of this process's last `run`, held until the next `run` replaces them.
///
/// `run` keeps every result until its summary and JUnit report are written: each passed play's
/// scenario with its parsed document, each failed play whole. Freed when `run` returned, object
/// by object, they cost 1.04 M instructions of a cold `run scenarios` (29 M), spent right before
/// the process exits, which hands all of its memory back at once. Held here instead, a process
/// that runs once never frees them one by one, and one that runs many times (the tests) frees
/// each run's results when the next run ends, so it never holds more than one run's. The run's
/// peak memory is the same either way: the results were held to the end of `run` already.
enum LastRunResults {
    /// Guards `kept`: the tests run `run` on several threads at once.
    private static let lock = Condition()
    /// The last run's results (see the type).
    nonisolated(unsafe) private static var kept: [ScenarioResult] = []

    /// Holds `results` in place of the last run's, which are freed here, outside the lock.
    static func hold(_ results: [ScenarioResult]) {
        var previous = results
        lock.lock()
        swap(&previous, &kept)
        lock.unlock()
        // `previous` (the run before's results) is released as it goes out of scope.
    }
}

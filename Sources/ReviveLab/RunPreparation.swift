import ReviveExplore
import ReviveWorld

/// What `run`'s worker threads do ahead of the report: load, play, filter and render.
extension RunSession {
    /// One scenario file as a worker thread prepares it.
    struct Prepared {
        /// The file loaded with the command line's seed and planted bugs, or why it did not load;
        /// nil when it was played: the scenario is then moved into `result` rather than held
        /// twice (its copy into the result, and its release here, cost some 1,000 instructions).
        /// Boxed, so that a `Prepared` is a few words: it is moved from the worker that made it
        /// to the report, and a scenario held in line was copied byte by byte at every move.
        var scenario: Loaded?
        /// A loaded scenario, or why it did not load (see `scenario`).
        final class Loaded {
            let value: Result<Scenario, InputError>
            init(_ value: Result<Scenario, InputError>) { self.value = value }
        }
        /// The play in memory (nil: the report plays it on the store, or refuses it unplayed).
        var result: ScenarioResult?
        /// The transitions `--only` shows (nil: all).
        var shown: [Int]?
        /// The text timeline, when it is printed on standard output and short enough to hold: its
        /// UTF-8 bytes, written out as they are (`LabCommand.Console.write`).
        var text: [UInt8]?
    }

    /// Timelines longer than this are not rendered ahead but streamed by the report in pieces,
    /// so a very long run's text (25 MB for 240,000 transitions) is never held whole.
    static let longestRenderedAhead = 20_000

    /// Loads `file` and, when `play`, plays it in memory, picks what `--only` shows and renders
    /// a text timeline bound for standard output. Touches nothing shared: it runs on the worker
    /// threads of `run`, and the report prints in file order.
    static func prepare(_ file: String, options: RunCommand.Options, play: Bool) -> Prepared {
        let scenario: Scenario
        do { scenario = try load(file, options: options) } catch {
            return Prepared(scenario: Prepared.Loaded(.failure(error)))
        }
        // A scenario the chosen format cannot show is refused by the report, unplayed.
        guard play, HistoryExport.mismatch(options.format, scenario) == nil else { return Prepared(scenario: Prepared.Loaded(.success(scenario))) }
        // Moved into the result (see `Prepared.scenario`).
        var result = ScenarioPlayer.play(consume scenario, mode: options.mode)
        let shown = shown(in: result, by: options.filter)
        var text: [UInt8]?
        if options.format == .text, options.output == nil, !(options.quiet && result.passed),
           result.transitions.count <= longestRenderedAhead {
            text = TextRenderer(color: options.color).renderBytes(result, showing: shown)
            // Rendered, a passed play's timeline is read no more (the report prints the text and
            // keeps the verdict; see `RunSession.report`), so it is let go here, on the thread
            // that built it: freed into the heap it came from, not by the report's thread
            // through another thread's allocator, and off the report's path.
            if result.passed { result.transitions = [] }
        }
        return Prepared(scenario: nil, result: result, shown: shown, text: text)
    }

    /// `file` loaded with the command line's seed and planted bugs.
    static func load(_ file: String, options: RunCommand.Options) throws(InputError) -> Scenario {
        var scenario = try ScenarioLoader.load(path: file)
        if let seed = options.seed { scenario.seed = seed }
        #if REVIVE_PLANTED_BUGS
        scenario.recovery.plantedBugs = options.plantedBugs
        #endif
        return scenario
    }

    /// The indexes of the transitions `filter` matches, or nil when it matches everything.
    static func shown(in result: ScenarioResult, by filter: TransitionFilter) -> [Int]? {
        filter.isEmpty ? nil : result.transitions.indices.filter { filter.matches(result.transitions[$0]) }
    }
}

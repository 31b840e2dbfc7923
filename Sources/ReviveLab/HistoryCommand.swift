#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveStore
import ReviveVocabulary
import ReviveWorld

/// `revive-lab history`: list and search the plays kept in a store file.
enum HistoryCommand {
    static let usage = """
    Usage: revive-lab history --store FILE|URL [--play N] [--run ID] [--connection ID] [--case ID]
                              [--class CLASS] [--name NAME] [--since +TIME] [--until +TIME]
                              [--format text|jsonl]

    Reads the store (a SQLite file or a postgres:// URL) that `run --store` wrote. With no search option it lists the plays:
    id, scenario, seed, runs, transitions, outcome and verdict. With any, it prints every matching
    transition of every play (all the options must match):
      --play N          one play, by the id the list shows
      --run ID          transitions of that run (a run id may recur in several plays)
      --connection ID   transitions about that connection
      --case ID         transitions of that recovery case
      --class CLASS     transitions with that failure class (dead_grant, transient, ...)
      --name NAME       transitions with that name, or a glob of names (lease.*, case.*)
      --since +TIME     at or after that virtual time (+90s, +2h)
      --until +TIME     at or before that virtual time
      --format F        text (default) or jsonl: the whole JSONL record of every play that has a
                        matching transition, as `run --format jsonl` wrote it, so `check` and
                        `replay` take it
    The store's tables are documented in docs/store.md for querying with `sqlite3`.

    Exit codes: 0 done (also when nothing matched), 2 usage or input error (a missing or damaged store file).

    """

    enum Format: String, CaseIterable { case text, jsonl }

    static let syntax = CommandSyntax(command: "history", usage: usage, options: [
        .value("--store", needs: "a store file"),
        .number("--play", in: 1...Int.max),
        .value("--run", needs: "a run id"),
        .value("--connection", needs: "a connection id"),
        .value("--case", needs: "a case id"),
        .choice("--class", of: FailureClass.self),
        .value("--name", needs: "a transition name or glob"),
        .value("--since", needs: "a virtual time like +90s"),
        .value("--until", needs: "a virtual time like +2h"),
        .choice("--format", of: Format.self),
    ], positionals: .none(tooMany: "takes no paths; name the store file with --store FILE"))

    /// What the command line asked for.
    struct Options {
        var store: String
        var query = HistoryQuery()
        var format: Format

        init(_ parsed: ParsedArguments) throws(UsageError) {
            guard let store = parsed.value("--store") else {
                throw HistoryCommand.syntax.error("name the store file with --store FILE (written by `revive-lab run ... --store FILE`)")
            }
            self.store = store
            format = parsed.choice("--format", as: Format.self) ?? .text
            query.play = parsed.number("--play").map(Int64.init)
            query.run = parsed.value("--run")
            query.connection = parsed.value("--connection")
            query.caseID = parsed.value("--case")
            query.failureClass = parsed.choice("--class", as: FailureClass.self)?.rawValue
            if let name = parsed.value("--name") {
                guard name.contains("*") || name.contains("?") || TransitionName(rawValue: name).isRecognized else {
                    throw HistoryCommand.syntax.error("--name: \"\(name)\" is not a transition name; give a name or a glob like lease.*")
                }
                query.name = name
            }
            query.since = try Options.instant(parsed.value("--since"), option: "--since")
            query.until = try Options.instant(parsed.value("--until"), option: "--until")
        }

        static func instant(_ text: String?, option: String) throws(UsageError) -> Instant? {
            guard let text else { return nil }
            guard text.hasPrefix("+"), let span = DurationText.parse(String(text.dropFirst())) else {
                throw HistoryCommand.syntax.error("\(option): \"\(text)\" is not a virtual time; write it like +90s, +15m or +2h")
            }
            return Instant.zero.advanced(by: span)
        }
    }

    static func run(_ arguments: [String], console: LabCommand.Console) -> LabCommand.ExitCode {
        switch syntax.options(from: arguments, console: console, Options.init) {
        case .done(let code): return code
        case .proceed(let options): return show(options, console: console)
        }
    }

    /// Lists the plays, or prints what the search found.
    static func show(_ options: Options, console: LabCommand.Console) -> LabCommand.ExitCode {
        guard PostgresURL.isPostgres(options.store) || FileSystem.exists(options.store) else {
            console.err("error: --store \(options.store): no such store file; write one with `revive-lab run scenarios --store \(options.store)`\n")
            return .usage
        }
        do throws(RecoveryStoreError) {
            let file = try PlayStores.open(options.store, libpqPath: console.environment["REVIVE_LIBPQ"])
            if options.query.isEmpty && options.format == .text {
                console.out(listing(try file.plays()))
            } else {
                let found = try file.history(options.query)
                console.out(options.format == .text ? text(found) : try jsonl(found, in: file))
            }
            return .passed
        } catch {
            console.err("error: --store \(options.store): \(error)\n")
            return .usage
        }
    }

    static func listing(_ plays: [StoredPlay]) -> String {
        guard !plays.isEmpty else { return "no plays yet; `revive-lab run PATH --store FILE` keeps them\n" }
        let scenarioWidth = max(9, plays.map(\.scenario.count).max() ?? 0) + 2
        let runsWidth = max(5, plays.map { $0.runs.joined(separator: ",").count }.max() ?? 0) + 2
        var out = pad("play", 6) + pad("scenario", scenarioWidth) + pad("seed", 6) + pad("runs", runsWidth)
            + pad("transitions", 13) + pad("outcome", 11) + "verdict\n"
        for play in plays {
            let verdict = play.passed.map { $0 ? "PASS" : "FAIL" } ?? "unfinished"
            out += pad(String(play.id), 6) + pad(play.scenario, scenarioWidth) + pad(String(play.seed), 6)
                + pad(play.runs.joined(separator: ","), runsWidth) + pad(String(play.transitions), 13)
                + pad(play.outcome ?? "-", 11) + verdict + "\n"
        }
        return out
    }

    static func text(_ found: [(play: Int64, seq: Int, transition: Transition)]) -> String {
        guard !found.isEmpty else { return "no transition matches\n" }
        let renderer = TextRenderer(color: false)
        let width = max(9, found.map(\.transition.actor.rawValue.count).max() ?? 0)
        return found.map { "play \($0.play)  #\($0.seq)  " + renderer.line($0.transition, vocabulary: .neutral, actorWidth: width) + "\n" }.joined()
    }

    /// The whole record of every play with a match, in play order.
    static func jsonl(_ found: [(play: Int64, seq: Int, transition: Transition)], in file: PlayStore) throws(RecoveryStoreError) -> String {
        var plays: [Int64] = []
        for match in found where plays.last != match.play { plays.append(match.play) }
        var out = ""
        for play in plays { out += try file.jsonl(of: play) ?? "" }
        return out
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

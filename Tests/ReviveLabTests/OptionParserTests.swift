import Foundation
import Testing
@testable import ReviveLab

/// The one option parser every command reads its command line with.
struct OptionParserTests {
    enum Shade: String, CaseIterable { case light, dark }

    /// A grammar with one option of every kind.
    static let demo = CommandSyntax(
        command: "demo", usage: "Usage: revive-lab demo FILE...\n",
        options: [
            .number("--jobs", in: 1...64),
            .number("--seed", in: 0...UInt64.max),
            .value("--out", needs: "a directory"),
            .value("--only", needs: "a pattern", repeatable: true),
            .choice("--shade", of: Shade.self),
            .flag("--quiet", aliases: ["-q"]),
        ],
        positionals: .oneOrMore(missing: "name at least one file"))

    static func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments? {
        try demo.parse(arguments)
    }

    /// The text of the usage error the arguments cause, or nil when they parse.
    static func problem(_ arguments: [String]) -> String? {
        do { _ = try parse(arguments) } catch { return error.text }
        return nil
    }

    @Test(arguments: [
        (["--jobs", "4", "a"], ["--jobs=4", "a"]),
        (["a", "--out", "dir"], ["a", "--out=dir"]),
        (["--shade", "dark", "a"], ["--shade=dark", "a"]),
        (["--seed", "18446744073709551615", "a"], ["--seed=18446744073709551615", "a"]),
        (["--only", "step=x", "a"], ["--only=step=x", "a"]),
    ])
    func spacedAndInlineValuesAreTheSame(_ spaced: [String], _ inline: [String]) throws {
        let one = try #require(try OptionParserTests.parse(spaced))
        let other = try #require(try OptionParserTests.parse(inline))
        #expect(one == other)
        #expect(one.positionals == ["a"])
    }

    @Test func valuesAreTyped() throws {
        let parsed = try #require(try OptionParserTests.parse(["a", "--jobs=8", "--seed", "7", "--shade=light", "-q", "--only=x=y", "b"]))
        #expect(parsed.number("--jobs") == 8)
        #expect(parsed.number("--seed", as: UInt64.self) == 7)
        #expect(parsed.choice("--shade", as: Shade.self) == .light)
        #expect(parsed.isSet("--quiet"), "an alias counts as the option")
        #expect(parsed.values("--only") == ["x=y"], "only the first = splits")
        #expect(parsed.positionals == ["a", "b"])
        #expect(!parsed.isSet("--out") && parsed.value("--out") == nil)
    }

    @Test(arguments: [["a", "--out"], ["a", "--out="], ["a", "--out", ""], ["--jobs"], ["a", "--shade"]])
    func aMissingValueIsAnError(_ arguments: [String]) {
        let flag = arguments.first { $0.hasPrefix("--") }!.split(separator: "=").first.map(String.init)!
        #expect(OptionParserTests.problem(arguments)?.hasPrefix("\(flag) needs ") == true, "\(arguments)")
    }

    @Test func theMissingValueSaysWhatItNeeds() {
        #expect(OptionParserTests.problem(["a", "--out"]) == "--out needs a directory")
        #expect(OptionParserTests.problem(["a", "--shade", "grey"]) == "--shade needs one of light, dark")
    }

    @Test func aValueStartingWithADashIsStillTheValue() {
        #expect(OptionParserTests.problem(["a", "--jobs", "-1"]) == "--jobs needs a whole number from 1 to 64")
        #expect(OptionParserTests.problem(["a", "--seed", "-1"]) == "--seed needs a whole number from 0 to 18446744073709551615")
    }

    @Test(arguments: [["a", "--quiet=yes"], ["a", "-q=1"], ["a", "--quiet="]])
    func aValueOnAFlagIsAnError(_ arguments: [String]) {
        let flag = String(arguments[1].split(separator: "=", omittingEmptySubsequences: false)[0])
        #expect(OptionParserTests.problem(arguments) == "\(flag) takes no value")
    }

    @Test func anUnknownOptionHasTheSharedMessage() throws {
        let error = #expect(throws: UsageError.self) { try OptionParserTests.parse(["a", "--x"]) }
        #expect(error?.message == "revive-lab demo: unknown option \"--x\"; run `revive-lab demo --help`\n")
        #expect(OptionParserTests.problem(["-x", "a"]) == "unknown option \"-x\"; run `revive-lab demo --help`")
        #expect(OptionParserTests.problem(["a", "--colour=never"]) == "unknown option \"--colour=never\"; run `revive-lab demo --help`")
    }

    @Test func repeatableOptionsKeepEveryValueInOrder() throws {
        let parsed = try #require(try OptionParserTests.parse(["--only", "a", "f", "--only=b", "--only", "c"]))
        #expect(parsed.values("--only") == ["a", "b", "c"])
        #expect(parsed.positionals == ["f"])
    }

    @Test func otherOptionsMayBeGivenOnce() throws {
        #expect(OptionParserTests.problem(["a", "--jobs", "2", "--jobs=3"]) == "--jobs may be given only once")
        #expect(OptionParserTests.problem(["a", "--out", "x", "--out", "x"]) == "--out may be given only once")
        let flags = try #require(try OptionParserTests.parse(["a", "--quiet", "-q"]))
        #expect(flags.isSet("--quiet"), "a flag repeated says the same thing again")
    }

    @Test(arguments: [["0"], ["65"], ["abc"], ["1.5"], ["+"], ["99999999999999999999999"]])
    func numbersOutOfRangeAreErrors(_ value: [String]) {
        #expect(OptionParserTests.problem(["a", "--jobs"] + value) == "--jobs needs a whole number from 1 to 64")
        #expect(OptionParserTests.problem(["a", "--jobs=\(value[0])"]) == "--jobs needs a whole number from 1 to 64")
    }

    @Test func theRangeEndsAreAccepted() throws {
        #expect(try OptionParserTests.parse(["a", "--jobs", "1"])?.number("--jobs") == 1)
        #expect(try OptionParserTests.parse(["a", "--jobs", "64"])?.number("--jobs") == 64)
        #expect(try OptionParserTests.parse(["a", "--seed=0"])?.number("--seed", as: UInt64.self) == 0)
        #expect(OptionParserTests.problem(["a", "--seed=18446744073709551616"]) == "--seed needs a whole number from 0 to 18446744073709551615")
    }

    @Test func doubleDashEndsTheOptions() throws {
        let parsed = try #require(try OptionParserTests.parse(["--quiet", "a", "--", "--jobs", "-x", "--", "-h"]))
        #expect(parsed.positionals == ["a", "--jobs", "-x", "--", "-h"])
        #expect(parsed.isSet("--quiet"))
        #expect(!parsed.isSet("--jobs"))
        #expect(try OptionParserTests.parse(["--", "-"])?.positionals == ["-"])
    }

    @Test func aLoneDashIsPositional() throws {
        #expect(try OptionParserTests.parse(["-"])?.positionals == ["-"])
    }

    @Test(arguments: [["-h"], ["--help"], ["a", "--jobs", "3", "--help"], ["--quiet", "-h", "--bogus"]])
    func helpIsAskedForEverywhere(_ arguments: [String]) throws {
        #expect(try OptionParserTests.parse(arguments) == nil)
    }

    @Test func helpTakesNoValue() {
        #expect(OptionParserTests.problem(["--help=yes"]) == "--help takes no value")
    }

    @Test func positionalCountsAreChecked() {
        #expect(OptionParserTests.problem([]) == "name at least one file")
        #expect(OptionParserTests.problem(["--quiet"]) == "name at least one file")
        let one = CommandSyntax(command: "one", usage: "", options: [],
                                positionals: .exactlyOne(missing: "name a file", tooMany: "one file at a time"))
        #expect(throws: UsageError(command: "one", text: "name a file")) { try one.parse([]) }
        #expect(throws: UsageError(command: "one", text: "one file at a time")) { try one.parse(["a", "b"]) }
        let none = CommandSyntax(command: "none", usage: "", options: [], positionals: .none(tooMany: "takes no arguments"))
        #expect(throws: UsageError(command: "none", text: "takes no arguments")) { try none.parse(["a"]) }
    }
}

/// The parser as the commands use it, through `LabCommand.main` with a console that keeps the output.
struct OptionParserCommandTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// What one call of the command line printed and returned.
    final class Captured {
        var out = ""
        var err = ""
        var status: Int32 = -1
    }

    static func run(_ arguments: [String], stdin: String? = nil) -> Captured {
        let captured = Captured()
        let console = LabCommand.Console(out: { captured.out += $0 }, err: { captured.err += $0 }, isTerminal: false,
                                         environment: [:], readStandardInput: { stdin.map { Array($0.utf8) } })
        captured.status = LabCommand.main(arguments: arguments, console: console)
        return captured
    }

    static func scenario(_ name: String) -> String { root.appendingPathComponent("scenarios/\(name).json").path }

    static let commands = ["run", "validate", "schema", "check", "replay", "compare", "explore", "bench", "classify"]

    @Test(arguments: OptionParserCommandTests.commands)
    func everyCommandPrintsItsHelp(_ command: String) {
        for flag in ["-h", "--help"] {
            let result = OptionParserCommandTests.run([command, flag])
            #expect(result.status == 0, "\(command) \(flag): \(result.err)")
            #expect(result.err.isEmpty)
            #expect(result.out.hasPrefix("Usage: revive-lab "))
            #expect(result.out.contains("revive-lab \(command)"))
        }
    }

    @Test(arguments: OptionParserCommandTests.commands)
    func everyCommandWordsAnUnknownOptionTheSameWay(_ command: String) {
        let result = OptionParserCommandTests.run([command, "--x"])
        #expect(result.status == 2)
        #expect(result.out.isEmpty)
        #expect(result.err == "revive-lab \(command): unknown option \"--x\"; run `revive-lab \(command) --help`\n")
    }

    @Test func checkRefusesAValueOnItsFlag() {
        let result = OptionParserCommandTests.run(["check", "--no-color=yes", "out/timeline.jsonl"])
        #expect(result.status == 2)
        #expect(result.out.isEmpty)
        #expect(result.err == "revive-lab check: --no-color takes no value\n")
    }

    @Test func exploreTakesInlineValues() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("revive-lab-options-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let file = OptionParserCommandTests.scenario("revoked-grant")
        let result = OptionParserCommandTests.run(["explore", file, "--seeds=3", "--seed-from=5", "--jobs=1", "--out=\(out)"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.hasPrefix("explore revoked-grant (\(file)): fuzz, 3 seeds from 5, jobs 1\n"), "\(result.out)")
        #expect(result.out.contains("  schedules played    3\n"), "\(result.out)")
    }

    @Test(arguments: [["explore", "x.json", "--seeds=0"], ["explore", "x.json", "--seeds", "0"]])
    func exploreNumbersOutOfRangeUseTheNumberMessage(_ arguments: [String]) {
        let result = OptionParserCommandTests.run(arguments)
        #expect(result.status == 2)
        #expect(result.err == "revive-lab explore: --seeds needs a whole number from 1 to 10000000\n")
    }

    @Test func classifyTakesAnInlineChoice() {
        let result = OptionParserCommandTests.run(["classify", "--provider=google", "--json"],
                                                  stdin: #"{"status":400,"body":{"error":"invalid_grant"}}"#)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains(#""provider":"google""#), "\(result.out)")
        let bad = OptionParserCommandTests.run(["classify", "-", "--provider=yahoo"], stdin: "{}")
        #expect(bad.status == 2)
        #expect(bad.err == "revive-lab classify: --provider needs one of microsoft, google, slack, github, salesforce, generic\n")
    }

    @Test func runAndCompareWordABadSeedAlike() {
        for command in ["run", "compare"] {
            let result = OptionParserCommandTests.run([command, "scenarios", "--seed=abc"])
            #expect(result.status == 2)
            #expect(result.err == "revive-lab \(command): --seed needs a whole number from 0 to 18446744073709551615\n")
        }
    }

    @Test func doubleDashEndsTheOptionsOfAnyCommand() {
        let file = OptionParserCommandTests.scenario("transient-503")
        let result = OptionParserCommandTests.run(["validate", "--", file])
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines.first == "\(file): valid" && lines.last == "1 valid, 0 invalid", "\(result.out)")
        #expect(lines.dropFirst().first?.hasPrefix("  format 1 defaults ") == true, "\(result.out)")
    }

    @Test func tooManyPositionalsAreUsageErrors() {
        let bench = OptionParserCommandTests.run(["bench", "a", "b"])
        #expect(bench.status == 2)
        #expect(bench.err == "revive-lab bench: give one directory of scenarios\n")
        let schema = OptionParserCommandTests.run(["schema", "scenarios"])
        #expect(schema.status == 2)
        #expect(schema.err == "revive-lab schema: takes no arguments\n")
    }
}

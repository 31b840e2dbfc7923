import Foundation
import Testing
@testable import ReviveLab

/// Every command's options are in the top-level help and in its own; each command's help and
/// errors speak of that command.
struct HelpTests {
    @Test(arguments: LabCommand.syntaxes.map(\.command))
    func everyOptionIsInTheTopLevelHelpAndTheCommandsOwn(_ command: String) throws {
        let syntax = try #require(LabCommand.syntaxes.first { $0.command == command })
        for option in syntax.options {
            #expect(syntax.usage.contains(option.name), "`\(command) --help` lacks \(option.name)")
            #expect(LabCommand.usage.contains(option.name), "`revive-lab --help` lacks \(command)'s \(option.name)")
        }
        let synopsis = LabCommand.usage.split(separator: "\n").first { $0.hasPrefix("  revive-lab \(command) ") || $0 == "  revive-lab \(command)" }
        let line = try #require(synopsis, "`revive-lab --help` has no synopsis for \(command)")
        for option in syntax.options where !["--plant"].contains(option.name) {
            #expect(line.contains(option.name), "the synopsis of \(command) lacks \(option.name)")
        }
    }

    @Test(arguments: LabCommand.syntaxes.map(\.command))
    func eachCommandsHelpIsItsOwn(_ command: String) {
        let result = OptionParserCommandTests.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("Usage: revive-lab \(command)"), "\(command) --help prints: \(result.out.prefix(60))")
    }

    @Test func aReleaseBuildSaysPlantExistsOnlyInDebugBuilds() {
        // The release build's answer to --plant (this test runs in a debug build, which has the option;
        // .ci/run asks the release binary itself).
        let message = RunCommand.syntax.plantUnavailable().message
        #expect(message.hasPrefix("revive-lab run: --plant exists only in debug builds"))
        #expect(message.contains("swift build"))
    }

    @Test func benchTakesAFolderWithoutRevokedGrantAndExploresItsFirstScenario() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("revive-lab-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = OptionParserCommandTests.scenario("slow-read-past-timeout")
        try FileManager.default.copyItem(atPath: source, toPath: directory.appendingPathComponent("slow-read-past-timeout.json").path)
        let record = directory.appendingPathComponent("bench.txt").path
        let result = OptionParserCommandTests.run(["bench", directory.path, "--repetitions", "1", "--seeds", "2",
                                                      "--long-run", "10", "--record", record])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("exploration  slow-read-past-timeout, 1 steps"), "\(result.out)")
        let written = try String(contentsOfFile: record, encoding: .utf8)
        #expect(written.hasPrefix("catalogue    1 scenarios x 1: 1 plays, "), "\(written)")
        #expect(result.out.hasSuffix(written), "the record holds the figures as printed")
    }

    @Test func benchSaysWhatIsWrongWithItsInputs() {
        let folder = FileManager.default.temporaryDirectory.path
        let explore = OptionParserCommandTests.run(["bench", OptionParserCommandTests.scenario("slow-read-past-timeout"), "--explore", folder])
        #expect(explore.status == 2)
        #expect(explore.err == "revive-lab bench: --explore needs a scenario file; \(folder) is a directory\n")
        let missing = OptionParserCommandTests.run(["bench", "no-such-folder"])
        #expect(missing.status == 2)
        #expect(missing.err == "error: no-such-folder: no such file or directory\n")
    }

    @Test func classifyErrorsSpeakOfClassifysInput() throws {
        let missingKey = OptionParserCommandTests.run(["classify", "--provider", "google"], stdin: "{\"body\": {}}")
        #expect(missingKey.status == 2)
        #expect(missingKey.err.contains("the README's classify section lists every key"), "\(missingKey.err)")
        #expect(!missingKey.err.contains("scenario"), "\(missingKey.err)")
        let scenario = OptionParserCommandTests.run(["classify", OptionParserCommandTests.scenario("revoked-grant"), "--provider", "microsoft"])
        #expect(scenario.status == 2)
        #expect(scenario.err.split(separator: "\n").count == 1, "one line: \(scenario.err)")
        #expect(scenario.err.contains("this is a scenario file, not a provider failure; classify reads one JSON object like"), "\(scenario.err)")
        let directory = FileManager.default.temporaryDirectory.path
        let folder = OptionParserCommandTests.run(["classify", directory, "--provider", "microsoft"])
        #expect(folder.err == "error: \(directory): this is a directory; classify reads one failure: a JSON file, or - for standard input\n")
    }
}

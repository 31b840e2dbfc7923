import Foundation
import Testing
import ReviveLab

/// The command line's usage: help, version, and every way to call it wrong (exit 2, stdout empty).
struct UsageTests {
    static func expectUsageError(_ result: LabOutput, mentioning fragment: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "exit code: \(result.summary)", sourceLocation: sourceLocation)
        #expect(!result.showsCrash, "\(result.summary)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "nothing is played, nothing on stdout: \(result.summary)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "stderr mentions \(fragment.debugDescription): \(result.summary)",
                sourceLocation: sourceLocation)
    }

    @Test(arguments: ["--help", "-h", "help"])
    func helpPrintsUsageWithTheExitCodes(_ flag: String) throws {
        let result = try Lab.run([flag])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("revive-lab \(LabCommand.version): "))
        for fragment in ["Usage:", "revive-lab run PATH... [--seed N]", "revive-lab --help | --version",
                         "Exit codes:", "0  every scenario passed", "1  at least one scenario broke an expectation or an invariant",
                         "2  usage or input error"] {
            #expect(result.stdout.contains(fragment), "help mentions \(fragment.debugDescription)")
        }
    }

    @Test(arguments: [["run", "--help"], ["run", "-h"], ["run", "scenarios", "--help"]])
    func runHelpPrintsRunUsageWithTheExitCodes(_ arguments: [String]) throws {
        let result = try Lab.run(arguments)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("Usage: revive-lab run PATH... [--seed N]"))
        for fragment in ["--seed N", "--no-color", "-h, --help", "Exit codes: 0 all passed, 1 a scenario failed, 2 usage or input error."] {
            #expect(result.stdout.contains(fragment), "run help mentions \(fragment.debugDescription)")
        }
        #expect(!result.stdoutLines.contains { $0.hasPrefix("== ") }, "help plays nothing")
        #expect(!result.stdoutLines.contains { $0.first?.isNumber == true && $0.hasSuffix(" failed") }, "help prints no summary")
    }

    @Test(arguments: ["--version", "-V"])
    func versionPrintsTheNameAndAVersion(_ flag: String) throws {
        let result = try Lab.run([flag])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == "revive-lab \(LabCommand.version)\n")
        let version = result.stdout.dropFirst("revive-lab ".count).dropLast()
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }, "a dotted version: \(version)")
    }

    @Test func noArgumentsPrintsUsageToStderrAndExitsTwo() throws {
        let result = try Lab.run([])
        UsageTests.expectUsageError(result, mentioning: "Usage:")
        #expect(result.stderr.contains("Exit codes:"))
    }

    @Test func unknownCommandExitsTwo() throws {
        let result = try Lab.run(["play", "scenarios"])
        UsageTests.expectUsageError(result, mentioning: "unknown command \"play\"")
        #expect(result.stderr.contains("revive-lab --help"))
    }

    @Test(arguments: [["run", "--colour", "scenarios"], ["run", "scenarios", "--verbose"], ["run", "-x", "scenarios"]])
    func unknownOptionForRunExitsTwo(_ arguments: [String]) throws {
        let option = arguments.first { $0.hasPrefix("-") }!
        let result = try Lab.run(arguments)
        UsageTests.expectUsageError(result, mentioning: "unknown option \"\(option)\"")
        #expect(result.stderr.contains("revive-lab run --help"))
    }

    @Test(arguments: [["run"], ["run", "--no-color"], ["run", "--seed", "7"]])
    func runWithNoPathsExitsTwo(_ arguments: [String]) throws {
        let result = try Lab.run(arguments)
        UsageTests.expectUsageError(result, mentioning: "name at least one scenario file or directory")
    }

    @Test(arguments: [["run", "scenarios", "--seed", "abc"], ["run", "--seed", "abc", "scenarios"], ["run", "scenarios", "--seed=abc"],
                      ["run", "scenarios", "--seed"], ["run", "scenarios", "--seed", "-1"], ["run", "scenarios", "--seed", "1.5"],
                      ["run", "scenarios", "--seed", "18446744073709551616"]])
    func badSeedExitsTwo(_ arguments: [String]) throws {
        let result = try Lab.run(arguments)
        UsageTests.expectUsageError(result, mentioning: "--seed needs a whole number")
    }
}

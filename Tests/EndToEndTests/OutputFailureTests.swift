import Foundation
import ReviveLab
import Testing

/// Output that cannot be written is never reported as success: the command says so on standard
/// error and exits 2, as for any other problem with what it was given to work with.
struct OutputFailureTests {
    /// Runs `revive-lab ARGUMENTS` with standard output on `/dev/full`, which refuses every write.
    static func runIntoAFullDevice(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = try Lab.executableURL()
        process.arguments = arguments
        process.currentDirectoryURL = Lab.packageRoot
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let errors = Pipe()
        process.standardOutput = full
        process.standardError = errors
        let ended = try process.runNotingExit()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        ended.wait()
        return (process.terminationStatus, String(decoding: said, as: UTF8.self))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")),
          arguments: [["run", "scenarios/revoked-grant.json"], ["--version"], ["validate", "scenarios"]])
    func aFullOutputIsAnErrorNotASuccess(_ arguments: [String]) throws {
        let result = try Self.runIntoAFullDevice(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("revive-lab: could not write the output:"), "\(result.stderr)")
    }
}

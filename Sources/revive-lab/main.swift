import Foundation
import ReviveLab

// The thin shell: read the process's arguments and environment, hand off to the library, exit.
let console = LabCommand.Console(
    out: { FileHandle.standardOutput.write(Data($0.utf8)) },
    err: { FileHandle.standardError.write(Data($0.utf8)) },
    isTerminal: isatty(STDOUT_FILENO) == 1,
    environment: ProcessInfo.processInfo.environment,
    readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() },
    errorIsTerminal: isatty(STDERR_FILENO) == 1,
    monotonicSeconds: {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    })
exit(LabCommand.main(arguments: Array(CommandLine.arguments.dropFirst()), console: console))

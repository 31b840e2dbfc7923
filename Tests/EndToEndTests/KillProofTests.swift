import Foundation
import Testing

/// `explore --kill`: real SIGKILLs at every durable commit of the engine, a fresh process on the
/// same store file carrying the run to its end.
struct KillProofTests {
    /// A parent that ignores SIGCHLD passes that on to the lab; the lab waits for its children all
    /// the same (else every child looked like it had exited 0, and a proof could pass unproved).
    /// (Perl sets the disposition and execs the lab: a shell's `trap "" CHLD` does not pass it on.)
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/perl")))
    func theProofHoldsUnderAParentThatIgnoresSIGCHLD() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        process.arguments = ["-e", #"$SIG{CHLD} = "IGNORE"; exec @ARGV"#, try Lab.executableURL().path,
                             "explore", "scenarios/revoked-grant.json", "--kill-at", "8"]
        process.currentDirectoryURL = Lab.packageRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let ended = try process.runNotingExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ended.wait()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("  2 kill points, 2 held"), "\(text)")
    }

    /// Every kill point of every shipped scenario is the long proof `.ci/run` runs on the release
    /// build (README, "Tests"); here, the points around the reconnect of a revoked grant.
    @Test func theRealEngineHoldsAroundTheReconnect() throws {
        for decision in [8, 11] {
            let result = try Lab.run(["explore", "scenarios/revoked-grant.json", "--kill-at", String(decision)])
            #expect(result.status == 0, "\(result.summary)")
            #expect(result.stdoutLines.first?.hasPrefix("explore revoked-grant (scenarios/revoked-grant.json): kill, 16 engine decisions") == true,
                    "\(result.summary)")
            #expect(result.stdoutLines.contains("  2 kill points, 2 held"), "\(result.summary)")
            #expect(!result.showsCrash)
        }
    }

    @Test func aReconnectSplitOverTwoDecisionsIsCaughtWithAReproLine() throws {
        // Unkilled, the planted bug passes: only a kill between its two commits shows it.
        let unkilled = try Lab.run(["run", "scenarios/revoked-grant.json", "--plant", "split-reconnect"])
        #expect(unkilled.status == 0, "\(unkilled.summary)")
        let result = try Lab.run(["explore", "scenarios/revoked-grant.json", "--kill-at", "8", "--plant", "split-reconnect"])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stdout.contains("  FAIL after commit 8: "), "\(result.summary)")
        #expect(result.stdout.contains("reproduce: revive-lab explore scenarios/revoked-grant.json --kill --kill-at 8 --plant split-reconnect"),
                "\(result.summary)")
        let repro = try Lab.run(["explore", "scenarios/revoked-grant.json", "--kill", "--kill-at", "8", "--plant", "split-reconnect"])
        #expect(repro.status == 1)
        #expect(repro.stdout.contains("  2 kill points, 1 held"), "\(repro.summary)")
        #expect(repro.stdout.contains("what the fresh process saw at after commit 8"))
    }

    @Test func aKillAfterACommitKeepsTheDecisionInTheMergedHistory() throws {
        // Decision 7 parks the run and asks the owner; killed right after its commit, the request
        // never left the process: the restart sweep sends a fresh one, which the owner answers.
        let result = try Lab.run(["explore", "scenarios/revoked-grant.json", "--kill-at", "7"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.contains("  2 kill points, 2 held"), "\(result.summary)")
    }

    @Test(arguments: ["1", "99"])
    func aKillPointNoPlayReachesIsAUsageError(_ decision: String) throws {
        let result = try Lab.run(["explore", "scenarios/revoked-grant.json", "--kill-at", decision])
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("give a decision from 2 to 16"), "\(result.stderr)")
        #expect(!result.showsCrash)
    }
}

import Foundation
import Testing
import Revive
import ReviveVocabulary

/// Token-shaped values pasted into a scenario never leave the lab: every output format and every
/// file written carries a digest in their place, replay still works, and `validate` warns.
struct SecretRedactionTests {
    /// Canary tokens of every shape the token-custody invariant scans for.
    static let canaries = [
        "ya29.CANARYya29-0123456789abcdef", "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.CANARYjwt.sig", "1//0CANARYrefresh0123456789",
        "xoxp-CANARY-123-456", "xoxb-CANARY-789", "xoxe.CANARYxoxe", "ghp_CANARYghp0123456789abcdef", "gho_CANARYgho", "ghu_CANARYghu",
        "ghr_CANARYghr", "rvlab_CANARYlab", "rvcap_CANARYcap", "00D5g000004CANARY!AQ0AQCANARYsalesforce0123456789",
    ]

    /// revoked-grant with a captured response full of canaries in its signal, and one in its story.
    static func canaryScenario(in fixtures: Fixtures) throws -> String {
        let c = canaries
        let text = try Formats.scenarioText("revoked-grant")
            .replacingOnce("\"description\": \"The mailbox grant", with: "\"description\": \"Pasted \(c[6]) from a log. The mailbox grant")
            .replacingOnce("\"signal\": { \"status\": 400, \"error\": \"invalid_grant\",", with: """
                "signal": { "status": 400, "error": "invalid_grant",
                  "headers": { "Authorization": "Bearer \(c[0])", "X-Session": "\(c[12])", "X-Lab": "\(c[10]) \(c[11])" },
                  "body": { "error": "invalid_grant", "access_token": "\(c[1])", "refresh_token": "\(c[2])",
                            "tokens": ["\(c[3])", "\(c[4])", "\(c[5])", "\(c[7])", "\(c[8])", "\(c[9])"] },
                """)
        return try fixtures.write("revoked-grant.json", text)
    }

    static func expectNoCanary(_ text: String, in what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains("CANARY"), "\(what) holds a canary token", sourceLocation: sourceLocation)
        for canary in canaries { #expect(!text.contains(canary), "\(what) holds \(canary)", sourceLocation: sourceLocation) }
    }

    @Test func noCanaryReachesAnyOutputFormatOrFile() throws {
        let fixtures = try Fixtures()
        let scenario = try SecretRedactionTests.canaryScenario(in: fixtures)
        for format in ["text", "jsonl", "junit", "mermaid", "html"] {
            let result = try Lab.run(["run", scenario, "--format", format])
            #expect(result.status == 0, "\(format): \(result.summary)")
            SecretRedactionTests.expectNoCanary(result.stdout + result.stderr, in: "run --format \(format)")
            let directory = fixtures.directory.appendingPathComponent("out-\(format)")
            let written = try Lab.run(["run", scenario, "--format", format, "--output", directory.path])
            #expect(written.status == 0, "\(format): \(written.summary)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(files.contains("junit.xml"))
            for file in files {
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                SecretRedactionTests.expectNoCanary(text, in: "\(format)/\(file)")
            }
        }
        let compare = try Lab.run(["compare", scenario])
        SecretRedactionTests.expectNoCanary(compare.stdout + compare.stderr, in: "compare")
    }

    /// A `!` earlier in the file (here in the description) once let the loader's whole-file scan
    /// call the file clean and skip the walk; one earlier in the same value hid the shape itself.
    @Test func aSalesforceTokenIsRedactedWhenAnExclamationMarkComesEarlier() throws {
        let fixtures = try Fixtures()
        let text = try Formats.scenarioText("revoked-grant")
            .replacingOnce("\"description\": \"The mailbox grant", with: "\"description\": \"Oops! The mailbox grant")
            .replacingOnce("\"signal\": { \"status\": 400, \"error\": \"invalid_grant\",",
                           with: "\"signal\": { \"status\": 400, \"error\": \"invalid_grant\", \"headers\": { \"X-Session\": \"\(Self.canaries[12])\", \"X-Note\": \"wow! then \(Self.canaries[12])\" },")
        let scenario = try fixtures.write("revoked-grant.json", text)
        let run = try Lab.run(["run", scenario, "--format", "jsonl"])
        #expect(run.status == 0, "\(run.summary)")
        #expect(run.stdout.contains("[redacted sha256:"), "\(run.summary)")
        SecretRedactionTests.expectNoCanary(run.stdout + run.stderr, in: "run --format jsonl")
    }

    @Test func theRedactedRecordStillReplaysAndChecksAndNamesADigestInPlaceOfEachToken() throws {
        let fixtures = try Fixtures()
        let scenario = try SecretRedactionTests.canaryScenario(in: fixtures)
        let run = try Lab.run(["run", scenario, "--format", "jsonl"])
        #expect(run.status == 0, "\(run.summary)")
        let path = try fixtures.write("canary.jsonl", run.stdout)
        let header = try #require(try Formats.jsonl(run.stdout).first)
        let authorization = header["source"]?["faults"]?.arrayItem(0)?["signal"]?["headers"]?["Authorization"]?.stringValue
        #expect(authorization?.hasPrefix("Bearer [redacted sha256:") == true, "\(authorization ?? "nil")")
        let replay = try Lab.run(["replay", path])
        #expect(replay.status == 0, "\(replay.summary)")
        #expect(replay.stdout == "\(path): replayed 33 transitions identically\n")
        let check = try Lab.run(["check", path])
        #expect(check.status == 0, "\(check.summary)")
    }

    @Test func validateWarnsAboutEachTokenAndStillCallsTheFileValid() throws {
        let fixtures = try Fixtures()
        let scenario = try SecretRedactionTests.canaryScenario(in: fixtures)
        let result = try Lab.run(["validate", scenario])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdoutLines.count == 3, "\(result.summary)")
        #expect(result.stdoutLines.first == "\(scenario): valid" && result.stdoutLines.last == "1 valid, 0 invalid", "\(result.summary)")
        let warnings = result.stderrLines
        #expect(warnings.count == 12, "\(result.summary)")
        #expect(warnings.allSatisfy { $0.hasPrefix("warning: \(scenario): ") && $0.contains("holds what looks like a secret") })
        #expect(warnings.contains { $0.hasPrefix("warning: \(scenario): faults[0].signal.headers.Authorization: ") && $0.contains("(a value with ya29.)") })
        #expect(warnings.contains { $0.hasPrefix("warning: \(scenario): description: ") })
        SecretRedactionTests.expectNoCanary(result.stderr, in: "the warnings")
    }

    @Test func aScenarioWithoutTokensDrawsNoWarning() throws {
        let result = try Lab.run(["validate", "scenarios"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty, "\(result.summary)")
    }
}

extension JSONValue {
    /// The item at `index` of an array, or nil.
    func arrayItem(_ index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }
}

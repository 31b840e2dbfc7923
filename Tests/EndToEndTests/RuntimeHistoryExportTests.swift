import Foundation
import Testing

/// `--format temporal-history` and `--format langgraph-history`, held against real recordings of
/// the same stories (Temporal 1.32 with temporalio 1.35; LangGraph 1.2.22 with its SQLite saver),
/// copied into `Tests/Fixtures/real-histories/`.
struct RuntimeHistoryExportTests {
    static let fixtures = Lab.packageRoot.appendingPathComponent("Tests/Fixtures/real-histories")

    static func recording(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name + ".json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func export(_ arguments: [String]) throws -> [String: Any] {
        let result = try Lab.run(["run"] + arguments)
        #expect(result.status == 0, "\(result.summary)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    static func events(_ history: [String: Any]) -> [[String: Any]] { history["events"] as? [[String: Any]] ?? [] }

    static func types(_ history: [String: Any]) -> [String] { events(history).compactMap { $0["eventType"] as? String } }

    @Test(arguments: [("scenarios/revoked-grant-temporal.json", "temporal-revoked-grant"),
                      ("scenarios/temporal-resend-is-a-new-activity.json", "temporal-worker-killed-while-parked")])
    func temporalExportHasTheRecordedEventSequence(_ scenario: String, _ recording: String) throws {
        let exported = try RuntimeHistoryExportTests.export([scenario, "--format", "temporal-history"])
        let real = try RuntimeHistoryExportTests.recording(recording)
        #expect(RuntimeHistoryExportTests.types(exported) == RuntimeHistoryExportTests.types(real))
    }

    @Test func workerLossEndsLikeTheRecordedHeartbeatTimeout() throws {
        let exported = try RuntimeHistoryExportTests.export(["scenarios/temporal-worker-loss-timeouts.json", "--format", "temporal-history"])
        let real = try RuntimeHistoryExportTests.recording("temporal-worker-killed-after-send-heartbeat")
        let realTypes = RuntimeHistoryExportTests.types(real)
        // The recording has one activity; the export's last activity and what follows must match it.
        let tail = Array(realTypes.drop(while: { $0 != "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" }))
        #expect(Array(RuntimeHistoryExportTests.types(exported).suffix(tail.count)) == tail)
        let started = RuntimeHistoryExportTests.events(exported).last { $0["eventType"] as? String == "EVENT_TYPE_ACTIVITY_TASK_STARTED" }
        let attributes = try #require(started?["activityTaskStartedEventAttributes"] as? [String: Any])
        #expect(attributes["attempt"] as? Int == 2)
        let failure = try #require(attributes["lastFailure"] as? [String: Any])
        #expect((failure["timeoutFailureInfo"] as? [String: Any])?["timeoutType"] as? String == "TIMEOUT_TYPE_HEARTBEAT")
    }

    @Test func temporalEventsHaveTheRecordedShape() throws {
        let exported = try RuntimeHistoryExportTests.export(["scenarios/temporal-resend-is-a-new-activity.json", "--format", "temporal-history"])
        var realKeys: [String: Set<String>] = [:]
        for name in ["temporal-revoked-grant", "temporal-worker-killed-while-parked", "temporal-worker-killed-after-send-heartbeat"] {
            for event in RuntimeHistoryExportTests.events(try RuntimeHistoryExportTests.recording(name)) {
                realKeys[event["eventType"] as? String ?? "", default: []].formUnion(event.keys)
            }
        }
        for (index, event) in RuntimeHistoryExportTests.events(exported).enumerated() {
            #expect(event["eventId"] as? String == String(index + 1), "eventId is a string counting from 1")
            let type = try #require(event["eventType"] as? String)
            let known = try #require(realKeys[type], "\(type) is not an event type of the recordings")
            #expect(Set(event.keys) == known, "\(type): \(event.keys.sorted()) vs \(known.sorted())")
            #expect((event["eventTime"] as? String)?.hasPrefix("2026-01-01T") == true)
        }
    }

    @Test func theResendIsANewActivityAtAttemptOne() throws {
        let exported = try RuntimeHistoryExportTests.export(["scenarios/temporal-resend-is-a-new-activity.json", "--format", "temporal-history"])
        let scheduled = RuntimeHistoryExportTests.events(exported).compactMap { $0["activityTaskScheduledEventAttributes"] as? [String: Any] }
        #expect(scheduled.compactMap { $0["activityId"] as? String } == ["1", "2", "3", "4"])
        let started = RuntimeHistoryExportTests.events(exported).compactMap { $0["activityTaskStartedEventAttributes"] as? [String: Any] }
        #expect(started.compactMap { $0["attempt"] as? Int } == [1, 1, 1, 1])
    }

    @Test func langGraphExportHasTheRecordedSnapshots() throws {
        let exported = try RuntimeHistoryExportTests.export(["scenarios/revoked-grant.json", "--format", "langgraph-history"])
        let real = try RuntimeHistoryExportTests.recording("langgraph-revoked-grant")
        let mine = try #require(exported["history"] as? [[String: Any]])
        let theirs = try #require(real["history_at_end"] as? [[String: Any]])
        #expect(mine.count == theirs.count)
        for (snapshot, recorded) in zip(mine, theirs) {
            #expect(Set(snapshot.keys) == Set(recorded.keys))
            #expect(snapshot["step"] as? Int == recorded["step"] as? Int)
            #expect(snapshot["source"] as? String == recorded["source"] as? String)
            #expect(snapshot["next"] as? [String] == recorded["next"] as? [String])
            #expect(Set((snapshot["metadata"] as? [String: Any])?.keys ?? [:].keys) == Set((recorded["metadata"] as? [String: Any])?.keys ?? [:].keys))
        }
        // The parents chain the snapshots in order, and the pause is an interrupt on the send's task.
        for (previous, next) in zip(mine, mine.dropFirst()) {
            #expect(next["parent_checkpoint_id"] as? String == previous["checkpoint_id"] as? String)
        }
        let paused = try #require((mine[3]["tasks"] as? [[String: Any]])?.first)
        let interrupt = try #require((paused["interrupts"] as? [[String: Any]])?.first?["value"] as? [String: Any])
        #expect(interrupt["kind"] as? String == "reconnect_request")
        #expect(Set(interrupt.keys).isSubset(of: Set((theirs[3]["tasks"] as? [[String: Any]])?.first.flatMap { ($0["interrupts"] as? [[String: Any]])?.first?["value"] as? [String: Any] }?.keys ?? [:].keys)))
        #expect((mine[3]["pending_writes"] as? [[Any]])?.contains { $0.count == 3 && $0[1] as? String == "__interrupt__" } == true)
    }

    @Test func aLostCheckpointIsNotInTheHistory() throws {
        let exported = try RuntimeHistoryExportTests.export(["scenarios/langgraph-async-crash-reruns-send.json", "--format", "langgraph-history"])
        let steps = (exported["history"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? Int }
        #expect(steps == [-1, 0, 1, 2, 3])
    }

    /// The replayed-prefix story (format 2, LangGraph) under `durability`, played to the end or,
    /// with no reconnect, to the pause; the exported snapshots as recorded: `[step, source]`.
    static func durabilitySteps(_ durability: String, paused: Bool, fixtures: Fixtures) throws -> [[AnyHashable]] {
        let text = try Formats.scenarioText("langgraph-resume-replays-prefix")
        var scenario = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var runtime = try #require(scenario["runtime"] as? [String: Any])
        runtime["durability"] = durability
        scenario["runtime"] = runtime
        scenario["expect"] = nil
        if paused { scenario["events"] = nil }
        let file = try fixtures.write("\(durability)-\(paused).json", String(decoding: try JSONSerialization.data(withJSONObject: scenario), as: UTF8.self))
        let exported = try RuntimeHistoryExportTests.export([file, "--format", "langgraph-history"])
        return (exported["history"] as? [[String: Any]] ?? []).map { [$0["step"] as? Int ?? -9, $0["source"] as? String ?? ""] }
    }

    @Test(arguments: ["sync", "async", "exit"])
    func eachDurabilityWritesTheRecordedCheckpoints(_ durability: String) throws {
        let fixtures = try Fixtures()
        let recorded = try #require((try RuntimeHistoryExportTests.recording("langgraph-behaviour")["durability"] as? [String: Any])?[durability] as? [String: Any])
        let expected = { (key: String) in (recorded[key] as? [[Any]] ?? []).map { [$0[0] as? Int ?? -9, $0[1] as? String ?? ""] as [AnyHashable] } }
        #expect(try RuntimeHistoryExportTests.durabilitySteps(durability, paused: true, fixtures: fixtures) == expected("at_pause"))
        #expect(try RuntimeHistoryExportTests.durabilitySteps(durability, paused: false, fixtures: fixtures) == expected("at_end"))
    }

    @Test func anExportOfAnotherRuntimeIsAUsageErrorNamingIt() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "temporal-history"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("runs on langgraph"))
        let reverse = try Lab.run(["run", "scenarios/revoked-grant-temporal.json", "--format", "langgraph-history"])
        #expect(reverse.status == 2)
        #expect(reverse.stderr.contains("runs on temporal"))
    }

    @Test func severalScenariosNeedAnOutputDirectory() throws {
        let files = ["scenarios/revoked-grant-temporal.json", "scenarios/temporal-worker-loss-timeouts.json"]
        let refused = try Lab.run(["run"] + files + ["--format", "temporal-history"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--output DIR"))
        let fixtures = try Fixtures()
        let out = try fixtures.makeDirectory("out")
        let written = try Lab.run(["run"] + files + ["--format", "temporal-history", "--output", out])
        #expect(written.status == 0, "\(written.summary)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["junit.xml", "revoked-grant-temporal.json", "temporal-worker-loss-timeouts.json"])
    }
}

import Testing
import ReviveWorld
import ReviveLab

/// The outages' keys: `for` is required, and an outage strikes no connection and no worker.
struct OutageFaultInputTests {
    typealias S = ScenarioText

    @Test(arguments: ["store-unavailable", "runtime-unavailable"])
    func anOutageLoadsAtATimeOrAStepPoint(_ kind: String) throws {
        let timed = #""faults": [{"at": "+5m", "fault": "\#(kind)", "for": "15m"}, "#
            + #"{"at": {"step": "draft-briefing", "point": "after-checkpoint"}, "fault": "\#(kind)", "for": "1m"}]"#
        let scenario = try ScenarioLoader.load(text: S.make(extra: [timed]), file: S.file)
        #expect(scenario.faults.map(\.kind.rawValue) == [kind, kind])
        #expect(scenario.faults.map(\.lasting) == [.minutes(15), .minutes(1)])
        #expect(scenario.faults.allSatisfy { $0.connection == nil && $0.worker == nil && $0.stallFor == nil })
    }

    @Test(arguments: ["store-unavailable", "runtime-unavailable"])
    func anOutageWithoutForNamesTheKey(_ kind: String) throws {
        let found = S.problems(S.make(extra: [#""faults": [{"at": "+5m", "fault": "\#(kind)"}]"#]))
        #expect(found.map(\.path) == ["faults[0].for"])
        #expect(found.first?.message.contains("a \(kind) needs \"for\"") == true, "\(found)")
    }

    @Test func anOutageNamingAConnectionOrAWorkerIsRefused() throws {
        let faults = #""faults": [{"at": "+5m", "fault": "store-unavailable", "for": "1m", "connection": "conn_ops"}, "#
            + #"{"at": "+5m", "fault": "runtime-unavailable", "for": "1m", "worker": "worker-a"}]"#
        let found = S.problems(S.make(extra: [faults]))
        #expect(found.map(\.path) == ["faults[0].connection", "faults[1].worker"])
        #expect(found.allSatisfy { $0.message.contains("takes a durable side away") }, "\(found)")
    }

    @Test func forOnAnotherFaultNamesEveryKindThatTakesIt() throws {
        let found = S.problems(S.make(extra: [#""faults": [{"at": "+5m", "fault": "revoke-grant", "connection": "conn_ops", "for": "1m"}]"#]))
        #expect(found.map(\.path) == ["faults[0].for"])
        #expect(found.first?.message.contains("only stall-worker, store-unavailable and runtime-unavailable take \"for\"") == true)
    }
}

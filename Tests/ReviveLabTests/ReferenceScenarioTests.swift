import Testing
import ReferenceCatalog
import Revive
import ReviveCheck
import ReviveExplore
import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// Every row of the provider-error reference's classification table, played inside a scenario:
/// the provider answers the mutation step's call with the row's signal once, and the first
/// `failure.classified` must name the row's class while every invariant holds.
struct ReferenceScenarioTests {
    static let stepID = "send-update"
    static let connectionID = "conn_reference"

    /// The rows a played scenario can show: a call or refresh failure the engine classifies on
    /// the lease it holds (a stale-generation race or an identity mismatch needs another story).
    static let rows: [ReferenceRow] = (ReferenceRows.all + ReferenceRows.brokerRefreshFailures).filter {
        ($0.operation == .call || $0.operation == .refresh)
            && $0.expected != .staleGeneration && $0.expected != .identityMismatch
    }

    /// Classes after which the run carries on by itself and completes.
    static let selfHealing: Set<FailureClass> = [.transient, .rateLimited, .refreshable]

    /// A minimal scenario, as JSON text: one connection with the row's provider behind Nango,
    /// one mutation step, and a provider-error fault with the row's signal before its call.
    static func scenarioText(for row: ReferenceRow) throws -> String {
        let document: JSONValue = .object([
            ("format", .integer(1)),
            ("name", .string("reference-row")),
            ("description", .string(row.label)),
            ("seed", .integer(7)),
            ("runtime", .object([("kind", .string("langgraph")), ("workers", .array([.string("worker-a")]))])),
            ("connections", .array([.object([
                ("id", .string(connectionID)),
                ("provider", .string(row.providerName)),
                ("broker", .string("nango")),
                ("owner", .string("owner@acme.example")),
                ("subject", .string("sub-ada")),
                ("tenant", .string("tenant-acme")),
                ("scopes", .array([.string("api.write")])),
            ])])),
            ("workflow", .object([
                ("name", .string("Reference row")),
                ("run", .string("run_reference")),
                ("steps", .array([.object([
                    ("id", .string(stepID)), ("connection", .string(connectionID)), ("effect", .string("mutation")),
                ])])),
            ])),
            ("faults", .array([.object([
                ("at", .object([("step", .string(stepID)), ("point", .string("before-call"))])),
                ("fault", .string("provider-error")),
                ("count", .integer(1)),
                ("signal", try row.scenarioSignal()),
            ])])),
        ])
        return document.compactText
    }

    @Test func everyPlayableRowIsPlayed() {
        #expect(ReferenceScenarioTests.rows.count == ReferenceRows.all.count, "every row of the main table is a call or refresh failure")
    }

    @Test("Every reference row classifies right inside a played scenario, with every invariant held",
          arguments: ReferenceScenarioTests.rows)
    func rowClassifiesInsideAPlayedScenario(_ row: ReferenceRow) throws {
        let text = try ReferenceScenarioTests.scenarioText(for: row)
        let scenario = try ScenarioLoader.load(text: text, file: "reference-row.json")
        #expect(scenario.faults.count == 1)
        let result = ScenarioPlayer.play(scenario)

        let classified = result.transitions.first { $0.name.rawValue == "failure.classified" }
        let rule = classified?.notes.first { $0.name == "rule" }?.value ?? "?"
        let signal = try row.scenarioSignal().compactText
        #expect(classified?.failureClass == row.expected,
                "signal \(signal) on provider \(row.providerName): got \(classified?.failureClass?.rawValue ?? "no failure.classified") by rule \(rule)")
        #expect(result.breaches.isEmpty, "\(result.breaches)")
        #expect(result.limitReached == nil, "\(result.limitReached ?? "")")
        #expect(result.transitions.filter { $0.name.rawValue == "fault.injected" }.count == 1)

        if ReferenceScenarioTests.selfHealing.contains(row.expected) {
            #expect(result.outcome == .completed, "a \(row.expected.rawValue) failure heals without anyone")
            let effects = result.effects.first { $0.step.rawValue == ReferenceScenarioTests.stepID }?.count
            #expect(effects == 1, "the step's effect is applied exactly once")
        }
    }
}

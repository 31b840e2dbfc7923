import Testing
import Revive
import ReviveVocabulary
import ReviveWorld

/// A scenario holds each step's and fault's connection id in its connection's own string: the
/// same value, one buffer, so that the many lookups of a lease's connection in a play compare
/// one word instead of every character. An id no connection has is kept as it was given.
@Suite("scenario shared ids")
struct ScenarioSharedIDsTests {
    /// A string's two words: equal words are one buffer (or one small string).
    static func words(_ id: ConnectionID?) -> [UInt64] {
        guard let id else { return [] }
        let bits = unsafeBitCast(id.rawValue, to: (UInt64, UInt64).self)
        return [bits.0, bits.1]
    }

    /// The name spelled anew: a buffer of its own, longer than a small string.
    static func fresh(_ name: String) -> ConnectionID { ConnectionID(String(decoding: Array(name.utf8), as: UTF8.self)) }

    @Test func stepsAndFaultsShareTheirConnectionsString() {
        let name = "conn_a_connection_with_a_long_name"
        let connection = ConnectionSpec(id: Self.fresh(name), provider: .google, broker: .nango, owner: "owner@example.com",
                                        subject: "sub-1", tenant: "tenant-1", scopes: ["gmail.send"], accessTokenTTL: .hours(1))
        let steps = [
            StepSpec(id: ActionKey("read"), connection: Self.fresh(name), effect: .read, duration: Span(milliseconds: 100)),
            StepSpec(id: ActionKey("draft"), effect: .none, duration: Span(milliseconds: 100)),
            StepSpec(id: ActionKey("send"), connection: Self.fresh("conn_not_among_the_connections"), effect: .mutation,
                     duration: Span(milliseconds: 100)),
        ]
        #expect(Self.words(steps[0].connection) != Self.words(connection.id))
        let fault = FaultSpec(at: .step(id: ActionKey("read"), point: .beforeCall, attempt: 1), kind: .revokeGrant,
                              connection: Self.fresh(name), count: 1)
        let scenario = Scenario(
            file: "shared-ids-test", name: "shared-ids-test", description: "", seed: 7,
            runtime: RuntimeSpec(kind: .langgraph, workers: [WorkerID("worker-a")], heartbeatTimeout: .minutes(1), callTimeout: .seconds(30)),
            recovery: RecoveryConfiguration(), horizon: .days(7), connections: [connection],
            workflow: WorkflowSpec(name: "", run: RunID("run_1"), steps: steps), faults: [fault], events: [],
            expect: Expectations(), source: .null)
        let held = scenario.connections[0].id
        #expect(scenario.workflow.steps[0].connection == ConnectionID(name))
        #expect(Self.words(scenario.workflow.steps[0].connection) == Self.words(held))
        #expect(scenario.faults[0].connection == ConnectionID(name))
        #expect(Self.words(scenario.faults[0].connection) == Self.words(held))
        #expect(scenario.workflow.steps[1].connection == nil)
        #expect(scenario.workflow.steps[2].connection == ConnectionID("conn_not_among_the_connections"))
    }

    /// An id of the same length that differs in one byte (the first, a middle one, the last) is
    /// another connection's id, or none's: it keeps its own bytes.
    @Test func anIDOneByteOffIsNotShared() {
        let name = "conn_a_connection_with_a_long_name"
        let connection = ConnectionSpec(id: Self.fresh(name), provider: .google, broker: .nango, owner: "owner@example.com",
                                        subject: "sub-1", tenant: "tenant-1", scopes: ["gmail.send"], accessTokenTTL: .hours(1))
        for offset in [0, name.utf8.count / 2, name.utf8.count - 1] {
            var bytes = Array(name.utf8)
            bytes[offset] = UInt8(ascii: "X")
            let other = String(decoding: bytes, as: UTF8.self)
            let steps = [StepSpec(id: ActionKey("read"), connection: Self.fresh(other), effect: .read, duration: Span(milliseconds: 100))]
            let scenario = Scenario(
                file: "shared-ids-test", name: "shared-ids-test", description: "", seed: 7,
                runtime: RuntimeSpec(kind: .langgraph, workers: [WorkerID("worker-a")], heartbeatTimeout: .minutes(1), callTimeout: .seconds(30)),
                recovery: RecoveryConfiguration(), horizon: .days(7), connections: [connection],
                workflow: WorkflowSpec(name: "", run: RunID("run_1"), steps: steps), faults: [], events: [],
                expect: Expectations(), source: .null)
            #expect(scenario.workflow.steps[0].connection == ConnectionID(other))
            #expect(Self.words(scenario.workflow.steps[0].connection) != Self.words(scenario.connections[0].id))
        }
    }

    /// A reference spelled with other bytes for the same id (ASCII K for a Kelvin sign) keeps its
    /// own spelling: timelines print it, and before the sharing they printed the reference's.
    @Test func aCanonicallyEquivalentSpellingKeepsItsOwnBytes() {
        let connection = ConnectionSpec(id: ConnectionID("conn_\u{212A}elvin_ops_long_name"), provider: .google, broker: .nango,
                                        owner: "owner@example.com", subject: "sub-1", tenant: "tenant-1", scopes: ["gmail.send"],
                                        accessTokenTTL: .hours(1))
        let steps = [StepSpec(id: ActionKey("read"), connection: ConnectionID("conn_Kelvin_ops_long_name"), effect: .read,
                              duration: Span(milliseconds: 100))]
        let scenario = Scenario(
            file: "shared-ids-test", name: "shared-ids-test", description: "", seed: 7,
            runtime: RuntimeSpec(kind: .langgraph, workers: [WorkerID("worker-a")], heartbeatTimeout: .minutes(1), callTimeout: .seconds(30)),
            recovery: RecoveryConfiguration(), horizon: .days(7), connections: [connection],
            workflow: WorkflowSpec(name: "", run: RunID("run_1"), steps: steps), faults: [], events: [],
            expect: Expectations(), source: .null)
        #expect(Array(scenario.workflow.steps[0].connection!.rawValue.utf8) == Array("conn_Kelvin_ops_long_name".utf8))
    }
}

import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads `workflow`: the run id and its steps, each with the connection it calls and its effect.
extension ScenarioBuilder {
    /// The workflow; `stepKeys` is set to each step's keys (`Fields.places`, -1 for an item that
    /// is not an object) once its steps are a list, for `checkStepTimeouts`.
    static func readWorkflow(_ value: JSONValue?, connectionIDs known: [String]?, stepKeys: inout [Int]?, reader: inout JSONReader) -> WorkflowSpec? {
        guard let object = reader.fields(value, at: "workflow", as: WorkflowKey.self) else { return nil }
        let name = object[.name].flatMap { reader.string($0, at: "workflow.name") } ?? ""
        let run = reader.string(object, .run, at: "workflow.run")
        let retry = object[.retry].flatMap { RetryPolicyBuilder.read($0, at: "workflow.retry", reader: &reader) }
        guard let items = reader.array(object[.steps], at: "workflow.steps") else { return nil }
        if items.isEmpty { reader.fail("workflow.steps", "a workflow needs at least one step") }
        // Exactly as many as the file lists: a long workflow's steps stay in memory for the whole play.
        var steps: [StepSpec] = []
        steps.reserveCapacity(items.count)
        var seen = NameSet()
        var keys: [Int] = []
        keys.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            var places = -1
            if let step = readStep(item, at: JSONReader.index("workflow.steps", i), connectionIDs: known, seen: &seen, places: &places,
                                   reader: &reader) { steps.append(consume step) }
            keys.append(places)
        }
        stepKeys = keys
        // A missing run id is already reported; the steps are still returned so faults and
        // expectations that name them are checked too.
        return WorkflowSpec(name: name, run: RunID(run ?? ""), steps: steps, retry: retry)
    }

    /// A step; `places` is set to its keys (`Fields.places`) when it is an object.
    static func readStep(_ item: JSONValue, at path: @autoclosure () -> String, connectionIDs known: [String]?, seen: inout NameSet,
                         places: inout Int, reader: inout JSONReader) -> StepSpec? {
        guard let step = reader.fields(item, at: path(), as: StepKey.self) else { return nil }
        places = Int(step.places)
        let id = reader.string(step, .id, at: path() + ".id")
        checkDefinedOnce(id, noun: "step", at: path() + ".id", seen: &seen, reader: &reader)
        let connection = reader.optionalString(step, .connection, under: path())
        if let connection { checkConnectionExists(connection, at: path() + ".connection", known: known, reader: &reader) }
        // A step that names a connection reads from it unless it says otherwise.
        let effect = step[.effect].flatMap { reader.choice($0, at: path() + ".effect", of: StepEffect.self, spellings: Spellings.stepEffects, noun: "an effect") }
            ?? (connection == nil ? StepEffect.none : .read)
        if effect != .none && !step.has(.connection) {
            reader.fail(path() + ".effect", "a \(effect.rawValue) step calls a provider; give it a \"connection\"")
        }
        let duration = step[.duration].flatMap { reader.duration($0, at: path() + ".duration") } ?? Span(milliseconds: 100)
        let retry = step[.retry].flatMap { RetryPolicyBuilder.read($0, at: path() + ".retry", reader: &reader) }
        // Whether the runtime and format allow them is checked with the runtime (`checkStepTimeouts`).
        // Read one by one in the key list's order (so problems are reported in it), into no dictionary.
        func timeout(_ key: StepKey) -> Span? {
            step[key].flatMap { reader.duration($0, at: path() + "." + Fields<StepKey>.name(of: key), allowZero: false) }
        }
        let timeouts = ActivityTimeouts(heartbeat: timeout(.heartbeatTimeout), startToClose: timeout(.startToCloseTimeout),
                                        scheduleToClose: timeout(.scheduleToCloseTimeout))
        guard let id else { return nil }
        return StepSpec(id: ActionKey(id), connection: connection.map { ConnectionID(knownSpelling(of: $0, in: known)) }, effect: effect,
                        duration: duration, retry: retry, timeouts: timeouts)
    }
}

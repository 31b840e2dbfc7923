import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The checks that a name used in one section is defined in another (or not defined twice);
/// steps, events and faults share them so each mistake reads the same wherever it is made.
extension ScenarioBuilder {
    /// Reports an id already in `seen` and adds it; `noun` says what it names ("connection", "step").
    static func checkDefinedOnce(_ id: String?, noun: String, at path: @autoclosure () -> String, seen: inout NameSet, reader: inout JSONReader) {
        if let id, !seen.insert(id) { reader.fail(path(), "\(noun) \"\(id)\" is defined twice") }
    }

    /// Reports a connection no `connections` entry defines; silent when that list itself could not
    /// be read (`known` is nil), since its own problem is already reported.
    static func checkConnectionExists(_ connection: String, at path: @autoclosure () -> String, known: [String]?, reader: inout JSONReader) {
        guard let known, !known.contains(connection) else { return }
        reader.fail(path(), "no connection \"\(connection)\"; defined: \(known.joined(separator: ", "))")
    }

    /// Reports a worker that neither `runtime.workers` nor a `start-worker` event names.
    static func checkWorkerExists(_ worker: String, at path: @autoclosure () -> String, workers: NameSet, reader: inout JSONReader) {
        guard !workers.contains(worker) else { return }
        reader.fail(path(), "no worker \"\(worker)\"; known workers: \(workers.sorted().joined(separator: ", "))")
    }

    /// Reports a worker named like a party of the timeline (`revive`, `runtime`, `owner` …):
    /// timelines name actors by these words, so such a worker could not be told apart.
    static func checkNotAParty(_ worker: String, at path: @autoclosure () -> String, reader: inout JSONReader) {
        guard Actor.partyNames.contains(worker) else { return }
        reader.fail(path(), "\"\(worker)\" names a party of the timeline; call the worker something else, like \"worker-a\"")
    }
}

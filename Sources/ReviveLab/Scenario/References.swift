#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    /// `connection` as `known` holds it, when it is a string of its own with the same bytes as a
    /// known id (longer than 15 bytes, read from a step or a fault, not from its connection):
    /// `Scenario.init` puts the connection's own string in its place all the same (one buffer
    /// compares as one word), and had then to write the step into a copy of the whole list of
    /// steps. Any other is returned as it is, for `Scenario.init` to judge.
    static func knownSpelling(of connection: String, in known: [String]?) -> String {
        let count = connection.utf8.count
        guard let known, count > 15 else { return connection }
        for id in known where id.utf8.count == count {
            let same = id.utf8.withContiguousStorageIfAvailable { a in
                connection.utf8.withContiguousStorageIfAvailable { b in memcmp(a.baseAddress!, b.baseAddress!, count) == 0 }
            }
            if same == true { return id }
        }
        return connection
    }

    /// Reports a worker that neither `runtime.workers` nor a `start-worker` event names.
    static func checkWorkerExists(_ worker: String, at path: @autoclosure () -> String, workers: NameSet, reader: inout JSONReader) {
        guard !workers.contains(worker) else { return }
        reader.fail(path(), "no worker \"\(worker)\"; known workers: \(workers.sorted().joined(separator: ", "))")
    }

    /// Reports a worker named like a party of the timeline (`revive`, `runtime`, `owner` …):
    /// timelines name actors by these words, so such a worker could not be told apart.
    static func checkNotAParty(_ worker: String, at path: @autoclosure () -> String, reader: inout JSONReader) {
        // A worker kept as a short ASCII string is a party exactly when its words are a party
        // name's: compared, not hashed into the set (some 400 instructions a worker).
        if let parties = partyWords, let words = ShortASCII.words(of: worker),
           !stride(from: 0, to: parties.count, by: 2).contains(where: { parties[$0] == words.0 && parties[$0 + 1] == words.1 }) { return }
        guard Actor.partyNames.contains(worker) else { return }
        reader.fail(path(), "\"\(worker)\" names a party of the timeline; call the worker something else, like \"worker-a\"")
    }

    /// The words (`ShortASCII`) of every party name, two a name, or nil when words cannot be
    /// compared here (or a party name is not short ASCII): then each worker is looked up in
    /// `Actor.partyNames`.
    static let partyWords: [UInt64]? = {
        guard ShortASCII.layoutHolds else { return nil }
        var words: [UInt64] = []
        for name in Actor.partyNames {
            guard let spelling = ShortASCII.spelling(of: name) else { return nil }
            words += [spelling.0, spelling.1]
        }
        return words
    }()
}

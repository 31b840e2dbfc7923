#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveVocabulary
import ReviveWorld

/// The scenario workload of `stress PATH...`: which scenarios, and how each stress run's copy of
/// its scenario is named so that plays in different processes share what they should.
enum StressScenarios {
    /// Every scenario file the paths name (as `run` expands them), loaded; or every problem found
    /// (a missing path, an empty folder, an invalid file), for a usage error.
    static func load(_ paths: [String]) -> (files: [String], problems: [InputProblem]) {
        var (files, problems) = ScenarioFiles.expand(paths)
        for file in files {
            do { _ = try ScenarioLoader.load(path: file) } catch { problems += error.problems }
        }
        return (files, problems)
    }

    /// Stress run `index`'s copy of `scenario`. Its connections are namespaced by the scenario
    /// (`revoked-grant/conn_microsoft_ops`): every play of the same scenario shares them, in every
    /// process, while two scenarios that reuse an id with another pinned identity never clash. Its
    /// run is unique to the stress run (`revoked-grant/run_7f2#12`), and so are its workers
    /// (`revoked-grant/worker-a#12`) and its idempotency keys. Its seed is drawn from the stress seed, the scenario and the index. The rewritten
    /// document goes through the same loader, so the copy is checked like the file.
    static func copy(of scenario: Scenario, index: Int, seed: UInt64) throws(InputError) -> Scenario {
        let connections = Set(scenario.connections.map(\.id.rawValue))
        let workers = Set(scenario.runtime.workers.map(\.rawValue))
        let name = scenario.name
        let document = rewrite(scenario.source, at: []) { path, value in
            guard case .string(let text) = value else { return nil }
            switch (path.first, path.last) {
            case ("workflow", "run") where path.count == 2: return .string("\(name)/\(text)#\(index)")
            case ("connections", "id") where path.count == 3, (_, "connection") where connections.contains(text):
                return .string("\(name)/\(text)")
            case ("runtime", "") where path.count == 3 && path[1] == "workers",
                 (_, "worker") where workers.contains(text), (_, "by") where workers.contains(text):
                // A play's workers are its own: another play declaring its `worker-a` lost must
                // not fence this one's (the engine revokes a lost worker's leases by its id).
                return .string("\(name)/\(text)#\(index)")
            default: return nil
            }
        }
        var copy = try ScenarioLoader.load(document: document, file: scenario.file)
        var draw = SeededDraw(seed, name, index, 0)
        copy.seed = draw.next()
        return copy
    }

    /// `value` with every leaf `change` answers for (by its key path; array items as "").
    static func rewrite(_ value: JSONValue, at path: [String], _ change: ([String], JSONValue) -> JSONValue?) -> JSONValue {
        if let changed = change(path, value) { return changed }
        switch value {
        case .object(let members):
            return .object(members.map { ($0.key, rewrite($0.value, at: path + [$0.key], change)) })
        case .array(let items):
            return .array(items.map { rewrite($0, at: path + [""], change) })
        default:
            return value
        }
    }
}

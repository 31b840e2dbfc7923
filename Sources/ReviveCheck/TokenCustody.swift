import ReviveVocabulary

/// `token-custody`: no transition carries a value shaped like a token or a secret.
extension InvariantChecker {
    static func tokenCustody(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        // A field mostly repeats a value some line before it held (the run, the worker, the
        // connection): a value remembered clean is clean without a scan (see `CleanValues`).
        var clean = CleanValues()
        // The transitions lent in place (see `holdsOnlyClean`).
        ts.withUnsafeBufferPointer { lines in
            for i in lines.indices where !clean.holdsOnlyClean(lines.baseAddress! + i) {
                // A line not all clean is read again, value by value, for its first leaking value's marker.
                var leaked: String? = nil
                _ = custodyValues(of: lines.baseAddress! + i) { value in
                    leaked = clean.scan(value)
                    return leaked == nil
                }
                if let marker = leaked {
                    result.append(Breach(invariant: .tokenCustody, message: "\(lines[i].name) carries a secret-looking value (\(marker)…)", evidence: [i]))
                }
            }
        }
        return result
    }

    /// Calls `body` with every value of `t` that `token-custody` reads, in the order its breach
    /// names the first leaking one, while `body` returns true; whether it did to the end. The one
    /// list of those values: the pass that clears a line (`CleanValues.holdsOnlyClean`) and the
    /// one that names its leak both walk it, so a field read by one is read by the other. Known
    /// names and the parties' names are the lab's own words; a worker's name or a recorded name
    /// this version does not know could carry anything.
    @inline(__always)
    static func custodyValues(of t: UnsafePointer<Transition>, _ body: (String?) -> Bool) -> Bool {
        if case .worker(let worker) = t.pointee.actor, !body(worker.rawValue) { return false }
        if case .unrecognized(let spelling) = t.pointee.name, !body(spelling) { return false }
        guard body(t.pointee.run), body(t.pointee.worker), body(t.pointee.step), body(t.pointee.connection),
              body(t.pointee.lease), body(t.pointee.caseID), body(t.pointee.key), body(t.pointee.capability) else { return false }
        guard body(t.pointee.subject), body(t.pointee.tenant), body(t.pointee.checkpoint), body(t.pointee.result),
              body(t.pointee.reason) else { return false }
        for n in t.pointee.notes.indices where !body(t.pointee.notes[n].value) { return false }
        return true
    }
}

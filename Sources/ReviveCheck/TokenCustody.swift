import ReviveVocabulary

/// `token-custody`: no transition carries a value shaped like a token or a secret.
extension InvariantChecker {
    static func tokenCustody(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        // A field mostly repeats a value some line before it held (the run, the worker, the
        // connection): a value remembered clean is clean without a scan (see `CleanValues`).
        var clean = CleanValues()
        // The transitions lent in place (see `holdsOnlyClean`); the lines not all clean, in order.
        var suspect: [Int] = []
        ts.withUnsafeBufferPointer { lines in
            for i in lines.indices where !clean.holdsOnlyClean(lines.baseAddress! + i) { suspect.append(i) }
        }
        for i in suspect {
            // A line not all clean is read again, field by field, for its first leaking value's marker.
            // Known names and the parties' names are the lab's own words; a worker's name or a
            // recorded name this version does not know could carry anything.
            var leaked: String? = nil
            if case .worker(let worker) = ts[i].actor { leaked = clean.scan(worker.rawValue) }
            if leaked == nil, case .unrecognized(let spelling) = ts[i].name { leaked = clean.scan(spelling) }
            if leaked == nil { leaked = clean.scan(ts[i].run) ?? clean.scan(ts[i].worker) ?? clean.scan(ts[i].step) }
            if leaked == nil { leaked = clean.scan(ts[i].connection) ?? clean.scan(ts[i].lease) ?? clean.scan(ts[i].caseID) }
            if leaked == nil { leaked = clean.scan(ts[i].key) ?? clean.scan(ts[i].capability) }
            if leaked == nil { leaked = clean.scan(ts[i].subject) ?? clean.scan(ts[i].tenant) ?? clean.scan(ts[i].checkpoint) }
            if leaked == nil { leaked = clean.scan(ts[i].result) ?? clean.scan(ts[i].reason) }
            for note in ts[i].notes where leaked == nil { leaked = clean.scan(note.value) }
            if let marker = leaked {
                result.append(Breach(invariant: .tokenCustody, message: "\(ts[i].name) carries a secret-looking value (\(marker)…)", evidence: [i]))
            }
        }
        return result
    }
}

extension Array where Element == String {
    /// The elements with `separator` between them: what `joined(separator:)` gives.
    ///
    /// The standard library's `joined(separator:)` is generic over the sequence, and called from
    /// this package it runs unspecialized: its first call in a process looks up the sequence's
    /// `Element` witness at run time, checking the generic requirements against every protocol
    /// conformance of the executable (about 110,000 instructions, 0.5% of a cold `run
    /// scenarios`; docs/performance.md, "Sixth session"). This one is concrete. Worth it only on
    /// a path every process takes; elsewhere the library's reads as well.
    package func joinedConcretely(separator: String) -> String {
        var text = ""
        for (index, element) in enumerated() {
            if index > 0 { text += separator }
            text += element
        }
        return text
    }
}

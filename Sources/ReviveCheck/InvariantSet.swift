import ReviveVocabulary

/// The invariants `check` was asked for, one bit each, for its walk over `Invariant.allCases`.
///
/// `invariants.contains(invariant)` walked the asked-for list once per invariant, every judged
/// play: twelve walks of up to twelve names, some 300 instructions a play. Each membership test
/// here is one mask.
struct InvariantSet {
    private var bits: UInt32 = 0

    /// The set of `invariants` (repeats count once).
    init(_ invariants: [Invariant]) {
        for i in invariants.indices { bits |= Self.bit(invariants[i]) }
    }

    /// Whether `invariant` is in the set.
    func contains(_ invariant: Invariant) -> Bool { bits & Self.bit(invariant) != 0 }

    /// Each invariant's own bit. A switch, not a position looked up in `allCases`: exhaustive, so
    /// a new invariant cannot be left without one, and the compiler makes it a table.
    private static func bit(_ invariant: Invariant) -> UInt32 {
        switch invariant {
        case .sameRun: return 1 << 0
        case .checkpointResume: return 1 << 1
        case .effectOnce: return 1 << 2
        case .reconcileBeforeRetry: return 1 << 3
        case .identityBound: return 1 << 4
        case .capabilitySingleUse: return 1 << 5
        case .fencedGenerations: return 1 << 6
        case .noDeadRetry: return 1 << 7
        case .durableCase: return 1 << 8
        case .tokenCustody: return 1 << 9
        case .historyComplete: return 1 << 10
        case .liveness: return 1 << 11
        }
    }
}

import ReviveVocabulary

/// Which known transition names a timeline holds, one bit each, from one walk of its names.
///
/// Most invariants can break only around transitions of a few names (a capability is used twice
/// only where one is consumed; a generation is fenced only after a rotation). `check` asks this
/// first and skips the walk of an invariant whose every breach needs a name the timeline lacks:
/// each such walk read every transition and built its tables on every judged play, to find
/// nothing. The answer is the same either way; only the work differs.
struct NamesPresent {
    /// Bit `p` is set when the timeline holds the known name at position `p`.
    private var bits: UInt64 = 0
    /// Set when a known name lies past the 64th: then every name counts as present.
    private var beyondBits = false

    /// The names `ts` holds.
    init(_ ts: [Transition]) {
        for i in ts.indices {
            // An unrecognized name equals no known name, so it changes no answer below.
            guard let position = ts[i].name.position else { continue }
            if position < 64 { bits |= 1 << UInt64(position) } else { beyondBits = true }
        }
    }

    /// Whether the timeline may hold `name`: false only when it surely does not.
    func mayHold(_ name: TransitionName) -> Bool {
        guard !beyondBits, let position = name.position, position < 64 else { return true }
        return bits & (1 << UInt64(position)) != 0
    }

    /// Whether the timeline surely holds `name`.
    func surelyHolds(_ name: TransitionName) -> Bool {
        guard let position = name.position, position < 64 else { return false }
        return bits & (1 << UInt64(position)) != 0
    }

    /// Whether `invariant` can break on this timeline: false only when each of its breaches
    /// needs a transition of a name the timeline lacks (read off each invariant's walk; the
    /// others are always walked).
    func mayBreak(_ invariant: Invariant) -> Bool {
        switch invariant {
        case .capabilitySingleUse:
            // Every breach is found at a consumption.
            return mayHold(.reconnectVerified) || mayHold(.caseResolved)
        case .fencedGenerations:
            // A use is stale only against a rotation recorded before it.
            return mayHold(.leaseRotated)
        case .reconcileBeforeRetry:
            // A call breaks it only while its key is unknown or reconciled committed.
            return mayHold(.actionUnknown) || mayHold(.actionReconciled)
        case .durableCase:
            // A lost case, a resume on a lost worker, or an opened case never closed.
            return mayHold(.caseLost) || mayHold(.workerLost) || mayHold(.caseOpened)
        case .noDeadRetry:
            // A use of a generation classified dead, or a parked run.
            return mayHold(.failureClassified) || mayHold(.runParked)
        case .identityBound:
            // A verified reconnect or rotation under another identity, or a resume.
            return mayHold(.reconnectVerified) || mayHold(.leaseRotated) || mayHold(.runResumed)
        case .liveness:
            // Only an opened case can go unanswered, and a run that completed or failed is finished.
            return mayHold(.caseOpened) && !surelyHolds(.runCompleted) && !surelyHolds(.runFailed)
        case .sameRun, .checkpointResume, .effectOnce, .tokenCustody, .historyComplete:
            return true
        }
    }
}

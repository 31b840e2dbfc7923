import ReviveVocabulary

/// A broken invariant, with the transitions that show it.
public struct Breach: Hashable, Sendable {
    /// Which rule broke.
    public var invariant: Invariant
    /// What happened, in a sentence.
    public var message: String
    /// Indices into the timeline of the transitions that show it.
    public var evidence: [Int]

    /// Makes a breach.
    public init(invariant: Invariant, message: String, evidence: [Int]) {
        self.invariant = invariant
        self.message = message
        self.evidence = evidence
    }
}

/// Checks the recovery contract's invariants on a timeline, reading nothing but the timeline.
///
/// It never asks the engine: an engine bug that the engine itself believes is fine still shows
/// up here as a breach.
public enum InvariantChecker {
    /// Every breach of the chosen invariants, in invariant order then timeline order.
    ///
    /// Each invariant walks the indices and reads fields through the array (`ts[i].name`):
    /// `for (i, t) in ts.enumerated()` copied every `Transition`, a retain and a release per string
    /// field, on every line of every schedule, and the copies showed high in the checker's profile.
    public static func check(_ transitions: [Transition], invariants: [Invariant] = Invariant.allCases) -> [Breach] {
        var breaches: [Breach] = []
        // One walk of the names tells which invariants cannot break here (see `NamesPresent`).
        let present = NamesPresent(transitions)
        let asked = InvariantSet(invariants)
        for invariant in Invariant.allCases where asked.contains(invariant) && present.mayBreak(invariant) {
            let found: [Breach]
            switch invariant {
            case .sameRun: found = sameRun(transitions)
            case .checkpointResume: found = checkpointResume(transitions)
            case .effectOnce: found = effectOnce(transitions)
            case .reconcileBeforeRetry: found = reconcileBeforeRetry(transitions)
            case .identityBound: found = identityBound(transitions)
            case .capabilitySingleUse: found = capabilitySingleUse(transitions)
            case .fencedGenerations: found = fencedGenerations(transitions)
            case .noDeadRetry: found = noDeadRetry(transitions)
            case .durableCase: found = durableCase(transitions)
            case .tokenCustody: found = tokenCustody(transitions)
            case .historyComplete: found = historyComplete(transitions)
            case .liveness: found = liveness(transitions)
            }
            // Most invariants hold: appending their empty answer was a call each, twelve a play.
            if !found.isEmpty { breaches += found }
        }
        return breaches
    }

    static func sameRun(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        var first: (index: Int, run: String)?
        for i in ts.indices {
            if ts[i].name == .runStarted {
                if let first {
                    result.append(Breach(invariant: .sameRun, message: "a second run.started (run \(ts[i].run ?? "?")) after run \(first.run) began", evidence: [first.index, i]))
                } else {
                    first = (i, ts[i].run ?? "")
                }
            } else if let first, let run = ts[i].run, run != first.run, ts[i].name.family == "run" || ts[i].name.family == "step" {
                result.append(Breach(invariant: .sameRun, message: "\(ts[i].name) names run \(run), not the original run \(first.run)", evidence: [first.index, i]))
            }
        }
        return result
    }

    /// Judged against the checkpoints that survived: a step whose checkpoint a crash lost
    /// (`checkpoint.lost`) may run again, as the runtime really does; its mutation still must not
    /// happen twice (`effect-once`).
    static func checkpointResume(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        var checkpointed = SmallMap()
        for i in ts.indices {
            // The name first: most lines name a step but none of these four, and reading the
            // step retained and released it on every such line.
            switch ts[i].name {
            case .checkpointSaved, .checkpointLost, .stepStarted, .providerCalled: break
            default: continue
            }
            guard let step = ts[i].step else { continue }
            if ts[i].name == .checkpointSaved {
                if checkpointed[step] == nil { checkpointed[step] = i }
            } else if ts[i].name == .checkpointLost {
                checkpointed[step] = nil
            } else if ts[i].name == .stepStarted || ts[i].name == .providerCalled, let saved = checkpointed[step] {
                result.append(Breach(invariant: .checkpointResume, message: "step \(step) executes again (\(ts[i].name)) after its checkpoint was saved", evidence: [saved, i]))
            }
        }
        return result
    }

    static func effectOnce(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        var applied = SmallMap()
        var keyOfStep = SmallMap() // each step's first keyed line (tables hold lines: see `SmallMap`)
        var keyChangeReported = SmallSet()
        for i in ts.indices {
            if ts[i].name == .effectApplied, let step = ts[i].step {
                if isLate(ts[i]) {
                    // Applied past the provider's bound: `providerBreaches` charges it to the provider.
                    // Only the effects the provider applied in time count here, so two of those are
                    // still the engine's double effect, whatever order a late one came in.
                } else if let earlier = applied[step] {
                    result.append(Breach(invariant: .effectOnce, message: "the effect of \(step) happened again at the provider", evidence: [earlier, i]))
                } else {
                    applied[step] = i
                }
            }
            if let step = ts[i].step, let key = ts[i].key {
                // One lookup: the step's key is hashed once a line, not twice.
                if let first = keyOfStep[step] {
                    // One breach per step is enough to show the key is not stable.
                    if let known = ts[first].key, known != key, keyChangeReported.insert(step).inserted {
                        result.append(Breach(invariant: .effectOnce, message: "the idempotency key of \(step) changed from \(known) to \(key)", evidence: [first, i]))
                    }
                } else {
                    keyOfStep[step] = i
                }
            }
        }
        return result
    }

    static func reconcileBeforeRetry(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        // Per key: the index of the unknown outcome still unreconciled, or of a committed reconciliation.
        var unresolved = SmallMap()
        var reconciledCommitted = SmallMap()
        // A provider that dedupes keys collapses a resend with the same key: resending is its reconciliation.
        var dedupes = SmallSet()
        for i in ts.indices {
            if ts[i].name == .connectionPinned, let connection = ts[i].connection, ts[i].notes.contains(.init("idempotency", "dedupe")) {
                dedupes.insert(connection)
            }
            guard let key = ts[i].key else { continue }
            switch ts[i].name {
            case .actionUnknown:
                unresolved[key] = unresolved[key] ?? i
            case .actionReconciled:
                // Only a definite answer resolves an unknown outcome; anything else leaves it unknown.
                if ts[i].result == "absent" {
                    unresolved[key] = nil
                } else if ts[i].result == "committed" {
                    unresolved[key] = nil
                    reconciledCommitted[key] = i
                }
            case .providerCalled:
                if let unknown = unresolved[key], !dedupes.contains(ts[i].connection ?? "") {
                    result.append(Breach(invariant: .reconcileBeforeRetry, message: "\(key) was called again while its outcome was unknown and unreconciled", evidence: [unknown, i]))
                } else if let committed = reconciledCommitted[key] {
                    result.append(Breach(invariant: .reconcileBeforeRetry, message: "\(key) was called again after reconciliation found it committed", evidence: [committed, i]))
                }
            default:
                break
            }
        }
        return result
    }

    static func identityBound(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        // Where each connection was pinned: the identity is that line's subject and tenant.
        var pinned = SmallMap()
        var verifiedCases = SmallSet()
        for i in ts.indices {
            switch ts[i].name {
            case .connectionPinned, .caseOpened:
                if let connection = ts[i].connection, ts[i].subject != nil, ts[i].tenant != nil, pinned[connection] == nil {
                    pinned[connection] = i
                }
            case .caseResolved:
                if let caseID = ts[i].caseID { verifiedCases.insert(caseID) }
            case .reconnectVerified, .leaseRotated:
                if let caseID = ts[i].caseID, ts[i].name == .reconnectVerified { verifiedCases.insert(caseID) }
                if let connection = ts[i].connection, let pin = pinned[connection], let subject = ts[pin].subject, let tenant = ts[pin].tenant,
                   ts[i].subject != nil || ts[i].tenant != nil, ts[i].subject != subject || ts[i].tenant != tenant {
                    result.append(Breach(invariant: .identityBound,
                                         message: "\(ts[i].name) for \(connection) as \(ts[i].subject ?? "?")@\(ts[i].tenant ?? "?"), but the pinned identity is \(subject)@\(tenant)",
                                         evidence: [pin, i]))
                }
            case .runResumed:
                if let caseID = ts[i].caseID, !verifiedCases.contains(caseID) {
                    result.append(Breach(invariant: .identityBound, message: "the run resumed on case \(caseID) without a verified reconnect or an operator's fix", evidence: [i]))
                }
            default:
                break
            }
        }
        return result
    }

    static func capabilitySingleUse(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        // Where each capability was issued (its case and expiry are that line's).
        var issued = SmallMap()
        var consumed = SmallMap()
        // Per case, where a capability completed it: its other capabilities are superseded.
        var completed = SmallMap()
        for i in ts.indices {
            guard let capability = ts[i].capability else { continue }
            if ts[i].name == .reconnectRequested || ts[i].name == .operatorAlerted {
                issued[capability] = i
            } else if ts[i].name == .reconnectVerified || ts[i].name == .caseResolved {
                if let earlier = consumed[capability] {
                    result.append(Breach(invariant: .capabilitySingleUse, message: "capability \(capability) was consumed a second time", evidence: [earlier, i]))
                }
                consumed[capability] = consumed[capability] ?? i
                if let caseID = ts[i].caseID, let first = completed[caseID], let firstCapability = ts[first].capability, firstCapability != capability {
                    result.append(Breach(invariant: .capabilitySingleUse,
                                         message: "capability \(capability) completed case \(caseID) again, after \(firstCapability) had (it was superseded)",
                                         evidence: [first, i]))
                } else if let caseID = ts[i].caseID, completed[caseID] == nil {
                    completed[caseID] = i
                }
                guard let request = issued[capability] else {
                    result.append(Breach(invariant: .capabilitySingleUse, message: "capability \(capability) was consumed but never issued", evidence: [i]))
                    continue
                }
                if let expires = ts[request].expires, ts[i].time >= expires {
                    result.append(Breach(invariant: .capabilitySingleUse, message: "capability \(capability) was consumed at or after its expiry \(DurationText.clock(expires))", evidence: [request, i]))
                }
                if let own = ts[request].caseID, let used = ts[i].caseID, own != used {
                    result.append(Breach(invariant: .capabilitySingleUse, message: "capability \(capability) of case \(own) was consumed for case \(used)", evidence: [request, i]))
                }
            }
        }
        return result
    }

    static func fencedGenerations(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        var rotated = SmallMap() // where each connection last rotated
        for i in ts.indices {
            guard let connection = ts[i].connection, let generation = ts[i].generation else { continue }
            if ts[i].name == .leaseRotated {
                rotated[connection] = i
            } else if ts[i].name == .providerCalled || ts[i].name == .effectApplied, let current = rotated[connection],
                      let rotatedTo = ts[current].generation, generation < rotatedTo {
                result.append(Breach(invariant: .fencedGenerations,
                                     message: "\(ts[i].name) on \(connection) with generation \(generation) after the rotation to \(rotatedTo)",
                                     evidence: [current, i]))
            }
        }
        return result
    }

    static func noDeadRetry(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        // Where each connection's newest dead grant was classified, and each case opened with a class.
        var dead = SmallMap()
        var deadRetries = SmallMap()
        var classOfCase = SmallMap()
        for i in ts.indices {
            switch ts[i].name {
            case .failureClassified:
                if ts[i].failureClass == .deadGrant, let connection = ts[i].connection, let generation = ts[i].generation {
                    if (dead[connection].flatMap { ts[$0].generation } ?? 0) < generation { dead[connection] = i }
                }
            case .caseOpened:
                if let caseID = ts[i].caseID { classOfCase[caseID] = ts[i].failureClass == nil ? nil : i }
            case .providerCalled, .tokenRefreshed:
                if let connection = ts[i].connection, let generation = ts[i].generation, let deadAt = dead[connection],
                   let deadGeneration = ts[deadAt].generation, generation <= deadGeneration {
                    if let reported = deadRetries[connection] {
                        // Later uses of the same dead grant are counted into the first breach.
                        result[reported].message = "\(ts[i].name) on \(connection) with a generation already classified a dead grant (\(result[reported].evidence.count) uses)"
                        result[reported].evidence.append(i)
                    } else {
                        deadRetries[connection] = result.count
                        result.append(Breach(invariant: .noDeadRetry,
                                             message: "\(ts[i].name) on \(connection) with generation \(generation), already classified a dead grant",
                                             evidence: [deadAt, i]))
                    }
                }
            case .runParked:
                let parkedClass = ts[i].failureClass ?? ts[i].caseID.flatMap { classOfCase[$0] }.flatMap { ts[$0].failureClass }
                if let parkedClass, !parkedClass.parksRun {
                    result.append(Breach(invariant: .noDeadRetry, message: "a \(parkedClass.rawValue) failure parked the run", evidence: [i]))
                }
            default:
                break
            }
        }
        return result
    }

    static func durableCase(_ ts: [Transition]) -> [Breach] {
        var result: [Breach] = []
        var open = SmallMap()
        var lostWorkers = SmallMap()
        var completedAt: Int?
        for i in ts.indices {
            switch ts[i].name {
            case .caseOpened: if let caseID = ts[i].caseID { open[caseID] = i }
            case .caseClosed: if let caseID = ts[i].caseID { open[caseID] = nil }
            case .caseLost:
                result.append(Breach(invariant: .durableCase, message: "case \(ts[i].caseID ?? "?") was lost with its worker", evidence: [i]))
            case .workerLost: if let worker = ts[i].worker { lostWorkers[worker] = i }
            case .workerReturned, .workerStarted: if let worker = ts[i].worker { lostWorkers[worker] = nil }
            case .runResumed:
                if let worker = ts[i].worker, let lost = lostWorkers[worker] {
                    result.append(Breach(invariant: .durableCase, message: "the run resumed on \(worker), a worker declared lost", evidence: [lost, i]))
                }
            case .runCompleted: completedAt = completedAt ?? i
            default: break
            }
        }
        if let completedAt {
            for entry in open.elements.sorted(by: { $0.value < $1.value }) {
                result.append(Breach(invariant: .durableCase, message: "case \(entry.key) was never closed although the run completed",
                                     evidence: [entry.value, completedAt]))
            }
        }
        return result
    }
}

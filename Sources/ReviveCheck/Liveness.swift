import ReviveVocabulary

/// `liveness`: a run whose every case the pinned owner (or an operator) answered in time completes.
extension InvariantChecker {
    static func liveness(_ ts: [Transition]) -> [Breach] {
        // Where each case opened (with its connection and identity), and each capability was issued.
        var cases = SmallMap()
        var expiry = SmallMap()
        var answered = SmallSet()
        // Cases only an operator can answer: an owner's reconnect does not count for them.
        var operatorCases = SmallSet()
        var finished = false
        // The runtime's part of liveness is not Revive's: a run that ends waiting for a worker, or
        // that its retry policy failed (or, on LangGraph, left waiting for invoke(None)), is not
        // held against the recovery.
        var waitingForWorker = false
        // An operator's answer that the contract requires the engine to refuse answers nothing.
        let refusedAnswers = contractualRefusals(ts)
        for i in ts.indices {
            switch ts[i].name {
            case .runWaiting, .workerLost: waitingForWorker = true
            case .runResumed, .runRescheduled, .stepStarted: waitingForWorker = false
            case .runFailed: finished = true
            default: break
            }
            switch ts[i].name {
            case .caseOpened:
                if let caseID = ts[i].caseID, ts[i].connection != nil, ts[i].subject != nil, ts[i].tenant != nil {
                    cases[caseID] = i
                    if ts[i].failureClass?.responder == .operator { operatorCases.insert(caseID) }
                }
            case .reconnectRequested, .operatorAlerted:
                if let capability = ts[i].capability, ts[i].expires != nil { expiry[capability] = i }
            case .operatorFixed, .operatorConfirmed:
                guard let capability = ts[i].capability, let expires = expiry[capability].flatMap({ ts[$0].expires }), ts[i].time < expires,
                      !refusedAnswers.contains(RefusedAnswer(capability: capability, time: ts[i].time)) else { continue }
                cases.forEach { caseID, at in if ts[at].connection == ts[i].connection { answered.insert(caseID) } }
            case .reconnectPresented:
                // The right owner answered in time: same identity, with a capability still valid.
                guard let capability = ts[i].capability, let expires = expiry[capability].flatMap({ ts[$0].expires }), ts[i].time < expires else { continue }
                cases.forEach { caseID, at in
                    if ts[at].connection == ts[i].connection && ts[at].subject == ts[i].subject && ts[at].tenant == ts[i].tenant
                        && !operatorCases.contains(caseID) {
                        answered.insert(caseID)
                    }
                }
            case .runCompleted:
                finished = true
            default:
                break
            }
        }
        guard !cases.isEmpty, cases.allKeys.allSatisfy({ answered.contains($0) }), !finished, !waitingForWorker else { return [] }
        let evidence = cases.allValues.sorted()
        return [Breach(invariant: .liveness, message: "every case was answered in time by the pinned owner, but the run did not complete", evidence: evidence)]
    }
}

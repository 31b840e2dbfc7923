import ReviveVocabulary

/// Reconnect requests and their capabilities: asking the owner (or alerting an operator),
/// reminding a lead before a capability expires unanswered, escalating when the last one expires.
extension RecoveryEngine {
    /// Issues a fresh capability for an open case and sends it in a request (or an operator alert).
    func requestReconnect(for openCase: RecoveryCase, reminder: Int, at time: Instant,
                          in tx: EngineTransaction, resent: Bool = false) throws(RecoveryStoreError) -> ReconnectRequest {
        try requestReconnect(forStored: try tx.store.recoveryCase(openCase.id) ?? openCase, reminder: reminder,
                             at: time, in: tx, resent: resent).request
    }

    /// `requestReconnect`, for a case the caller has just read or saved in this decision (it is
    /// not read again: each read hashed its id and copied it); returns the case as saved too.
    func requestReconnect(forStored openCase: RecoveryCase, reminder: Int, at time: Instant, in tx: EngineTransaction,
                          resent: Bool = false) throws(RecoveryStoreError) -> (request: ReconnectRequest, saved: RecoveryCase) {
        let transaction = tx.store
        var recoveryCase = openCase
        let responder = recoveryCase.classification.failureClass.responder
        let value = ids.nextSecret(prefix: "rvcap_")
        let expiresAt = time.advanced(by: configuration.capabilityLifetime)
        // The reminder is stored with the capability: a restarted engine keeps the schedule it announced.
        let remindAt = reminder < configuration.maxReminders
            ? Instant(milliseconds: expiresAt.milliseconds - configuration.reminderLeadInForce.milliseconds) : nil
        let capability = CapabilityRecord(
            id: CapabilityID(ids.nextID(prefix: "cap_")), caseID: recoveryCase.id, connection: recoveryCase.connection,
            digest: SHA256.hexDigest(value), issuedAt: time, expiresAt: expiresAt, reminder: reminder, consumedAt: nil,
            remindAt: remindAt)
        try transaction.save(capability)
        recoveryCase.currentCapability = capability.id
        try transaction.save(recoveryCase)
        let recipient = responder == .operator ? configuration.operatorAddress : recoveryCase.ownerAddress
        let failureClass = recoveryCase.classification.failureClass
        let kind = failureClass.requestKind
        // The granted scopes only for a request that asks for more: read for every request, the
        // connection's row was walked to and copied for nothing on every reminder of every case.
        var scopes: [String] = []
        if kind == .grantScopes {
            let granted = try transaction.connection(recoveryCase.connection)?.scopes ?? []
            scopes = RecoveryEngine.union(granted, recoveryCase.classification.neededScopes)
        }
        let request = ReconnectRequest(caseID: recoveryCase.id, connection: recoveryCase.connection, recipient: recipient,
                                       responder: responder, capabilityID: capability.id, capabilityValue: value,
                                       expiresAt: capability.expiresAt, remindAt: remindAt, reminder: reminder, kind: kind,
                                       scopes: scopes)
        // An operator is alerted rather than asked to reconnect: no reconnect would help.
        try tx.emit(responder == .operator ? .operatorAlerted : .reconnectRequested, at: time, run: recoveryCase.run) { t in
            t.connection = recoveryCase.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.capability = capability.id.rawValue
            t.expires = capability.expiresAt
            t.failureClass = failureClass
            let (ask, to) = (Transition.Note("ask", kind.rawValue), Transition.Note("to", recipient))
            if failureClass != .policyBlocked && scopes.isEmpty && failureClass != .stepUp && !resent && !planted(.leakToken) {
                // The usual notes as a literal, made at its size in one allocation: room reserved on
                // the empty list went through the array's general growth, on every request of every play.
                t.notes = reminder > 0 ? [ask, to, .init("reminder", String(reminder))] : [ask, to]
                return
            }
            // Room for the notes at once: grown note by note, the list was reallocated twice a line.
            t.notes.reserveCapacity(4)
            t.notes.append(ask)
            t.notes.append(to)
            if failureClass == .policyBlocked { t.notes.append(.init("cc", recoveryCase.ownerAddress)) }
            if !scopes.isEmpty { t.notes.append(.init("scopes", scopes.joinedConcretely(separator: "+"))) }
            if failureClass == .stepUp { t.notes.append(.init("recurs", "expected")) }
            if reminder > 0 { t.notes.append(.init("reminder", String(reminder))) }
            if resent { t.notes.append(.init("resent", "restart")) }
            if planted(.leakToken) { t.notes.append(.init("link", "https://revive.example/reconnect?c=" + value)) }
        }
        return (request, recoveryCase)
    }

    /// Called when a capability's reminder is due (`ReconnectRequest.remindAt`, the reminder lead
    /// before it expires): if its case still waits on it, the next reminder goes out with a fresh
    /// capability. This one stays valid until its own expiry; once either is consumed, the other is
    /// refused as `superseded`. Returns the new request.
    public func reminderDue(_ id: CapabilityID, at time: Instant) throws(RecoveryStoreError) -> ReconnectRequest? {
        try decide(at: time) { (tx) throws(RecoveryStoreError) -> ReconnectRequest? in
            // Timers may fire early, late or twice: remind once, when due, for the case's current capability only.
            guard let capability = try tx.store.capability(id), capability.consumedAt == nil,
                  let remindAt = capability.remindAt, time >= remindAt, capability.reminder < configuration.maxReminders,
                  let recoveryCase = try tx.store.recoveryCase(capability.caseID), recoveryCase.state == .awaitingReconnect,
                  recoveryCase.currentCapability == id else { return nil }
            return try requestReconnect(forStored: recoveryCase, reminder: capability.reminder + 1, at: time, in: tx).request
        }
    }

    /// Called when a capability's lifetime ends: while its case still waits, the expiry is recorded
    /// (`capability.expired`). If no reminder followed it, the reminder goes out now (its timer was
    /// missed) or, after the last one, the case is escalated. Returns the new request, if any.
    public func capabilityExpired(_ id: CapabilityID, at time: Instant) throws(RecoveryStoreError) -> ReconnectRequest? {
        try decide(at: time) { (tx) throws(RecoveryStoreError) -> ReconnectRequest? in
            let transaction = tx.store
            // Timers may fire early, late or twice: record an expiry once, once it is real, while the case waits.
            guard var capability = try transaction.capability(id), capability.consumedAt == nil, capability.isExpired(at: time),
                  !capability.expiryRecorded, var recoveryCase = try transaction.recoveryCase(capability.caseID),
                  recoveryCase.state == .awaitingReconnect else { return nil }
            capability.expiryRecorded = true
            try transaction.save(capability)
            try tx.emit(.capabilityExpired, at: time, run: recoveryCase.run) { t in
                t.connection = capability.connection.rawValue
                t.caseID = recoveryCase.id.rawValue
                t.capability = capability.id.rawValue
            }
            // A reminder went out before this expiry: its capability is the owner's live link.
            guard recoveryCase.currentCapability == id else { return nil }
            if capability.reminder < configuration.maxReminders {
                // Read above; only the capability was saved since.
                return try requestReconnect(forStored: recoveryCase, reminder: capability.reminder + 1, at: time, in: tx).request
            }
            recoveryCase.state = .escalated
            try transaction.save(recoveryCase)
            try tx.emit(.caseEscalated, at: time, run: recoveryCase.run) { t in
                t.connection = capability.connection.rawValue
                t.caseID = recoveryCase.id.rawValue
                t.reason = "reminders-exhausted"
                t.notes.append(.init("to", configuration.operatorAddress))
            }
            return nil
        }
    }
}

import ReviveVocabulary

/// Reconnect requests and their capabilities: asking the owner (or alerting an operator),
/// reminding when a capability expires unanswered, escalating after the last reminder.
extension RecoveryEngine {
    /// Issues a fresh capability for an open case and sends it in a request (or an operator alert).
    func requestReconnect(for openCase: RecoveryCase, reminder: Int, at time: Instant,
                          in tx: EngineTransaction) throws(RecoveryStoreError) -> ReconnectRequest {
        var recoveryCase = try tx.store.recoveryCase(openCase.id) ?? openCase
        let responder = recoveryCase.classification.failureClass.responder
        let value = ids.nextSecret(prefix: "rvcap_")
        let capability = CapabilityRecord(
            id: CapabilityID(ids.nextID(prefix: "cap_")), caseID: recoveryCase.id, connection: recoveryCase.connection,
            digest: SHA256.hexDigest(value), issuedAt: time,
            expiresAt: time.advanced(by: configuration.capabilityLifetime), reminder: reminder, consumedAt: nil)
        try tx.store.save(capability)
        recoveryCase.currentCapability = capability.id
        try tx.store.save(recoveryCase)
        let recipient = responder == .operator ? configuration.operatorAddress : recoveryCase.ownerAddress
        let failureClass = recoveryCase.classification.failureClass
        let kind = failureClass.requestKind
        let granted = try tx.store.connection(recoveryCase.connection)?.scopes ?? []
        let scopes = kind == .grantScopes ? RecoveryEngine.union(granted, recoveryCase.classification.neededScopes) : []
        let request = ReconnectRequest(caseID: recoveryCase.id, connection: recoveryCase.connection, recipient: recipient,
                                       responder: responder, capabilityID: capability.id, capabilityValue: value,
                                       expiresAt: capability.expiresAt, reminder: reminder, kind: kind, scopes: scopes)
        // An operator is alerted rather than asked to reconnect: no reconnect would help.
        try tx.emit(responder == .operator ? .operatorAlerted : .reconnectRequested, at: time, run: recoveryCase.run) { t in
            t.connection = recoveryCase.connection.rawValue
            t.caseID = recoveryCase.id.rawValue
            t.capability = capability.id.rawValue
            t.expires = capability.expiresAt
            t.failureClass = failureClass
            t.notes.append(.init("ask", kind.rawValue))
            t.notes.append(.init("to", recipient))
            if failureClass == .policyBlocked { t.notes.append(.init("cc", recoveryCase.ownerAddress)) }
            if !scopes.isEmpty { t.notes.append(.init("scopes", scopes.joined(separator: "+"))) }
            if failureClass == .stepUp { t.notes.append(.init("recurs", "expected")) }
            if reminder > 0 { t.notes.append(.init("reminder", String(reminder))) }
            if planted(.leakToken) { t.notes.append(.init("link", "https://revive.example/reconnect?c=" + value)) }
        }
        return request
    }

    /// Called when a capability's lifetime ends: if its case still waits, a fresh request goes out
    /// (up to `maxReminders`); after the last one the case is escalated. Returns the new request.
    public func capabilityExpired(_ id: CapabilityID, at time: Instant) throws(RecoveryStoreError) -> ReconnectRequest? {
        try decide { (tx) throws(RecoveryStoreError) -> ReconnectRequest? in
            // Timers may fire late or twice: act only on the case's current capability once it has really expired.
            guard let capability = try tx.store.capability(id), capability.consumedAt == nil, capability.isExpired(at: time),
                  var recoveryCase = try tx.store.recoveryCase(capability.caseID), recoveryCase.state == .awaitingReconnect,
                  recoveryCase.currentCapability == id else { return nil }
            try tx.emit(.capabilityExpired, at: time, run: recoveryCase.run) { t in
                t.connection = capability.connection.rawValue
                t.caseID = recoveryCase.id.rawValue
                t.capability = capability.id.rawValue
            }
            if capability.reminder < configuration.maxReminders {
                return try requestReconnect(for: recoveryCase, reminder: capability.reminder + 1, at: time, in: tx)
            }
            recoveryCase.state = .escalated
            try tx.store.save(recoveryCase)
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

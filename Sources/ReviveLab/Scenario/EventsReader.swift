import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads `events`: what the world does to heal (reconnects, operator fixes and answers, workers coming back),
/// at a virtual time or after a transition.
extension ScenarioBuilder {
    /// The keys that name what an event acts on; each kind requires some of them and refuses the rest.
    static let eventTargetKeys = ["connection", "subject", "tenant", "worker", "happened"]
    /// The places of `eventTargetKeys` among an event's keys.
    static let eventTargetPlaces = eventTargetKeys.map { EventKey.list.place(of: $0)! }

    static func readEvents(_ value: JSONValue?, connectionIDs known: [String]?, workers: inout NameSet, reader: inout JSONReader) -> [EventSpec] {
        guard let items = reader.array(value, at: "events") else { return [] }
        var result: [EventSpec] = []
        result.reserveCapacity(items.count)
        // Workers started by events may be revived or struck later: collect their names first.
        for item in items {
            if case .string("start-worker")? = item["do"], case .string(let worker)? = item["worker"] { workers.insert(worker) }
        }
        for (i, item) in items.enumerated() {
            if let event = readEvent(item, at: JSONReader.index("events", i), connectionIDs: known, workers: workers, reader: &reader) { result.append(consume event) }
        }
        return result
    }

    static func readEvent(_ item: JSONValue, at path: @autoclosure () -> String, connectionIDs known: [String]?, workers: NameSet,
                          reader: inout JSONReader) -> EventSpec? {
        guard let object = reader.fields(item, at: path(), as: EventKey.self) else { return nil }
        let trigger = readEventTrigger(object, at: path(), reader: &reader)
        guard let kind = reader.string(object, .do, at: path() + ".do"),
              let needs = eventTargets(of: kind, at: path() + ".do", reader: &reader) else { return nil }
        // The needed keys as a bit per place: `needs.contains(key)` compared strings, five keys
        // against up to three names for every event.
        var needed = 0
        for name in needs { if let place = EventKey.list.place(of: name) { needed |= 1 << place } }
        for (index, place) in eventTargetPlaces.enumerated() {
            let key = eventTargetKeys[index]
            let isNeeded = needed & 1 << place != 0
            if isNeeded && !object.has(at: place) { reader.fail(path() + "." + key, "missing required key for \"\(kind)\"") }
            if !isNeeded && object.has(at: place) {
                let takes = needs.isEmpty ? "it takes no target" : "it takes \(needs.joined(separator: ", "))"
                reader.fail(path() + "." + key, "\"\(kind)\" takes no \"\(key)\"; \(takes)")
            }
        }
        let connection = reader.optionalString(object, .connection, under: path())
        if let connection { checkConnectionExists(connection, at: path() + ".connection", known: known, reader: &reader) }
        let worker = reader.optionalString(object, .worker, under: path())
        if kind == "revive-worker", let worker { checkWorkerExists(worker, at: path() + ".worker", workers: workers, reader: &reader) }
        if kind == "start-worker", let worker { checkNotAParty(worker, at: path() + ".worker", reader: &reader) }
        let subject = reader.optionalString(object, .subject, under: path())
        let tenant = reader.optionalString(object, .tenant, under: path())
        let happened = object[.happened].flatMap { reader.bool($0, at: path() + ".happened") }
        let action = eventAction(kind, connection: connection, subject: subject, tenant: tenant, worker: worker, happened: happened)
        guard let trigger, let action else { return nil }
        return EventSpec(trigger: trigger, action: action)
    }

    /// When the event fires: `"at"` a virtual time, or `"on"` a transition plus an optional `"after"`.
    static func readEventTrigger(_ object: Fields<EventKey>, at path: @autoclosure () -> String, reader: inout JSONReader) -> EventTrigger? {
        switch (object[.at], object[.on]) {
        case (nil, nil):
            reader.fail(path(), "say when the event fires: \"at\": \"+12m\", or \"on\": a transition name (with an optional \"after\")")
            return nil
        case (.some, .some):
            reader.fail(path() + ".on", "use either \"at\" or \"on\", not both")
            return nil
        case (let at?, nil):
            if object.has(.after) { reader.fail(path() + ".after", "\"after\" goes with \"on\"; with \"at\" give the time directly") }
            return reader.instant(at, at: path() + ".at").map { .at($0) }
        case (nil, let on?):
            let after = object[.after].flatMap { reader.duration($0, at: path() + ".after") } ?? .zero
            guard let spelling = reader.string(on, at: path() + ".on"),
                  let name = ExpectationsBuilder.transitionName(spelling, at: path() + ".on", reader: &reader) else { return nil }
            return .on(transition: name, after: after)
        }
    }

    /// The target keys event kind `kind` requires (all others it refuses); nil, reported, for an unknown kind.
    static func eventTargets(of kind: String, at path: @autoclosure () -> String, reader: inout JSONReader) -> [String]? {
        switch kind {
        case "reconnect": return ["connection", "subject", "tenant"]
        case "reuse-capability", "operator-fix": return ["connection"]
        case "operator-confirm": return ["connection", "happened"]
        case "start-worker", "revive-worker": return ["worker"]
        case "resume-thread": return []
        default:
            reader.fail(path(), "\"\(kind)\" is not an event; use one of \(ScenarioKeys.eventKinds.joined(separator: ", "))")
            return nil
        }
    }

    /// The action of a known event kind, once the targets it needs were read.
    static func eventAction(_ kind: String, connection: String?, subject: String?, tenant: String?, worker: String?,
                            happened: Bool?) -> EventAction? {
        switch kind {
        case "reconnect": connection.flatMap { c in subject.flatMap { s in tenant.map { .reconnect(connection: ConnectionID(c), subject: s, tenant: $0) } } }
        case "reuse-capability": connection.map { .reuseCapability(connection: ConnectionID($0)) }
        case "operator-fix": connection.map { .operatorFix(connection: ConnectionID($0)) }
        case "operator-confirm": connection.flatMap { c in happened.map { .operatorConfirm(connection: ConnectionID(c), happened: $0) } }
        case "start-worker": worker.map { .startWorker(WorkerID($0)) }
        case "resume-thread": .resumeThread
        default: worker.map { .reviveWorker(WorkerID($0)) }
        }
    }

    /// Reports events the file's runtime model cannot play: `resume-thread` is LangGraph's
    /// `invoke(None)` on a thread that gave up, which only format 2 models.
    static func checkEventsFitTheModel(_ events: [EventSpec], runtime: RuntimeSpec?, reader: inout JSONReader) {
        guard let runtime else { return }
        for (i, event) in events.enumerated() {
            guard case .resumeThread = event.action else { continue }
            if runtime.kind != .langgraph || !runtime.model.measured {
                reader.fail(JSONReader.index("events", i) + ".do",
                            "\"resume-thread\" is LangGraph's invoke(None) on a thread that gave up; it needs \"format\": 2 and runtime.kind \"langgraph\" (this file: format \(runtime.model.format), \(runtime.kind.rawValue))")
            }
        }
    }
}

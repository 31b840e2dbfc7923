import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The JSON Schema (draft 2020-12) of scenario formats 1 and 2, built from the same key lists and
/// enums the loader uses. `revive-lab schema` prints it; `scenario.schema.json` is a copy that
/// a test keeps identical, so editors that follow `"$schema"` complete and check keys.
public enum ScenarioSchema {
    /// The schema document.
    public static var document: JSONValue {
        .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://revive-lab.dev/schema/scenario-formats-1-and-2.json")),
            ("title", .string("revive-lab scenario, format 1 or 2")),
            ("type", .string("object")),
            ("required", strings(ScenarioKeys.topRequired)),
            ("additionalProperties", .bool(false)),
            // "$schema" is allowed at the top so editors can find this file; the loader skips it.
            ("properties", .object([("$schema", string)] + zipKeys(ScenarioKeys.top, topLevel))),
        ])
    }

    /// The schema of each top-level key.
    static var topLevel: [String: JSONValue] {
        [
            "format": .object([("enum", .array([.integer(1), .integer(2)]))]),
            "name": .object([("type", .string("string")), ("pattern", .string("^[a-z0-9]+(-[a-z0-9]+)*$"))]),
            "description": string,
            "seed": integer(minimum: 0),
            "runtime": runtime, "connections": connections, "workflow": workflow, "faults": faults, "events": events,
            "expect": expect, "recovery": recovery,
            "horizon": duration,
        ]
    }

    static var runtime: JSONValue {
        object(ScenarioKeys.runtime, required: ScenarioKeys.runtimeRequired, [
            "kind": enumeration(of: RuntimeKind.self),
            "workers": nonEmptyArray(nonEmptyString, unique: true),
            "heartbeatTimeout": duration, "callTimeout": duration, "retry": retry,
            // Format 2 only (the loader refuses them in a format 1 file).
            "durability": enumeration(of: Durability.self), "startToCloseTimeout": duration, "scheduleToCloseTimeout": duration,
        ])
    }

    static var connections: JSONValue {
        array(object(ScenarioKeys.connection, required: ScenarioKeys.connectionRequired, [
            "id": nonEmptyString, "provider": enumeration(of: ProviderKind.self),
            "broker": enumeration(of: BrokerKind.self), "owner": nonEmptyString,
            "subject": nonEmptyString, "tenant": nonEmptyString, "scopes": array(nonEmptyString),
            "accessTokenTTL": duration, "retry": retry,
            "idempotency": enumeration(of: IdempotencyMode.self), "settleAfter": duration, "keyRetention": duration,
        ]))
    }

    static var workflow: JSONValue {
        object(ScenarioKeys.workflow, required: ScenarioKeys.workflowRequired, [
            "name": nonEmptyString, "run": nonEmptyString, "retry": retry,
            "steps": nonEmptyArray(object(ScenarioKeys.step, required: ScenarioKeys.stepRequired, [
                "id": nonEmptyString, "connection": nonEmptyString, "effect": enumeration(of: StepEffect.self),
                "duration": duration, "retry": retry,
                // Format 2, Temporal only (the loader refuses them elsewhere).
                "heartbeatTimeout": duration, "startToCloseTimeout": duration, "scheduleToCloseTimeout": duration,
            ]), unique: false),
        ])
    }

    static var faults: JSONValue {
        array(object(ScenarioKeys.fault, required: ScenarioKeys.faultRequired, [
            "at": oneOf([virtualTime, object(ScenarioKeys.stepPoint, required: ScenarioKeys.stepPointRequired, [
                "step": nonEmptyString, "point": enumeration(of: StepPoint.self), "attempt": integer(minimum: 1),
            ])]),
            "fault": enumeration(of: FaultKind.self),
            "signal": signal,
            "count": integer(minimum: 1),
            "for": duration, "by": duration, "connection": nonEmptyString, "worker": nonEmptyString,
        ]))
    }

    static var signal: JSONValue {
        object(ScenarioKeys.signal, required: ScenarioKeys.signalRequired, [
            "status": integer(minimum: 100, maximum: 599),
            "error": nonEmptyString, "description": string, "retryAfter": duration,
            "headers": .object([("type", .string("object")), ("additionalProperties", string)]),
            "body": .object([]),
        ])
    }

    static var events: JSONValue {
        array(object(ScenarioKeys.event, required: ScenarioKeys.eventRequired, [
            "at": virtualTime, "on": transitionName, "after": duration,
            "do": enumeration(ScenarioKeys.eventKinds), "connection": nonEmptyString, "subject": nonEmptyString,
            "tenant": nonEmptyString, "worker": nonEmptyString, "happened": .object([("type", .string("boolean"))]),
        ]))
    }

    static var expect: JSONValue {
        object(ScenarioKeys.expect, required: [], [
            "outcome": enumeration(of: Outcome.self),
            "classification": enumeration(of: FailureClass.self),
            "effects": .object([("type", .string("object")), ("additionalProperties", integer(minimum: 0))]),
            "timeline": array(transitionName),
            "absent": array(transitionName),
            "rejected": integer(minimum: 0),
            "fenced": integer(minimum: 0),
            "invariants": oneOf([.object([("const", .string("all"))]), array(enumeration(of: Invariant.self))]),
            "providerBreaches": array(enumeration(of: ProviderBreachKind.self)),
        ])
    }

    static var recovery: JSONValue {
        object(ScenarioKeys.recovery, required: [], [
            "capabilityTTL": duration,
            "maxReminders": integer(minimum: 0, maximum: 1000),
        ])
    }

    /// The schema as indented JSON text, as committed in `scenario.schema.json`.
    public static var text: String { pretty(document, indent: 0) + "\n" }

    static let string: JSONValue = .object([("type", .string("string"))])
    static let nonEmptyString: JSONValue = .object([("type", .string("string")), ("minLength", .integer(1))])
    static let duration: JSONValue = .object([("type", .string("string")), ("pattern", .string("^[0-9]{1,12}(ms|s|m|h|d)$"))])
    static let virtualTime: JSONValue = .object([("type", .string("string")), ("pattern", .string("^\\+[0-9]{1,12}(ms|s|m|h|d)$"))])
    static var retry: JSONValue {
        object(ScenarioKeys.retry, required: [], [
            "maxAttempts": integer(minimum: 0),
            "maxElapsed": duration, "initialBackoff": duration,
            "backoffCoefficient": bounded("number", minimum: 1, maximum: 100),
            "maxBackoff": duration,
            "nonRetryable": array(enumeration(of: FailureClass.self)),
        ])
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
    static func enumeration(_ values: [String]) -> JSONValue { .object([("enum", strings(values))]) }
    static func array(_ items: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", items)]) }
    static func oneOf(_ choices: [JSONValue]) -> JSONValue { .object([("oneOf", .array(choices))]) }
    static var transitionName: JSONValue { enumeration(TransitionName.known.map(\.rawValue)) }

    /// The raw values of an enum the loader reads with `choice`, so the two accept the same words.
    static func enumeration<E: RawRepresentable & CaseIterable>(of type: E.Type) -> JSONValue where E.RawValue == String {
        enumeration(type.allCases.map(\.rawValue))
    }

    /// An array of at least one item (the loader reports an empty one).
    static func nonEmptyArray(_ items: JSONValue, unique: Bool) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string("array")), ("minItems", .integer(1))]
        if unique { members.append(("uniqueItems", .bool(true))) }
        members.append(("items", items))
        return .object(members)
    }

    static func integer(minimum: Int64, maximum: Int64? = nil) -> JSONValue { bounded("integer", minimum: minimum, maximum: maximum) }

    /// A number schema of `type` ("integer" or "number") with the loader's range.
    static func bounded(_ type: String, minimum: Int64, maximum: Int64?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string(type)), ("minimum", .integer(minimum))]
        if let maximum { members.append(("maximum", .integer(maximum))) }
        return .object(members)
    }

    /// An object schema whose properties are exactly `keys` (in that order); every key must have a schema.
    static func object(_ keys: [String], required: [String], _ properties: [String: JSONValue]) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", .string("object"))]
        if !required.isEmpty { members.append(("required", strings(required))) }
        members.append(("additionalProperties", .bool(false)))
        members.append(("properties", .object(zipKeys(keys, properties))))
        return .object(members)
    }

    static func zipKeys(_ keys: [String], _ properties: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        keys.map { key in
            guard let schema = properties[key] else { preconditionFailure("the schema has no entry for key \(key)") }
            return (key, schema)
        }
    }

    /// Two-space indented JSON, members in stored order.
    static func pretty(_ value: JSONValue, indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch value {
        case .object(let members) where !members.isEmpty:
            let inner = members.map { member -> String in
                var key = ""
                JSONValue.writeString(member.key, to: &key)
                return pad + key + ": " + pretty(member.value, indent: indent + 1)
            }
            return "{\n" + inner.joined(separator: ",\n") + "\n" + close + "}"
        case .array(let items) where !items.isEmpty && items.contains(where: { if case .object = $0 { return true }; return false }):
            return "[\n" + items.map { pad + pretty($0, indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "]"
        default:
            return value.compactText
        }
    }
}

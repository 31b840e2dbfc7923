import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// The JSON Schema (draft 2020-12) of scenario format v1, built from the same key lists and
/// enums the loader uses. `revive-lab schema` prints it; `scenario.schema.json` is a copy that
/// a test keeps identical, so editors that follow `"$schema"` complete and check keys.
public enum ScenarioSchema {
    /// The schema document.
    public static var document: JSONValue {
        .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://revive-lab.dev/schema/scenario-v1.json")),
            ("title", .string("revive-lab scenario, format 1")),
            ("type", .string("object")),
            ("required", strings(ScenarioKeys.topRequired)),
            ("additionalProperties", .bool(false)),
            ("properties", .object([("$schema", .object([("type", .string("string"))]))] + zipKeys(ScenarioKeys.top, [
                "format": .object([("const", .integer(1))]),
                "name": .object([("type", .string("string")), ("pattern", .string("^[a-z0-9]+(-[a-z0-9]+)*$"))]),
                "description": string,
                "seed": .object([("type", .string("integer")), ("minimum", .integer(0))]),
                "runtime": object(ScenarioKeys.runtime, required: ScenarioKeys.runtimeRequired, [
                    "kind": enumeration(RuntimeKind.allCases.map(\.rawValue)),
                    "workers": .object([("type", .string("array")), ("minItems", .integer(1)), ("uniqueItems", .bool(true)), ("items", nonEmptyString)]),
                    "heartbeatTimeout": duration, "callTimeout": duration, "retry": retry,
                ]),
                "connections": array(object(ScenarioKeys.connection, required: ScenarioKeys.connectionRequired, [
                    "id": nonEmptyString, "provider": enumeration(ProviderKind.allCases.map(\.rawValue)),
                    "broker": enumeration(BrokerKind.allCases.map(\.rawValue)), "owner": nonEmptyString,
                    "subject": nonEmptyString, "tenant": nonEmptyString, "scopes": array(nonEmptyString),
                    "accessTokenTTL": duration, "retry": retry,
                ])),
                "workflow": object(ScenarioKeys.workflow, required: ScenarioKeys.workflowRequired, [
                    "name": nonEmptyString, "run": nonEmptyString, "retry": retry,
                    "steps": .object([("type", .string("array")), ("minItems", .integer(1)), ("items", object(ScenarioKeys.step, required: ScenarioKeys.stepRequired, [
                        "id": nonEmptyString, "connection": nonEmptyString, "effect": enumeration(StepEffect.allCases.map(\.rawValue)),
                        "duration": duration, "retry": retry,
                    ]))]),
                ]),
                "faults": array(object(ScenarioKeys.fault, required: ScenarioKeys.faultRequired, [
                    "at": .object([("oneOf", .array([virtualTime, object(ScenarioKeys.stepPoint, required: ScenarioKeys.stepPointRequired, [
                        "step": nonEmptyString, "point": enumeration(StepPoint.allCases.map(\.rawValue)),
                        "attempt": .object([("type", .string("integer")), ("minimum", .integer(1))]),
                    ])]))]),
                    "fault": enumeration(FaultKind.allCases.map(\.rawValue)),
                    "signal": object(ScenarioKeys.signal, required: ScenarioKeys.signalRequired, [
                        "status": .object([("type", .string("integer")), ("minimum", .integer(100)), ("maximum", .integer(599))]),
                        "error": nonEmptyString, "description": string, "retryAfter": duration,
                        "headers": .object([("type", .string("object")), ("additionalProperties", string)]),
                        "body": .object([]),
                    ]),
                    "count": .object([("type", .string("integer")), ("minimum", .integer(1))]),
                    "for": duration, "connection": nonEmptyString, "worker": nonEmptyString,
                ])),
                "events": array(object(ScenarioKeys.event, required: ScenarioKeys.eventRequired, [
                    "at": virtualTime, "on": enumeration(TransitionName.known.map(\.rawValue)), "after": duration,
                    "do": enumeration(ScenarioKeys.eventKinds), "connection": nonEmptyString, "subject": nonEmptyString,
                    "tenant": nonEmptyString, "worker": nonEmptyString,
                ])),
                "expect": object(ScenarioKeys.expect, required: [], [
                    "outcome": enumeration(Outcome.allCases.map(\.rawValue)),
                    "classification": enumeration(FailureClass.allCases.map(\.rawValue)),
                    "effects": .object([("type", .string("object")), ("additionalProperties", .object([("type", .string("integer")), ("minimum", .integer(0))]))]),
                    "timeline": array(enumeration(TransitionName.known.map(\.rawValue))),
                    "absent": array(enumeration(TransitionName.known.map(\.rawValue))),
                    "rejected": .object([("type", .string("integer")), ("minimum", .integer(0))]),
                    "fenced": .object([("type", .string("integer")), ("minimum", .integer(0))]),
                    "invariants": .object([("oneOf", .array([.object([("const", .string("all"))]), array(enumeration(Invariant.allCases.map(\.rawValue)))]))]),
                ]),
                "recovery": object(ScenarioKeys.recovery, required: [], [
                    "capabilityTTL": duration,
                    "maxReminders": .object([("type", .string("integer")), ("minimum", .integer(0)), ("maximum", .integer(1000))]),
                ]),
                "horizon": duration,
            ]))),
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
            "maxAttempts": .object([("type", .string("integer")), ("minimum", .integer(0))]),
            "maxElapsed": duration, "initialBackoff": duration,
            "backoffCoefficient": .object([("type", .string("number")), ("minimum", .integer(1)), ("maximum", .integer(100))]),
            "maxBackoff": duration,
            "nonRetryable": array(enumeration(FailureClass.allCases.map(\.rawValue))),
        ])
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
    static func enumeration(_ values: [String]) -> JSONValue { .object([("enum", strings(values))]) }
    static func array(_ items: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", items)]) }

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

import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads `connections`: each grant the workflow calls a provider through, and whose account it pins.
extension ScenarioBuilder {
    static func readConnections(_ value: JSONValue?, reader: inout JSONReader) -> [ConnectionSpec]? {
        guard let items = reader.array(value, at: "connections") else { return nil }
        var result: [ConnectionSpec] = []
        result.reserveCapacity(items.count)
        var seen = NameSet()
        for (i, item) in items.enumerated() {
            if let connection = readConnection(item, at: JSONReader.index("connections", i), seen: &seen, reader: &reader) {
                result.append(consume connection)
            }
        }
        return result
    }

    static func readConnection(_ item: JSONValue, at path: @autoclosure () -> String, seen: inout NameSet, reader: inout JSONReader) -> ConnectionSpec? {
        guard let object = reader.fields(item, at: path(), as: ConnectionKey.self) else { return nil }
        let id = reader.string(object, .id, at: path() + ".id")
        checkDefinedOnce(id, noun: "connection", at: path() + ".id", seen: &seen, reader: &reader)
        let provider = reader.choice(object[.provider], at: path() + ".provider", of: ProviderKind.self, spellings: Spellings.providerKinds, noun: "a provider")
        let broker = reader.choice(object[.broker], at: path() + ".broker", of: BrokerKind.self, spellings: Spellings.brokerKinds, noun: "a broker")
        let owner = reader.string(object, .owner, at: path() + ".owner")
        let subject = reader.string(object, .subject, at: path() + ".subject")
        let tenant = reader.string(object, .tenant, at: path() + ".tenant")
        let scopes = object[.scopes].flatMap { reader.stringList($0, at: path() + ".scopes") } ?? []
        let ttl = object[.accessTokenTTL].flatMap { reader.duration($0, at: path() + ".accessTokenTTL", allowZero: false) } ?? .hours(1)
        let retry = object[.retry].flatMap { RetryPolicyBuilder.read($0, at: path() + ".retry", reader: &reader) }
        let promise = readIdempotencyPromise(object, at: path(), reader: &reader)
        guard let id, let provider, let broker, let owner, let subject, let tenant else { return nil }
        return ConnectionSpec(id: ConnectionID(id), provider: provider, broker: broker, owner: owner, subject: subject,
                              tenant: tenant, scopes: scopes, accessTokenTTL: ttl, retry: retry, idempotency: promise)
    }

    /// `idempotency`, `settleAfter` and `keyRetention`: what the provider promises about keys and
    /// late requests (`keyRetention` only means something to a `dedupe` provider).
    static func readIdempotencyPromise(_ object: Fields<ConnectionKey>, at path: @autoclosure () -> String, reader: inout JSONReader) -> IdempotencyPromise {
        var promise = IdempotencyPromise()
        if let raw = object[.idempotency], let mode = reader.choice(raw, at: path() + ".idempotency", of: IdempotencyMode.self, noun: "an idempotency mode") {
            promise.mode = mode
        }
        if let raw = object[.settleAfter], let span = reader.duration(raw, at: path() + ".settleAfter") { promise.settleAfter = span }
        if let raw = object[.keyRetention] {
            if promise.mode != .dedupe {
                reader.fail(path() + ".keyRetention", "only a \"dedupe\" provider keeps keys; set \"idempotency\": \"dedupe\" or remove \"keyRetention\"")
            } else if let span = reader.duration(raw, at: path() + ".keyRetention", allowZero: false) {
                promise.keyRetention = span
            }
        }
        return promise
    }
}

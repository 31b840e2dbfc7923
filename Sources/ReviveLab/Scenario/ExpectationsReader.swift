import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Reads `expect`: what CI checks of a play (its outcome, classification, effects, the
/// transitions it must and must not record, and the invariants and provider breaches it judges).
enum ExpectationsBuilder {
    static func read(_ value: JSONValue?, steps: [StepSpec], reader: inout JSONReader) -> Expectations {
        var expect = Expectations()
        guard let object = reader.fields(value, at: "expect", as: ExpectKey.self) else { return expect }
        expect.outcome = object[.outcome].flatMap { reader.choice($0, at: "expect.outcome", of: Outcome.self, spellings: Spellings.outcomes, noun: "an outcome") }
        expect.classification = object[.classification].flatMap {
            reader.choice($0, at: "expect.classification", of: FailureClass.self, spellings: Spellings.failureClasses, noun: "a failure class")
        }
        if let raw = object[.effects], let effects = readEffects(raw, steps: steps, reader: &reader) { expect.effects = effects }
        expect.timeline = object[.timeline].flatMap { transitionNames($0, at: "expect.timeline", reader: &reader) }
        expect.absent = object[.absent].flatMap { transitionNames($0, at: "expect.absent", reader: &reader) }
        expect.rejected = object[.rejected].flatMap { reader.integer($0, at: "expect.rejected", range: 0...1_000_000) }.map(Int.init)
        expect.fenced = object[.fenced].flatMap { reader.integer($0, at: "expect.fenced", range: 0...1_000_000) }.map(Int.init)
        if let raw = object[.providerBreaches], case .array(let items) = raw {
            expect.providerBreaches = reader.choices(items, at: "expect.providerBreaches", of: ProviderBreachKind.self, noun: "a provider breach")
        } else if let raw = object[.providerBreaches] {
            reader.fail("expect.providerBreaches", "expected a list of provider breach names (\"late-apply\"), found \(raw.compactText)")
        }
        if let raw = object[.invariants] {
            switch raw {
            case .string("all"): expect.invariants = nil
            case .array(let items): expect.invariants = reader.choices(items, at: "expect.invariants", of: Invariant.self, noun: "an invariant")
            default: reader.fail("expect.invariants", "expected \"all\" or a list of invariant names, found \(raw.compactText)")
            }
        }
        return expect
    }

    /// `effects`: how many times each step's effect must reach the provider, in the order written.
    /// Each member's path is spelt only if it is reported.
    static func readEffects(_ raw: JSONValue, steps: [StepSpec], reader: inout JSONReader) -> [(step: ActionKey, count: Int)]? {
        guard let members = reader.freeMembers(raw, at: "expect.effects", of: "step id to count") else { return nil }
        var effects: [(step: ActionKey, count: Int)] = []
        effects.reserveCapacity(members.count)
        for member in members {
            if !steps.isEmpty && !steps.contains(where: { $0.id.rawValue == member.key }) {
                reader.fail("expect.effects." + member.key,
                            "no step \"\(member.key)\"; the workflow's steps are \(steps.map(\.id.rawValue).joined(separator: ", "))")
            }
            if let count = reader.integer(member.value, at: "expect.effects." + member.key, range: 0...1_000_000) {
                effects.append((ActionKey(member.key), Int(count)))
            }
        }
        return effects
    }

    /// A list of transition names: every item that is not a non-empty string reported first (as
    /// `JSONReader.stringList` reports them), then every string that names no transition, at its
    /// index in the list. Read in place into a list made at its size: through a list of
    /// strings, grown name by name, it cost more than the names.
    static func transitionNames(_ value: JSONValue, at path: String, reader: inout JSONReader) -> [TransitionName]? {
        guard let items = reader.array(value, at: path) else { return nil }
        // Every item a name this version records (every shipped list): one walk, nothing to
        // report. Anything else is read again below, which reports it in order.
        var names: [TransitionName] = []
        names.reserveCapacity(items.count)
        for item in items {
            guard case .string(let spelling) = item, !spelling.isEmpty else { break }
            let name = TransitionName(rawValue: spelling)
            guard name.isRecognized else { break }
            names.append(name)
        }
        if names.count == items.count { return names }
        return reportingTransitionNames(items, at: path, reader: &reader)
    }

    /// `transitionNames(_:at:reader:)` for a list with an item to report.
    static func reportingTransitionNames(_ items: [JSONValue], at path: String, reader: inout JSONReader) -> [TransitionName] {
        for (i, item) in items.enumerated() {
            if case .string(let spelling) = item, !spelling.isEmpty { continue }
            _ = reader.string(item, at: JSONReader.index(path, i))
        }
        var names: [TransitionName] = []
        names.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let spelling) = item, !spelling.isEmpty else { continue }
            if let name = transitionName(spelling, at: JSONReader.index(path, i), reader: &reader) { names.append(name) }
        }
        return names
    }

    /// A transition name this version records; anything else is reported with the closest name.
    /// The path is built only when there is a problem to report there: built for every name of
    /// every file, it cost a cold run more than reading the names.
    static func transitionName(_ spelling: String, at path: @autoclosure () -> String, reader: inout JSONReader) -> TransitionName? {
        let name = TransitionName(rawValue: spelling)
        guard !name.isRecognized else { return name }
        var message = "\"\(spelling)\" is not a transition name"
        if let guess = JSONReader.closest(spelling, in: TransitionName.known.map(\.rawValue)) { message += "; did you mean \"\(guess)\"?" }
        reader.fail(path(), message + (message.hasSuffix("?") ? " " : ". ") + "The README lists every transition")
        return nil
    }
}

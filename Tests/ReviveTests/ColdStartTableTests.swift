import Testing
@testable import Revive
import ReviveVocabulary

/// The engine's tables that a fresh process used to build at first use, now literals the
/// compiler lays down (or switches): each proved the same as what it replaced.
@Suite("Cold-start tables: literals equal to what they replaced")
struct ColdStartTableTests {
    @Test("The classification table is the old table of sets, row for row and in order")
    func classificationTableIsTheReference() {
        let rules = ClassificationTable.rules
        let reference = ReferenceClassificationTable.rules
        #expect(rules.map(\.name) == reference.map(\.name))
        for (rule, old) in zip(rules, reference) {
            #expect(rule.failureClass == old.failureClass, "\(old.name)")
            #expect(rule.confidence == old.confidence, "\(old.name)")
            #expect(rule.provider == old.provider, "\(old.name)")
            #expect(rule.statuses == old.statuses, "\(old.name)")
            #expect(rule.codes == old.codes, "\(old.name)")
            #expect(rule.aadsts == old.aadsts, "\(old.name)")
            #expect(rule.text == old.text, "\(old.name)")
            #expect(rule.checksGeneration == old.checksGeneration, "\(old.name)")
        }
    }

    @Test("A rule matches exactly where the old rule of sets matched")
    func rulesMatchAsTheReferenceDid() throws {
        // Every code, number, status and text of the table, alone, against every rule and provider.
        let codes = Array(Set(ReferenceClassificationTable.rules.flatMap(\.codes))) + ["none", "INVALID_GRANT", "in\u{212A}"]
        let numbers = Set(ReferenceClassificationTable.rules.flatMap(\.aadsts))
        let statuses = [200, 400, 401, 403, 429, 500, 503]
        var signals: [ProviderSignal] = codes.map { ProviderSignal(status: 400, error: $0) }
        signals += numbers.map { ProviderSignal(status: 400, description: "AADSTS\($0): something") }
        signals += statuses.map { ProviderSignal(status: $0, description: "Bad credentials, rate limit, bad request") }
        signals += ReferenceClassificationTable.rules.flatMap(\.text).map { ProviderSignal(status: 400, error: "invalid_grant", description: $0) }
        for signal in signals {
            let facts = SignalFacts(signal)
            for (rule, old) in zip(ClassificationTable.rules, ReferenceClassificationTable.rules) {
                for provider in [nil] + ProviderKind.allCases.map(Optional.some) {
                    #expect(rule.matches(facts, provider: provider) == old.matches(facts, provider: provider), "\(old.name) on \(signal)")
                }
            }
        }
    }

    @Test("Each list of the table holds a member once, as the set it replaced did")
    func tableListsHoldEachMemberOnce() {
        for rule in ClassificationTable.rules {
            for list in [rule.codeList, rule.text] { #expect(Set(list).count == list.count, "\(rule.name)") }
            for list in [rule.statusList, rule.aadstsList] { #expect(Set(list).count == list.count, "\(rule.name)") }
        }
    }

    @Test("The member names by byte count find what a search of every name found")
    func objectKeyNamesAreTheSearch() {
        var candidates = ObjectKeys.Key.allCases.map(\.name) + ["", "x", "errorx", "Error", "codes", "messages", "payloads"]
        for key in ObjectKeys.Key.allCases {
            candidates.append(String(key.name.dropLast()) + "_")
            candidates.append(key.name.uppercased())
            candidates.append(key.name + "s")
        }
        for name in candidates {
            #expect(ObjectKeys.Key.named(name) == ObjectKeys.Key.allCases.first { $0.name == name }, "\(name)")
        }
    }

    @Test("The months' words are the months' names packed")
    func monthWordsAreTheMonths() {
        #expect(HTTPDate.monthWords == HTTPDate.months.map(HTTPDate.word))
    }

    @Test("A signal's AADSTS numbers are listed once each, the set they stand for")
    func aadstsNumbersOnce() {
        let facts = SignalFacts(ProviderSignal(status: 400, error: "AADSTS50076",
                                               description: "AADSTS50076 again, then AADSTS700082 and aadsts50076"))
        #expect(facts.aadstsList == [50076, 700082] || facts.aadstsList == [700082, 50076])
        #expect(facts.aadstsCodes == [50076, 700082])
    }
}

extension ReferenceRule {
    /// The old rule's match, over its sets.
    func matches(_ facts: SignalFacts, provider signalProvider: ProviderKind?) -> Bool {
        if let provider, provider != signalProvider { return false }
        if !statuses.isEmpty && !statuses.contains(facts.status) { return false }
        if !codes.isEmpty && codes.isDisjoint(with: facts.codes) { return false }
        if !aadsts.isEmpty && aadsts.isDisjoint(with: facts.aadstsCodes) { return false }
        if !text.isEmpty && !text.contains(where: { facts.text.contains($0) }) { return false }
        return true
    }
}

import Testing
import Revive
@testable import ReviveLab
import ReviveVocabulary
import ReviveWorld

/// The section readers' keys by place (`KeyList`, `Fields`): the same answers as looking keys up
/// by name in a `JSONObject`, and durations read as `DurationText` reads them.
struct FieldsTests {
    /// Each enumeration's cases, by raw value, spelt as its `ScenarioKeys` list spells the keys.
    private func spellings<Key: ObjectKey>(_ key: Key.Type) -> [String] {
        (0..<17).compactMap { Key(rawValue: $0).map { String(describing: $0) } }
    }

    @Test func eachKeyEnumerationListsItsKeysInTheirOrder() {
        #expect(spellings(TopKey.self) == ScenarioKeys.top)
        #expect(spellings(RuntimeKey.self) == ScenarioKeys.runtime)
        #expect(spellings(RecoveryKey.self) == ScenarioKeys.recovery)
        #expect(spellings(ConnectionKey.self) == ScenarioKeys.connection)
        #expect(spellings(WorkflowKey.self) == ScenarioKeys.workflow)
        #expect(spellings(StepKey.self) == ScenarioKeys.step)
        #expect(spellings(FaultKey.self) == ScenarioKeys.fault)
        #expect(spellings(StepPointKey.self) == ScenarioKeys.stepPoint)
        #expect(spellings(EventKey.self) == ScenarioKeys.event)
        #expect(spellings(ExpectKey.self) == ScenarioKeys.expect)
        #expect(TopKey.list.names == ScenarioKeys.top)
        #expect(TopKey.list.requiredPlaces.map { ScenarioKeys.top[$0] } == ScenarioKeys.topRequired)
    }

    @Test func aKeyIsPlacedAsComparingItWithEachNameWouldPlaceIt() {
        let lists = [TopKey.list, ConnectionKey.list, StepKey.list, EventKey.list, FaultKey.list, ExpectKey.list,
                     KeyList(["aKb", "Kind", "", "x", "exactlyFifteen!", "sixteen-letters!"])]
        // Each name; unknown keys; keys with a name's first and last bytes; canonically
        // equivalent spellings (the Kelvin sign is K) inside a key and at its edges.
        var keys = lists.flatMap(\.names)
        keys += ["", "z", "startToCloseTimeouT", "scheduleToCloseTimeout", "sXt", "idd", "i", "d", "a\u{212A}b", "\u{212A}ind",
                 "Kin\u{64}", "x\u{301}", "e\u{301}ffect", "r\u{e9}try", "effect ", " effect", "exactlyFifteen!", "exactlyFifteen?",
                 "sixteen-letters!", "sixteen-letters", String(repeating: "x", count: 1), "\u{212A}", "outcome\u{0}"]
        // The same keys kept in storage of their own, not as small strings: placed the other way.
        keys += keys.map { key in
            var stored = key
            stored.reserveCapacity(64)
            return stored
        }
        for list in lists {
            for key in keys {
                #expect(list.place(of: key) == list.names.firstIndex(where: { $0 == key }), "\(key.debugDescription)")
            }
        }
    }

    @Test func fieldsAnswerAsAJSONObjectDoes() throws {
        let members: [(key: String, value: JSONValue)] = [("id", .string("a")), ("scheduleToCloseTimeout", .integer(1)),
                                                          ("id", .string("b")), ("effect", .null)]
        let fields = try #require(Fields<StepKey>(members))
        let object = JSONObject(members: members)
        for place in StepKey.list.names.indices {
            #expect(fields.value(at: place) == object[StepKey.list.names[place]])
        }
        #expect(fields[.id] == .string("b"), "the last of a repeated key, as a dictionary kept it")
        #expect(Fields<StepKey>(members + [("unknown", .null)]) == nil)
        // Past 255 members (a built value repeating a key) places are looked up by name.
        let repeated = (0..<300).map { (key: "duration", value: JSONValue.integer(Int64($0))) } + [("id", .string("c"))]
        let overflowed = try #require(Fields<StepKey>(repeated))
        #expect(overflowed[.duration] == .integer(299))
        #expect(overflowed[.id] == .string("c"))
        #expect(overflowed[.retry] == nil)
    }

    @Test func choicesThroughSpellingsAreChoicesAsRawValuesGiveThem() {
        var texts = StepEffect.allCases.map(\.rawValue) + FaultKind.allCases.map(\.rawValue)
        texts += ["", "READ", "read ", "none\u{301}", "expire-access-tokens", "\u{212A}", "crash-worker\u{0}"]
        texts += texts.map { text in
            var stored = text
            stored.reserveCapacity(64)
            return stored
        }
        for text in texts {
            var plain = JSONReader(file: "f")
            var spelt = JSONReader(file: "f")
            #expect(plain.choice(.string(text), at: "p", of: StepEffect.self, noun: "an effect")
                == spelt.choice(.string(text), at: "p", of: StepEffect.self, spellings: Spellings.stepEffects, noun: "an effect"))
            #expect(plain.choice(.string(text), at: "p", of: FaultKind.self, noun: "a fault")
                == spelt.choice(.string(text), at: "p", of: FaultKind.self, spellings: Spellings.faultKinds, noun: "a fault"))
            #expect(plain.problems == spelt.problems, "\(text.debugDescription)")
        }
        var plain = JSONReader(file: "f")
        var spelt = JSONReader(file: "f")
        #expect(plain.choice(.integer(1), at: "p", of: FaultKind.self, noun: "a fault")
            == spelt.choice(.integer(1), at: "p", of: FaultKind.self, spellings: Spellings.faultKinds, noun: "a fault"))
        #expect(!plain.problems.isEmpty && plain.problems == spelt.problems)
    }

    /// Every table of spellings gives what `T(rawValue:)` gives, and `choice` through it what
    /// `choice` gives (value and problems), for each case's spelling and for near misses, kept
    /// small or in storage.
    @Test func everyTableOfSpellingsReadsAsRawValuesDo() {
        func check<T: RawRepresentable & CaseIterable & Equatable>(_ type: T.Type, _ spellings: Spellings)
        where T.RawValue == String, T.AllCases == [T] {
            var texts = T.allCases.map(\.rawValue) + ["", "x", "Google", "google ", "temporal\u{0}", "dead_grant\u{301}"]
            texts += T.allCases.map { $0.rawValue.uppercased() } + T.allCases.map { String($0.rawValue.dropLast()) }
            texts += texts.map { text in
                var stored = text
                stored.reserveCapacity(64)
                return stored
            }
            for (place, value) in T.allCases.enumerated() {
                #expect(spellings.value(at: place, as: type) == value, "a case made from its place")
            }
            for text in texts {
                #expect(spellings.value(of: text, as: type) == T(rawValue: text), "\(text.debugDescription)")
                var plain = JSONReader(file: "f")
                var spelt = JSONReader(file: "f")
                #expect(plain.choice(.string(text), at: "p", of: type, noun: "a case")
                    == spelt.choice(.string(text), at: "p", of: type, spellings: spellings, noun: "a case"))
                #expect(plain.problems == spelt.problems, "\(text.debugDescription)")
            }
        }
        check(ProviderKind.self, Spellings.providerKinds)
        check(BrokerKind.self, Spellings.brokerKinds)
        check(RuntimeKind.self, Spellings.runtimeKinds)
        check(Outcome.self, Spellings.outcomes)
        check(FailureClass.self, Spellings.failureClasses)
        check(StepPoint.self, Spellings.stepPoints)
        check(StepEffect.self, Spellings.stepEffects)
        check(FaultKind.self, Spellings.faultKinds)
        // Each table is made from its cases' bytes (`caseCount(of:)`), not from `allCases`: the
        // count it reads is every enumeration's number of cases, and nil for types it cannot read so.
        func count<T: CaseIterable>(_ type: T.Type) -> Int? { Spellings.caseCount(of: type) }
        #expect(count(ProviderKind.self) == ProviderKind.allCases.count && count(BrokerKind.self) == BrokerKind.allCases.count)
        #expect(count(RuntimeKind.self) == RuntimeKind.allCases.count && count(Outcome.self) == Outcome.allCases.count)
        #expect(count(FailureClass.self) == FailureClass.allCases.count && count(StepPoint.self) == StepPoint.allCases.count)
        #expect(count(StepEffect.self) == StepEffect.allCases.count && count(FaultKind.self) == FaultKind.allCases.count)
        #expect(Spellings.caseCount(of: Bool.self) == 2 && Spellings.caseCount(of: Bool?.self) == 3)
        #expect(Spellings.caseCount(of: UInt8.self) == nil && Spellings.caseCount(of: String.self) == nil)
        #expect(Spellings.caseCount(of: Int.self) == nil && Spellings.caseCount(of: Void.self) == nil)
        // A place asked of another enumeration's table is that enumeration's case all the same.
        #expect(Spellings.outcomes.value(at: 1, as: RuntimeKind.self) == RuntimeKind.allCases[1])
        #expect(Spellings.runtimeKinds.value(at: 0, as: BrokerKind.self) == BrokerKind.allCases[0])
    }

    /// A step's or a fault's connection id is handed on as the known id of the same bytes when it
    /// is kept in storage of its own (what `Scenario.init` would put in its place), and as it is
    /// otherwise: equal bytes either way.
    @Test func aConnectionIsSpeltAsTheKnownIdOfItsBytes() {
        func stored(_ text: String) -> String {
            var copy = text
            copy.reserveCapacity(64)
            copy += ""
            return copy
        }
        let long = "conn_salesforce_sales"
        let known = [stored("conn_other_provider__"), stored(long), "short", stored("a\u{212A}-the-kelvin-connection")]
        for text in [long, stored(long), "short", stored("short"), "conn_unknown_provider", "a\u{212A}-the-kelvin-connection",
                     "aK-the-kelvin-connection"] {
            let spelt = ScenarioBuilder.knownSpelling(of: text, in: known)
            #expect(Array(spelt.utf8) == Array(text.utf8), "\(text.debugDescription)")
            #expect(ScenarioBuilder.knownSpelling(of: text, in: nil) == text)
            if text.utf8.count > 15, let same = known.first(where: { Array($0.utf8) == Array(text.utf8) }) {
                #expect(spelt.utf8.withContiguousStorageIfAvailable(\.baseAddress) == same.utf8.withContiguousStorageIfAvailable(\.baseAddress))
            }
        }
    }

    /// A step's `places` (what `checkStepTimeouts` reads) are its keys as placing each member's
    /// key in turn gives them (the reference, as `checkStepTimeouts` placed them before), unknown
    /// keys left out, on many lists of keys in many orders.
    @Test func placesAreTheKeysPlacedOneByOne() {
        func reference(_ members: [(key: String, value: JSONValue)]) -> Int {
            var places = 0
            for member in members { if let place = StepKey.list.place(of: member.key) { places |= 1 << place } }
            return places
        }
        let names = StepKey.list.names + ["unknown", "startToCloseTimeOut", "$schema"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<500 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var chosen = names.indices.filter { state >> UInt64($0 + 20) & 1 == 1 }
            // Rotated by a varying amount, so that the keys come in many orders.
            let turn = chosen.isEmpty ? 0 : Int((state >> 8) % 64) % chosen.count
            chosen = Array(chosen[turn...] + chosen[..<turn])
            let members = chosen.map { (key: names[$0], value: JSONValue.null) }
            var reader = JSONReader(file: "f")
            let fields = reader.fields(.object(members), at: "s", as: StepKey.self)
            #expect(fields.map { Int($0.places) } == reference(members), "\(members.map(\.key))")
        }
    }

    /// A list of transition names is read in one walk when every item names a transition; the
    /// walk that reports (kept as the reference) gives the same names and problems for any list.
    @Test func transitionNameListsAreReadAsTheReportingWalkReadsThem() {
        let lists: [[JSONValue]] = [
            [], [.string("run.started")], TransitionName.known.map { .string($0.rawValue) },
            [.string("run.started"), .string("run.strated")], [.string(""), .string("case.opened")],
            [.integer(3), .string("nope"), .null, .string("lease.rotated")], [.string("case.opened"), .array([])],
            [.string("run.started"), .string("run.started")], [.string("cafe\u{301}.opened")],
        ]
        for items in lists {
            var fast = JSONReader(file: "f")
            var reference = JSONReader(file: "f")
            let names = ExpectationsBuilder.transitionNames(.array(items), at: "expect.timeline", reader: &fast)
            #expect(names == ExpectationsBuilder.reportingTransitionNames(items, at: "expect.timeline", reader: &reference))
            #expect(fast.problems == reference.problems, "\(items)")
        }
    }

    @Test func durationsAreReadAsDurationTextReadsThem() {
        let texts = ["0ms", "1ms", "250ms", "0s", "90s", "15m", "2h", "1d", "365d", "366d", "8760h", "8761h", "31536000000ms",
                     "31536000001ms", "999999999999d", "1000000000000s", "000000000001s", "ms", "s", "m", "", "5", "5x", "5 m",
                     "5mS", "5Ms", "+5m", "-5m", "1.5s", "٣s", "5\u{301}m", "5m\u{301}", "\u{FF15}s", "12ms", "5sm", "5dd"]
        for text in texts {
            #expect(JSONReader.parseDuration(text, after: 0) == DurationText.parse(text), "\(text.debugDescription)")
            #expect(JSONReader.parseDuration("+" + text, after: 1) == DurationText.parse(text), "+\(text.debugDescription)")
        }
    }
}

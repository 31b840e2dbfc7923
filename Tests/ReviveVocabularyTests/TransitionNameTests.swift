import Testing
import ReviveVocabulary

/// Transition names and actors keep the spellings that timelines, JSONL records and scenario files
/// use, and a spelling this version does not know is kept rather than refused.
@Suite("transition names and actors")
struct TransitionNameTests {
    @Test func everyKnownNameRoundTripsThroughItsSpelling() {
        for name in TransitionName.known {
            #expect(TransitionName(rawValue: name.rawValue) == name)
            #expect(name.isRecognized)
            #expect(!name.meaning.isEmpty, "\(name.rawValue) has no meaning")
        }
    }

    @Test func knownSpellingsAreDistinctAndDotted() {
        let spellings = TransitionName.known.map(\.rawValue)
        #expect(Set(spellings).count == spellings.count)
        for spelling in spellings {
            #expect(spelling.split(separator: ".").count == 2, "\(spelling) is not family.event")
        }
    }

    @Test func anUnknownSpellingIsKeptAsUnrecognized() {
        let name = TransitionName(rawValue: "lease.teleported")
        #expect(name == .unrecognized("lease.teleported"))
        #expect(name.rawValue == "lease.teleported")
        #expect(!name.isRecognized)
        #expect(name.meaning.isEmpty)
        #expect(name.family == "lease")
    }

    @Test func theFamilyIsTheWordBeforeTheDot() {
        #expect(TransitionName.runParked.family == "run")
        #expect(TransitionName.actionIntended.family == "action")
        #expect(TransitionName(rawValue: "nodot").family == "nodot")
    }

    @Test(arguments: ["revive", "provider", "runtime", "owner", "operator", "lab"])
    func aPartyIsReadAsItself(_ spelling: String) {
        let actor = Actor(rawValue: spelling)
        #expect(actor.rawValue == spelling)
        if case .worker = actor { Issue.record("\(spelling) was read as a worker") }
        #expect(Actor.partyNames.contains(spelling))
    }

    @Test func anyOtherSpellingIsAWorker() {
        #expect(Actor(rawValue: "worker-b") == .worker(WorkerID("worker-b")))
        #expect(Actor(rawValue: "worker-b").rawValue == "worker-b")
        #expect(Actor.partyNames.count == 6)
    }
}

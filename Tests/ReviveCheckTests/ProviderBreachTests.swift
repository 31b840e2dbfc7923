import Testing
import ReviveCheck
import ReviveVocabulary

/// Provider breaches: an effect the provider marked `late=` is the provider's broken promise,
/// reported apart from the invariants; a double effect it caused is not charged to `effect-once`,
/// but a double effect with no late effect in it still is.
@Suite("InvariantChecker: provider breaches")
struct ProviderBreachTests {
    let clean = Story.cleanRecovery
    let c = Story.connection
    let r = Story.run

    /// The send's effect at `ms`, from attempt `attempt`, marked late by `late` when given.
    func effect(_ ms: Int64, attempt: Int, late: String? = nil) -> Transition {
        var notes: [(String, String)] = []
        if let late { notes = [("caller", "gave-up"), ("late", late)] }
        return tr(ms, "provider", "effect.applied", run: r, step: "send-briefing", attempt: attempt, connection: c,
                  generation: 1, key: Story.key, notes: notes)
    }

    /// The clean story with `effects` added right after its own effect (in that order); returns the
    /// timeline and the indices of every `effect.applied` in it.
    func withEffects(_ effects: [Transition]) throws -> (timeline: [Transition], applied: [Int]) {
        let applied = try #require(clean.index(named: "effect.applied"))
        let timeline = clean.inserting(effects, at: applied + 1)
        let indices = timeline.indices.filter { timeline[$0].name == .effectApplied }
        return (timeline, indices)
    }

    @Test func theCleanStoryHasNoProviderBreach() {
        #expect(InvariantChecker.providerBreaches(clean) == [])
    }

    @Test func aLateEffectAloneIsALateApplyBreach() throws {
        let applied = try #require(clean.index(named: "effect.applied"))
        let timeline = clean.editing(applied) { $0.notes += [Transition.Note("caller", "gave-up"), Transition.Note("late", "1m")] }
        let found = InvariantChecker.providerBreaches(timeline)
        #expect(found.map(\.kind) == [.lateApply])
        #expect(found.first?.evidence == [applied])
        #expect(found.first?.message == "the provider applied send-briefing's request 1m after its declared bound")
        #expect(InvariantChecker.check(timeline) == [], "a late effect breaks no invariant of the engine's")
    }

    @Test func aLateSecondEffectIsTheProvidersBreachNotEffectOnce() throws {
        let (timeline, applied) = try withEffects([effect(Story.reconnectAt + 60_100, attempt: 1, late: "1m")])
        #expect(applied.count == 2)
        #expect(InvariantChecker.check(timeline, invariants: [.effectOnce]) == [])
        let found = InvariantChecker.providerBreaches(timeline)
        #expect(found.map(\.kind) == [.lateApply])
        #expect(found.first?.evidence == applied)
        #expect(found.first?.message == "the provider applied send-briefing's request 1m after its declared bound; the effect of send-briefing happened 2 times because of it")
    }

    @Test func aLateEffectThatLandsFirstIsTheProvidersBreachNotEffectOnce() throws {
        // The late request lands before the resend's: still one send too many, and still the provider's.
        let applied = try #require(clean.index(named: "effect.applied"))
        let late = effect(Story.reconnectAt + 50, attempt: 1, late: "2s")
        let timeline = clean.inserting([late], at: applied)
        #expect(InvariantChecker.check(timeline, invariants: [.effectOnce]) == [])
        #expect(InvariantChecker.providerBreaches(timeline).map(\.kind) == [.lateApply])
    }

    @Test func aDoubleEffectWithoutALateNoteIsStillEffectOnce() throws {
        let (timeline, applied) = try withEffects([effect(Story.reconnectAt + 300, attempt: 3)])
        let found = InvariantChecker.check(timeline, invariants: [.effectOnce])
        #expect(found.map(\.invariant) == [.effectOnce])
        #expect(found.first?.evidence == applied)
        #expect(InvariantChecker.providerBreaches(timeline) == [])
    }

    @Test func aThirdEffectAfterALateSecondIsStillEffectOnce() throws {
        // Normal, late, normal: the late one is the provider's, but the two on-time effects are a double send.
        let (timeline, applied) = try withEffects([effect(Story.reconnectAt + 60_100, attempt: 1, late: "1m"),
                                                   effect(Story.reconnectAt + 60_200, attempt: 3)])
        let found = InvariantChecker.check(timeline, invariants: [.effectOnce])
        #expect(found.map(\.invariant) == [.effectOnce])
        #expect(found.first?.evidence == [applied[0], applied[2]])
        #expect(InvariantChecker.providerBreaches(timeline).first?.message.contains("happened 3 times") == true)
    }

    @Test func twoOnTimeEffectsAfterALateFirstAreStillEffectOnce() throws {
        // Late, normal, normal: the late request landed first; the resend and a further send are
        // both on time, so they are a double send the engine caused, which `effect-once` must report.
        let applied = try #require(clean.index(named: "effect.applied"))
        let timeline = clean.inserting([effect(Story.reconnectAt + 50, attempt: 1, late: "2s")], at: applied)
            .inserting([effect(Story.reconnectAt + 300, attempt: 3)], at: applied + 2)
        let effects = timeline.indices.filter { timeline[$0].name == .effectApplied }
        #expect(effects.count == 3)
        #expect(InvariantChecker.providerBreaches(timeline).map(\.kind) == [.lateApply])
        let found = InvariantChecker.check(timeline, invariants: [.effectOnce])
        #expect(found.map(\.invariant) == [.effectOnce])
        #expect(found.first?.evidence == [effects[1], effects[2]])
    }

    @Test func lateEffectsOnTwoStepsAreTwoBreaches() throws {
        let applied = try #require(clean.index(named: "effect.applied"))
        var other = effect(Story.reconnectAt + 400, attempt: 1, late: "30s")
        other.step = "file-receipt"
        let timeline = clean.editing(applied) { $0.notes.append(Transition.Note("late", "5s")) }.inserting([other], at: applied + 1)
        let found = InvariantChecker.providerBreaches(timeline)
        #expect(found.map(\.kind) == [.lateApply, .lateApply])
        #expect(found.map(\.evidence) == [[applied], [applied + 1]])
        #expect(found.last?.message == "the provider applied file-receipt's request 30s after its declared bound")
    }
}

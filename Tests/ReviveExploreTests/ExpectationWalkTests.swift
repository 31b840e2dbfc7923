import Testing
import ReviveVocabulary
@testable import ReviveExplore

/// `expect.timeline` and `expect.absent` read the timeline through a pointer. They must answer
/// as the walks they replaced (kept below: slices of the array, `firstIndex(where:)`), known
/// names and unrecognized ones alike.
@Suite("expectation walks")
struct ExpectationWalkTests {
    /// The in-order match as it was.
    static func referenceMatched(_ wanted: [TransitionName], in transitions: [Transition]) -> Int {
        var position = 0
        var matched = 0
        for name in wanted {
            guard let found = transitions[position...].firstIndex(where: { $0.name == name }) else { break }
            position = found + 1
            matched += 1
        }
        return matched
    }

    @Test func theWalksAnswerAsTheSlicesDid() {
        let names = ["run.started", "step.started", "step.completed", "lease.fenced", "custom.thing", "other.custom", "run.completed"]
        var state: UInt64 = 0x7E57
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<3_000 {
            let ts = (0..<next(12)).map {
                Transition(time: Instant(milliseconds: Int64($0)), actor: .runtime, name: TransitionName(rawValue: names[next(names.count)]))
            }
            let wanted = (0..<next(6)).map { _ in TransitionName(rawValue: names[next(names.count)]) }
            #expect(ExpectationChecker.matchedInOrder(wanted, in: ts) == Self.referenceMatched(wanted, in: ts))
            for name in wanted {
                #expect(ExpectationChecker.firstIndex(of: name, in: ts) == ts.firstIndex(where: { $0.name == name }))
            }
        }
    }
}

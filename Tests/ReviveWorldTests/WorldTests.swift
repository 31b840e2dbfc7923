import Testing
@testable import ReviveVocabulary

@Suite("transition names") struct TransitionNameTests {
    @Test func placeholder() { #expect(Bool(true)) }
}

import Testing
import ReviveVocabulary

/// Spans written for people (reasons on the timeline): mixed units, largest first.
struct DurationWordsTests {
    @Test("Spans read in mixed units, largest first, with fractional seconds and no trailing zeros",
          arguments: [
            (Int64(0), "0ms"), (100, "100ms"), (999, "999ms"), (1_000, "1s"), (1_100, "1.1s"), (1_050, "1.05s"),
            (90_000, "1m30s"), (599_900, "9m59.9s"), (3_600_000, "1h"), (5_400_000, "1h30m"),
            (93_784_005, "1d2h3m4.005s"), (-1_500, "-1.5s"),
          ])
    func words(_ milliseconds: Int64, _ expected: String) {
        #expect(DurationText.words(Span(milliseconds: milliseconds)) == expected)
    }
}

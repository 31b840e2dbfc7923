import Testing
import Revive
import ReviveVocabulary
@testable import ReviveLab

/// The byte-level helpers the loader and the renderer use instead of joined Strings: each must
/// spell exactly what the String code it replaced spelt.
struct ByteWriterTests {
    @Test(arguments: [0, 7, 10, 99, 1234567, -1, -90, Int.max, Int.min])
    func integersAreSpeltAsStringDoes(_ value: Int) {
        var line = TextLine(capacity: 4)
        line.append(integer: value)
        #expect(line.text == String(value))
    }

    static let clockCases: [Int64] = [0, 250, 59_999, 3_600_000, 99 * 3_600_000 + 3_599_999, 100 * 3_600_000, -5]

    @Test(arguments: ByteWriterTests.clockCases)
    func clocksAreSpeltAsDurationTextDoes(_ milliseconds: Int64) {
        let instant = Instant.zero.advanced(by: Span(milliseconds: milliseconds))
        var line = TextLine(capacity: 4)
        line.append(clock: instant)
        let ms = milliseconds, hours = ms / 3_600_000
        func pad(_ v: Int64, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        let expected = "+" + pad(hours, 2) + ":" + pad((ms / 60_000) % 60, 2) + ":" + pad((ms / 1000) % 60, 2) + "." + pad(ms % 1000, 3)
        #expect(line.text == expected)
        #expect(DurationText.clock(instant) == expected)
    }

    @Test func factsAreSeparatedBySpacesAndNilFactsSkipped() {
        var line = TextLine(capacity: 4)
        line.append("name ")
        line.startFacts()
        line.fact("a", "1")
        line.fact("b", nil)
        line.fact("c", "two words")
        #expect(line.text == "name a=1 c=\"two words\"")
    }

    @Test func aLineGrowsPastItsCapacity() {
        var line = TextLine(capacity: 1)
        let long = String(repeating: "wörker-", count: 40)
        line.append(long, paddedTo: 300)
        #expect(line.text == long + String(repeating: " ", count: 300 - long.count))
    }

    @Test func anIndexedPathIsSpeltWithBrackets() {
        #expect(JSONReader.index("workflow.steps", 12) == "workflow.steps[12]")
        #expect(JSONReader.index("", 0) == "[0]")
    }

    @Test func runFamilyIsTheWordBeforeTheFirstDot() {
        #expect(TextRenderer.isRunFamily("run.started"))
        #expect(TextRenderer.isRunFamily("run"))
        #expect(!TextRenderer.isRunFamily("runner.started"))
        #expect(!TextRenderer.isRunFamily("step.started"))
        #expect(!TextRenderer.isRunFamily("ru"))
    }

    @Test func anObjectFindsItsMembersByKeyAndTheLastOfTwinsWins() {
        let object = JSONObject(members: [("id", .string("a")), ("scheduleToCloseTimeout", .integer(1)), ("id", .string("b"))])
        #expect(object["id"] == .string("b"))
        #expect(object["scheduleToCloseTimeout"] == .integer(1))
        #expect(object["startToCloseTimeout"] == nil)
        #expect(JSONObject.contains(["kind", "workers"], "workers"))
        #expect(!JSONObject.contains(["kind", "workers"], "worker"))
    }
}

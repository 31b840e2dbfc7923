import Testing
import Revive
import ReviveVocabulary
@testable import ReviveLab

/// The byte-level helpers the loader and the renderer use instead of joined Strings: each must
/// spell exactly what the String code it replaced spelt.
struct ByteWriterTests {
    @Test(arguments: [0, 7, 9, 10, 99, 1234567, -1, -9, -90, Int.max, Int.min])
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

    /// `TextRenderer.actorWidth` reads only workers' names: a party's never widens the column
    /// past its least width of 9, which holds while every party's name is at most that wide.
    @Test func noPartyNameIsWiderThanTheActorColumnsLeastWidth() {
        for name in Actor.partyNames { #expect(TextLine.width(of: name) <= 9, "\(name)") }
    }

    /// A known name's prepared column (`NameColumn`) writes what spelling and padding the name
    /// writes, the bytes after it included, and knows the name's family as `family` does.
    @Test func knownNamesColumnsMatchTheirPaddedSpelling() {
        var columns = 0
        for name in TransitionName.known {
            let spelling = name.rawValue
            var general = TextLine(capacity: 4)
            general.append(spelling, paddedTo: NameColumn.width)
            general.append(literal: "|x")
            guard let position = name.position, NameColumn.byPosition[position].count > 0 else {
                #expect(spelling.utf8.count > 24, "\(spelling) has no column")
                continue
            }
            let column = NameColumn.byPosition[position]
            var prepared = TextLine(capacity: 4)
            prepared.append(column)
            prepared.append(literal: "|x")
            #expect(prepared.text == general.text, "\(spelling)")
            #expect(column.isRunFamily == (name.family == "run"), "\(spelling)")
            columns += 1
        }
        #expect(columns == TransitionName.known.count, "every known name has a column today")
        #expect(NameColumn("a-name-longer-than-twenty-four-bytes") == nil)
        #expect(NameColumn("caf\u{e9}") == nil)
        // Every length up to the three words, and one past them, against spelling and padding.
        for length in 0...25 {
            let spelling = String((0..<length).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
            guard let column = NameColumn(spelling) else {
                #expect(length > 24, "no column for \(length) bytes")
                continue
            }
            var general = TextLine(capacity: 4), prepared = TextLine(capacity: 4)
            general.append(spelling, paddedTo: NameColumn.width)
            prepared.append(column)
            #expect(prepared.text == general.text, "\(length) bytes")
        }
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

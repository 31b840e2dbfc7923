import ReferenceCatalog
import Revive
import ReviveVocabulary
import ReviveWorld
import Testing
@testable import ReviveLab

/// The timeline line writes fact values longer than fifteen bytes from their bytes in place
/// (`LargeUTF8`), scans values for spaces and quotes with one folded test, reads the actor and the
/// worker as words, and asks for the runtime's extra note only on the names that may have one.
/// These tests hold each to the plain spelling, the standard library, or the replaced algorithm.
struct TextLineLargeStringTests {
    /// The in-place path is taken on the platforms the lab builds for.
    @Test func theLargeStringPathIsTakenHere() {
        #if arch(x86_64) || arch(arm64)
        let line = TextLine(capacity: 1)
        let readable = line.largeStringsReadable
        #expect(readable)
        #endif
    }

    /// Every kind of String the renderer meets reads as the bytes the standard library lends, or
    /// as nil (small strings).
    @Test func largeStringsReadAsTheirOwnBytes() {
        guard LargeUTF8.layoutHolds else { return }
        var texts = ["a literal String longer than fifteen bytes", "é, not ASCII, \"quoted\" and longer"]
        for count in 0...80 {
            let text = String(decoding: (0..<count).map { UInt8(97 + $0 % 26) }, as: UTF8.self)
            texts += [text, SmallStringSamples.stored(text), SmallStringSamples.stored(text + "é🙂")]
        }
        for text in texts {
            if let bytes = LargeUTF8.bytes(of: text) {
                #expect(Array(bytes) == Array(text.utf8), "\(text)")
            } else {
                #expect(ShortASCII.smallWords(of: text) != nil, "\(text)")
            }
        }
    }

    /// Long values (and short ones kept in storage) are spelt as the general path spells them,
    /// with literal names, small names and names kept in storage, from every starting length.
    @Test func largeFactsAreSpelledAsTheGeneralPathSpellsThem() {
        var draw = TextLineFastPathTests.Draw(state: 7)
        for round in 0..<300 {
            let value = TextLineFastPathTests.text(&draw, pieces: 1 + round % 9)
            for text in [value, SmallStringSamples.stored(value)] {
                for name in ["rule", "a-name-of-16-by", "é"] {
                    var line = TextLine(capacity: 1 + round % 40)
                    line.append(String(repeating: "x", count: round % 23))
                    line.startFacts()
                    line.fact("conn", text)
                    line.fact(named: name, text)
                    line.fact(named: SmallStringSamples.stored(name), text)
                    let spelled = TextLineFastPathTests.spelled(value)
                    let prefix = String(repeating: "x", count: round % 23)
                    #expect(line.text == "\(prefix)conn=\(spelled) \(name)=\(spelled) \(name)=\(spelled)", "\(value) \(name)")
                }
            }
        }
    }

    /// Appended text, small, long or kept in storage, is its own bytes, from every starting length.
    @Test func appendedTextIsItsOwnBytes() {
        var draw = TextLineFastPathTests.Draw(state: 11)
        var texts = SmallStringSamples.texts + ["a literal String longer than fifteen bytes"]
        for round in 0..<200 { texts.append(TextLineFastPathTests.text(&draw, pieces: round % 12)) }
        for (round, value) in texts.enumerated() {
            for text in [value, SmallStringSamples.stored(value)] {
                var line = TextLine(capacity: 1 + round % 30)
                let prefix = String(repeating: "x", count: round % 19)
                line.append(prefix)
                line.append(text)
                line.append(text)
                #expect(line.text == prefix + value + value, "\(value)")
            }
        }
    }

    /// The replaced scan: a "has a zero byte" test for spaces, another for quotes.
    static func referenceSpacesAndQuotes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let spaces = word ^ (ones &* UInt64(UInt8(ascii: " ")))
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        return ((spaces &- ones) & ~spaces | (quotes &- ones) & ~quotes) & (ones &* 0x80)
    }

    /// The folded scan finds a space or a quote exactly when the replaced one does: every byte in
    /// every place among fillers of every kind, and random words.
    @Test func theFoldedScanAgreesWithTheReplacedOne() {
        for filler in [0x00, 0x02, 0x20, 0x22, 0x61, 0x7F, 0x80, 0xA2, 0xFF] as [UInt64] {
            for place in 0..<8 {
                for byte in 0...255 as ClosedRange<UInt64> {
                    var word = filler &* 0x0101_0101_0101_0101
                    word = word & ~(0xFF << UInt64(place * 8)) | byte << UInt64(place * 8)
                    #expect((TextLine.spacesAndQuotes(word) != 0) == (Self.referenceSpacesAndQuotes(word) != 0), "\(word)")
                }
            }
        }
        var state: UInt64 = 1
        for _ in 0..<100_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let word = state ^ state >> 29
            guard (TextLine.spacesAndQuotes(word) != 0) == (Self.referenceSpacesAndQuotes(word) != 0) else {
                Issue.record("\(word)")
                return
            }
        }
    }

    /// The worker is shown exactly when it differs from the actor as Strings (`!=`), however
    /// either is kept, including a worker spelt with the Kelvin sign, equal to an ASCII "K".
    @Test func theWorkerIsShownExactlyWhenItIsNotTheActor() {
        let names = ["worker-a", "worker-b", "K", "\u{212A}", "a-worker-name-longer-than-16", "revive", ""]
        let actors = [Actor.revive, .provider, .lab] + names.flatMap { [Actor.worker(WorkerID($0)), .worker(WorkerID(SmallStringSamples.stored($0)))] }
        let workers = [nil] + names.flatMap { [$0, SmallStringSamples.stored($0)] as [String?] }
        for actor in actors {
            for worker in workers {
                var t = Transition(time: Instant(milliseconds: 0), actor: actor, name: .stepStarted)
                t.worker = worker
                let line = TextLine(capacity: 1)
                let shown = withUnsafePointer(to: t) { TextRenderer.showsWorker($0, actorWords: line.smallBits(actor.rawValue)) }
                #expect(shown == (worker != nil && worker != actor.rawValue), "\(actor) \(String(describing: worker))")
            }
        }
    }

    /// `ShortASCII.isASCII(small:)` says of a small string what `words(of:)` says.
    @Test func smallWordsKnowWhetherTheyAreASCII() {
        guard ShortASCII.layoutHolds else { return }
        for text in SmallStringSamples.texts {
            guard let words = ShortASCII.smallWords(of: text) else { continue }
            #expect(ShortASCII.isASCII(small: words) == (ShortASCII.words(of: text) != nil), "\(text)")
        }
    }

    /// Only the names `mayHaveExtraNote` lets through can carry a runtime's extra note.
    @Test func extraNotesComeOnlyOnTheNamesAskedFor() {
        for kind in RuntimeKind.allCases {
            let vocabulary = RuntimeVocabulary(kind)
            for name in TransitionName.known where !TextRenderer.mayHaveExtraNote(name) {
                #expect(vocabulary.extraNote(for: name) == nil, "\(kind) \(name)")
            }
        }
    }
}

import Foundation
import Testing
import ReviveExplore
@testable import ReviveLab

/// `run` prints a timeline rendered ahead as UTF-8 bytes, not as a String (`renderBytes`,
/// `LabCommand.Console.write`): the bytes must be the String's, whatever the scenario holds.
struct RenderedBytesTests {
    @Test(arguments: GoldenTests.scenarioNames)
    func bytesAreTheRenderedTextsBytes(_ name: String) throws {
        let result = try GoldenTests.play(name)
        for color in [false, true] {
            let renderer = TextRenderer(color: color)
            #expect(renderer.renderBytes(result) == Array(renderer.render(result).utf8), "\(name), colour \(color)")
        }
    }

    /// Text beyond ASCII (a description, a worker's name) comes out as the same bytes.
    @Test func bytesBeyondASCIIAreTheTextsBytes() throws {
        let name = try #require(GoldenTests.scenarioNames.first)
        let text = try String(contentsOf: GoldenTests.scenarioDirectory.appendingPathComponent(name + ".json"), encoding: .utf8)
        let unusual = text.replacingOccurrences(of: "\"description\": \"", with: "\"description\": \"caf\u{E9} \u{2713} \u{1F600} e\u{301} \\\"quoted\\\"? ")
        #expect(unusual != text)
        let result = ScenarioPlayer.play(try ScenarioLoader.load(text: unusual, file: "scenarios/\(name).json"))
        let renderer = TextRenderer(color: true)
        #expect(renderer.renderBytes(result) == Array(renderer.render(result).utf8))
        #expect(renderer.render(result).contains("caf\u{E9} \u{2713} \u{1F600}"))
    }

    /// A console without a byte writer hands `out` the bytes as a String; one with it, the bytes.
    @Test func aConsoleWritesBytesThroughEitherPath() {
        final class Captured: @unchecked Sendable { var text = ""; var bytes: [UInt8] = [] }
        let captured = Captured()
        let plain = LabCommand.Console(out: { captured.text += $0 }, err: { _ in }, isTerminal: false, environment: [:])
        let bytes = Array("== caf\u{E9} \u{2713}\n".utf8)
        bytes.withUnsafeBytes { plain.write($0) }
        #expect(captured.text == "== caf\u{E9} \u{2713}\n")
        let direct = LabCommand.Console(out: { captured.text += $0 }, err: { _ in }, isTerminal: false, environment: [:],
                                        outBytes: { captured.bytes += $0 })
        bytes.withUnsafeBytes { direct.write($0) }
        #expect(captured.bytes == bytes)
        #expect(captured.text == "== caf\u{E9} \u{2713}\n", "the byte writer alone took them")
        // A console whose `out` is replaced (`bench --record` captures it) hands the replacement
        // the bytes too, not the byte writer that wrote where the old `out` did.
        var replaced = direct
        var recorded = ""
        replaced.out = { recorded += $0 }
        bytes.withUnsafeBytes { replaced.write($0) }
        #expect(recorded == "== caf\u{E9} \u{2713}\n")
        #expect(captured.bytes == bytes, "the old byte writer was not used again")
    }
}

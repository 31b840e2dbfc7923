import Foundation
import Testing
@testable import ReviveLab

/// The loader reads a scenario file straight into a String (`FileSystem.directText`) and
/// leaves every file it cannot vouch for to the general path (`FileSystem.contents`, then
/// `UTF8Text.decode`), behind `FileSystem.text(atPath:)`: what it gives
/// is always the general path's text, byte for byte, and it gives it for plain UTF-8 files.
struct DirectTextTests {
    /// Crafted byte sequences (valid and not, with byte-order marks and U+FFFD), every single
    /// byte, each after ASCII and before it, and texts around the sizes reads are made in.
    static func contents() -> [[UInt8]] {
        let crafted: [[UInt8]] = SystemLayerTextTests.crafted
        var all: [[UInt8]] = crafted + (0...255).map { [UInt8($0)] }
        let before: [UInt8] = Array("{\"a\": \"".utf8)
        let after: [UInt8] = Array("\"}\n".utf8)
        for bytes in crafted { all.append(before + bytes + after) }
        all.append([0xEF, 0xBF, 0xBD])
        all.append(Array("x\u{FFFD}y".utf8))
        all.append([0xEF, 0xBB, 0xBF, 0x7B, 0x7D])
        all.append([0xEF])
        all.append([0xEF, 0xBF])
        all.append(Array("caf\u{E9} \u{20AC}".utf8))
        for count in [1, 15, 16, 4_095, 4_097, 65_537] { all.append(Array(String(repeating: "a\u{E9}", count: count).utf8)) }
        return all
    }

    @Test func theTextIsTheGeneralPathsOrNone() throws {
        try SystemLayerFileTests.withScratch { folder in
            var direct = 0
            for (index, bytes) in Self.contents().enumerated() {
                let path = Path.join(folder, "file-\(index)")
                #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
                // The general path itself (`text(atPath:)` now tries the direct one first).
                let general = FileSystem.contents(atPath: path).flatMap(UTF8Text.decode)
                let hex = bytes.prefix(12).map { String($0, radix: 16) }.joined(separator: " ")
                guard let text = FileSystem.directText(atPath: path) else {
                    // Left to the general path: only a file it rejects or one this path cannot vouch for.
                    let plain = general != nil && !bytes.isEmpty && !bytes.starts(with: [0xEF, 0xBB, 0xBF]) && general?.contains("\u{FFFD}") == false
                    #expect(!plain, "[\(hex)] valid UTF-8 was not read directly")
                    continue
                }
                direct += 1
                #expect(general.map { Array($0.utf8) == Array(text.utf8) } == true, "[\(hex)] read directly as \(text.debugDescription)")
            }
            #expect(direct > 100)
        }
    }

    @Test func foldersMissingAndEmptyFilesAreLeftToTheGeneralPath() throws {
        try SystemLayerFileTests.withScratch { folder in
            #expect(FileSystem.directText(atPath: folder) == nil)
            #expect(FileSystem.directText(atPath: Path.join(folder, "missing")) == nil)
            let empty = Path.join(folder, "empty")
            #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
            #expect(FileSystem.directText(atPath: empty) == nil)
        }
    }

    @Test func theShippedScenariosAreReadDirectly() throws {
        let folder = GoldenTests.scenarioDirectory.path
        for name in try #require(SystemLayerFileTests.listing(folder)) where name.hasSuffix(".json") {
            let path = Path.join(folder, name)
            let text = try #require(FileSystem.directText(atPath: path), "\(name)")
            #expect(Array(text.utf8) == FileSystem.contents(atPath: path))
        }
    }
}

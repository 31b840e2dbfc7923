import Foundation
import Testing
@testable import ReviveLab

/// The frontend's file system calls on the C library (`Sources/ReviveLab/System`), checked against
/// what Foundation, which they replaced, reads and writes: fixtures are made and read back through
/// Foundation, so a test never trusts the call it checks.
struct SystemLayerFileTests {
    /// A fresh scratch folder for one test, removed when `body` returns.
    static func withScratch(_ body: (String) throws -> Void) throws {
        let folder = try #require(FileSystem.makeTemporaryFolder(prefix: "systemlayer-"))
        defer { FileSystem.removeTree(folder) }
        try body(folder)
    }

    /// The names in `folder` as Foundation lists them, sorted; nil when it cannot.
    static func listing(_ folder: String) -> [String]? { (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() }

    /// `count` bytes that are not all alike, so a byte read from the wrong place shows.
    static func bytes(_ count: Int) -> [UInt8] {
        var state: UInt32 = 0x9E37_79B9 &+ UInt32(count)
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// Around the spare byte and the 4 KB growth step, and past one 64 KB read.
    @Test(arguments: [0, 1, 4_095, 4_096, 4_097, 65_536, 65_537, 200_001])
    func contentsAreTheFilesExactBytes(size: Int) throws {
        try Self.withScratch { folder in
            let path = Path.join(folder, "data")
            let expected = Self.bytes(size)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(expected)))
            #expect(FileSystem.contents(atPath: path) == expected)
        }
    }

    @Test func contentsAreNilForAMissingPathAndForAFolder() throws {
        try Self.withScratch { folder in
            #expect(FileSystem.contents(atPath: Path.join(folder, "missing")) == nil)
            #expect(FileSystem.contents(atPath: folder) == nil)
            guard case .failure(.unreadable) = FileSystem.text(atPath: folder) else { Issue.record("a folder read as text"); return }
        }
    }

    /// /proc files say their size is 0, so the whole read rests on growing the buffer.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/maps")))
    func procFilesWithAZeroSizeAreReadWhole() throws {
        var status = stat()
        #expect(stat("/proc/self/status", &status) == 0 && status.st_size == 0)
        let text = try #require(FileSystem.contents(atPath: "/proc/self/status").flatMap(UTF8Text.decode))
        #expect(text.contains("\nPid:\t\(getpid())\n"))
        // The test process maps dozens of libraries: more than one 4 KB page, with the stack near its end.
        let maps = try #require(FileSystem.contents(atPath: "/proc/self/maps"))
        #expect(maps.count > 8_192)
        #expect(maps.last == UInt8(ascii: "\n"))
        #expect(String(decoding: maps, as: UTF8.self).contains("[stack]"))
    }

    @Test func textTellsUnreadableFromNotUTF8() throws {
        try Self.withScratch { folder in
            let path = Path.join(folder, "t")
            #expect(FileManager.default.createFile(atPath: path, contents: Data([0x68, 0xC3, 0xA9, 0x0A])))
            #expect((try? FileSystem.text(atPath: path).get()) == "hé\n")
            #expect(FileManager.default.createFile(atPath: path, contents: Data([0x68, 0xC3])))
            guard case .failure(.notUTF8) = FileSystem.text(atPath: path) else { Issue.record("bad UTF-8 read as text"); return }
            guard case .failure(.unreadable) = FileSystem.text(atPath: path + "x") else { Issue.record("missing file read"); return }
        }
    }

    @Test func writeReplacesTheWholeFileAndLeavesNoScratchFile() throws {
        try Self.withScratch { folder in
            let path = Path.join(folder, "out.txt")
            #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 100_000)))
            #expect(FileSystem.write("short\n", toPath: path) == nil)
            #expect(FileManager.default.contents(atPath: path) == Data("short\n".utf8))
            let long = String(repeating: "é-line ✓\n", count: 20_000)
            #expect(FileSystem.write(long, toPath: path) == nil)
            #expect(FileManager.default.contents(atPath: path) == Data(long.utf8))
            #expect(FileSystem.write("", toPath: path) == nil)
            #expect(FileManager.default.contents(atPath: path) == Data())
            #expect(SystemLayerFileTests.listing(folder) == ["out.txt"])
        }
    }

    @Test func aFailedWriteReturnsItsErrorAndLeavesNothingBehind() throws {
        try Self.withScratch { folder in
            #expect(FileSystem.write("x", toPath: Path.join(folder, "missing/out.txt")) == ENOENT)
            #expect(SystemLayerFileTests.listing(folder) == [])
            // Over a folder the scratch file is written, then the rename fails: it must be removed.
            try FileManager.default.createDirectory(atPath: Path.join(folder, "sub"), withIntermediateDirectories: false)
            #expect(FileSystem.write("x", toPath: Path.join(folder, "sub")) != nil)
            #expect(SystemLayerFileTests.listing(folder) == ["sub"])
        }
    }

    @Test func kindAndExistsFollowSymbolicLinks() throws {
        try Self.withScratch { folder in
            let file = Path.join(folder, "file"), sub = Path.join(folder, "sub")
            #expect(FileManager.default.createFile(atPath: file, contents: Data()))
            #expect(mkdir(sub, 0o755) == 0)
            #expect(symlink(file, Path.join(folder, "toFile")) == 0)
            #expect(symlink(sub, Path.join(folder, "toSub")) == 0)
            #expect(symlink(Path.join(folder, "nowhere"), Path.join(folder, "dangling")) == 0)
            #expect(FileSystem.kind(atPath: file) == .file)
            #expect(FileSystem.kind(atPath: sub) == .folder)
            #expect(FileSystem.kind(atPath: Path.join(folder, "toFile")) == .file)
            #expect(FileSystem.kind(atPath: Path.join(folder, "toSub")) == .folder)
            #expect(FileSystem.kind(atPath: Path.join(folder, "dangling")) == nil)
            #expect(FileSystem.exists(Path.join(folder, "toSub")))
            #expect(!FileSystem.exists(Path.join(folder, "dangling")))
            #expect(!FileSystem.exists(Path.join(folder, "missing")))
            #expect(FileSystem.kind(atPath: "/dev/null") == .file)
        }
    }

    @Test func namesInAFolderLeaveOutTheDotEntries() throws {
        try Self.withScratch { folder in
            #expect(FileSystem.names(inFolder: folder) == [])
            for name in ["a", ".hidden", "with space", "é"] {
                #expect(FileManager.default.createFile(atPath: Path.join(folder, name), contents: Data()))
            }
            #expect(mkdir(Path.join(folder, "sub"), 0o755) == 0)
            let names = try #require(FileSystem.names(inFolder: folder))
            #expect(names.count == 5)
            #expect(names.sorted() == SystemLayerFileTests.listing(folder))
            #expect(FileSystem.names(inFolder: Path.join(folder, "a")) == nil)
            #expect(FileSystem.names(inFolder: Path.join(folder, "missing")) == nil)
        }
    }

    /// The listing's kinds agree with `kind(atPath:)` wherever it gives one, and links (whose
    /// kind is their target's) are left for `kind(atPath:)` to follow.
    @Test func entriesInAFolderCarryTheirKindExceptLinks() throws {
        try Self.withScratch { folder in
            #expect(FileManager.default.createFile(atPath: Path.join(folder, "file.json"), contents: Data()))
            #expect(mkdir(Path.join(folder, "sub"), 0o755) == 0)
            #expect(symlink(Path.join(folder, "file.json"), Path.join(folder, "toFile")) == 0)
            #expect(symlink(Path.join(folder, "sub"), Path.join(folder, "toSub")) == 0)
            var seen: [String: FileSystem.Kind?] = [:]
            #expect(FileSystem.forEachEntry(inFolder: folder) { name, listed in seen[name] = listed })
            #expect(Set(seen.keys) == Set(SystemLayerFileTests.listing(folder) ?? []))
            for (name, listed) in seen {
                let followed = FileSystem.kind(atPath: Path.join(folder, name))
                // A file system may leave every kind out (nil); one it gives is the entry's own.
                if let listed { #expect(listed == followed && !name.hasPrefix("to"), "\(name)") }
            }
            #expect(seen["toFile"] == .some(nil) && seen["toSub"] == .some(nil))
            #expect(!FileSystem.forEachEntry(inFolder: Path.join(folder, "missing")) { _, _ in })
        }
    }

    /// A folder of scenarios listed through links finds the files behind them, in path order.
    @Test func scenarioFilesFollowLinksAndKeepOnlyJSON() throws {
        try Self.withScratch { folder in
            let real = Path.join(folder, "real")
            #expect(mkdir(real, 0o755) == 0)
            for name in ["b.json", "a.json", "notes.txt", "c.json\u{301}", "d.JSON"] {
                #expect(FileManager.default.createFile(atPath: Path.join(real, name), contents: Data()))
            }
            let listed = Path.join(folder, "listed")
            #expect(mkdir(listed, 0o755) == 0)
            #expect(symlink(real, Path.join(listed, "linked")) == 0)
            #expect(symlink(Path.join(real, "a.json"), Path.join(listed, "z.json")) == 0)
            let files = ScenarioFiles.expand([listed]).files
            #expect(files == ["linked/a.json", "linked/b.json", "z.json"].map { Path.join(listed, $0) }, "\(files)")
            for name in ["b.json", "notes.txt", "c.json\u{301}", "d.JSON", ".json", "json", "é.json", "\u{600}.json", "\u{600}x.json"] {
                #expect(PathArguments.hasSuffix(".json", name) == name.hasSuffix(".json"), "\(name)")
            }
        }
    }

    @Test func makeFolderMakesParentsAndFailsOnAFileInTheWay() throws {
        try Self.withScratch { folder in
            let nested = Path.join(folder, "x/y/z")
            #expect(FileSystem.makeFolder(nested) == nil)
            var isFolder: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isFolder) && isFolder.boolValue)
            #expect(FileSystem.makeFolder(nested) == nil)
            #expect(FileSystem.makeFolder(Path.join(folder, "p/q/")) == nil)
            #expect(FileSystem.kind(atPath: Path.join(folder, "p/q")) == .folder)
            let file = Path.join(folder, "f")
            #expect(FileManager.default.createFile(atPath: file, contents: Data("keep".utf8)))
            #expect(FileSystem.makeFolder(file) != nil)
            #expect(FileSystem.makeFolder(Path.join(file, "sub/deeper")) != nil)
            #expect(FileManager.default.contents(atPath: file) == Data("keep".utf8))
        }
    }

    @Test func removeTreeRemovesEverythingButNeverFollowsALink() throws {
        try Self.withScratch { folder in
            let outside = Path.join(folder, "outside"), target = Path.join(outside, "precious")
            #expect(FileSystem.makeFolder(outside) == nil)
            #expect(FileManager.default.createFile(atPath: target, contents: Data("x".utf8)))
            let tree = Path.join(folder, "tree")
            #expect(FileSystem.makeFolder(Path.join(tree, "a/b/c")) == nil)
            for file in ["top", "a/one", "a/b/two", "a/b/c/.three"] {
                #expect(FileManager.default.createFile(atPath: Path.join(tree, file), contents: Data("y".utf8)))
            }
            #expect(symlink(outside, Path.join(tree, "a/linkToFolder")) == 0)
            #expect(symlink(target, Path.join(tree, "a/b/linkToFile")) == 0)
            FileSystem.removeTree(tree)
            #expect(!FileManager.default.fileExists(atPath: tree))
            #expect(FileManager.default.contents(atPath: target) == Data("x".utf8))
            // A link given itself goes, and its target stays.
            let link = Path.join(folder, "link")
            #expect(symlink(outside, link) == 0)
            FileSystem.removeTree(link)
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
            #expect(FileManager.default.contents(atPath: target) == Data("x".utf8))
            FileSystem.removeTree(Path.join(folder, "missing"))
        }
    }

    @Test func temporaryFoldersAreFreshAndUnderTheTemporaryFolder() throws {
        let expected = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        #expect(FileSystem.temporaryFolder == (expected.count > 1 && expected.hasSuffix("/") ? String(expected.dropLast()) : expected))
        let first = try #require(FileSystem.makeTemporaryFolder(prefix: "systemlayer-fresh-"))
        defer { FileSystem.removeTree(first) }
        let second = try #require(FileSystem.makeTemporaryFolder(prefix: "systemlayer-fresh-"))
        defer { FileSystem.removeTree(second) }
        #expect(first != second)
        for folder in [first, second] {
            #expect(Path.parent(of: folder) == FileSystem.temporaryFolder)
            let name = String(folder.split(separator: "/").last ?? "")
            #expect(name.hasPrefix("systemlayer-fresh-"))
            #expect(name.count == "systemlayer-fresh-".count + 6)
            #expect(SystemLayerFileTests.listing(folder) == [])
        }
    }

    @Test func executablePathIsThisProcesssExecutable() throws {
        let path = FileSystem.executablePath
        #expect(path.hasPrefix("/"))
        var mine = stat(), running = stat()
        #expect(stat(path, &mine) == 0 && stat("/proc/self/exe", &running) == 0)
        #expect(mine.st_ino == running.st_ino && mine.st_dev == running.st_dev)
        #expect(FileSystem.describe(ENOENT) == "No such file or directory")
    }

    @Test func pathJoinPutsExactlyOneSlashBetween() {
        #expect(Path.join("a", "b") == "a/b")
        #expect(Path.join("a/", "b") == "a/b")
        #expect(Path.join("/", "b") == "/b")
        #expect(Path.join("", "b") == "b")
        #expect(Path.join("/x/y", "b.json") == "/x/y/b.json")
    }

    @Test func pathParentAtTheEdges() {
        let parents = ["a/b/c": "a/b", "/c": "/", "c": "", "": "", "/": "/", "//": "/", "a/b/": "a", "a/": "",
                       "/a/": "/", "/a/b//": "/a", "./x": "."]
        for (path, parent) in parents { #expect(Path.parent(of: path) == parent, "parent of \"\(path)\"") }
    }
}

/// Whole reads and writes on descriptors, and the line-by-line output file.
struct SystemLayerDescriptorTests {
    /// Five times a pipe's buffer, written by another thread while this one reads; a
    /// non-blocking write end must wait for room rather than drop bytes.
    @Test(arguments: [false, true])
    func readAllTakesEverythingAWriterSendsUntilItCloses(nonBlocking: Bool) throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        if nonBlocking { #expect(fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK) == 0) }
        let text = (0..<20_000).map { "line \($0) ✓\n" }.joined()
        let written = SystemLayerLocked<Int32??>(nil)
        Threads.start {
            let failure = Descriptor.writeAll(text, to: writeEnd)
            close(writeEnd)
            written.with { $0 = .some(failure) }
            written.condition.broadcast()
        }
        let bytes = Descriptor.readAll(from: readEnd)
        close(readEnd)
        #expect(written.waitUntil { $0 != nil } == .some(nil))
        #expect(bytes == Array(text.utf8))
    }

    @Test func badDescriptorsReportTheirError() {
        #expect(Descriptor.readAll(from: -1) == nil)
        #expect(Descriptor.writeAll("x", to: -1) == EBADF)
        #expect(Descriptor.writeAll("", to: -1) == nil, "nothing to write, nothing written")
    }

    @Test func outputFileStartsEmptyAndWritesLinesInOrder() throws {
        try SystemLayerFileTests.withScratch { folder in
            let path = Path.join(folder, "timeline.jsonl")
            #expect(FileManager.default.createFile(atPath: path, contents: Data("an old, longer file\n".utf8)))
            let file = try #require(OutputFile(creatingAt: path))
            #expect(file.path == path)
            let lines = (0..<1_000).map { "{\"step\":\($0)}\n" }
            for line in lines { file.write(line) }
            file.synchronize()
            // Read while the file is still open: every write went straight to it.
            #expect(FileManager.default.contents(atPath: path) == Data(lines.joined().utf8))
            #expect(file.failure == nil)
            #expect(OutputFile(creatingAt: Path.join(folder, "missing/t.jsonl")) == nil)
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func outputFileRecordsAFailedWrite() throws {
        let file = try #require(OutputFile(creatingAt: "/dev/full"))
        #expect(file.failure == nil)
        file.write("a line\n")
        #expect(file.failure == ENOSPC)
        file.write("another\n")
        #expect(file.failure == ENOSPC)
    }
}

/// The System layer's text and number helpers give exactly what the Foundation calls they
/// replaced gave.
struct SystemLayerTextTests {
    @Test func fixedDecimalsPrintAsStringFormatDoes() {
        let values: [Double] = [0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.005, 1.005, 2.675, 99.995, 123.456,
                                -123.456, 1e-10, 9.999_9, 12_345_678.9, 1e15, 1e20, .pi, -.pi, .leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .nan, .infinity, -.infinity]
        // Width 70 and the largest doubles need more than the 64-byte first buffer.
        for value in values {
            for places in [0, 1, 2, 3, 6, 17] {
                for width in [0, 1, 10, 70] {
                    let format = width > 0 ? "%\(width).\(places)f" : "%.\(places)f"
                    #expect(ReviveLab.Decimal.fixed(value, places: places, width: width) == String(format: format, value),
                            "\(value) as \(format)")
                }
            }
        }
    }

    /// Every scalar: blank to `trimmingBlanks` exactly when Foundation's whitespace set holds it.
    @Test func blanksAreFoundationsWhitespaceScalarForScalar() {
        var differing: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let blank = RecordedTimeline.trimmingBlanks(Substring(String(Character(scalar)))).isEmpty
            if blank != CharacterSet.whitespaces.contains(scalar) { differing.append(Self.names([scalar])) }
        }
        #expect(differing.count == 0, "blank to one and not the other: \(differing)")
    }

    /// Every string of up to four scalars from blanks, line ends and marks, trimmed as a slice in
    /// the middle of a longer line, as the JSONL reader trims them.
    @Test func trimmingBlanksTrimsWhatFoundationTrims() {
        let alphabet: [Unicode.Scalar] = [" ", "\t", "\u{A0}", "\u{2003}", "\u{3000}", "\u{1680}", "\r", "\n",
                                          "\u{0B}", "\u{85}", "\u{200B}", "\u{301}", "x", "é"]
        var strings: [[Unicode.Scalar]] = [[]]
        var frontier: [[Unicode.Scalar]] = [[]]
        for _ in 1...4 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + [$0] } }
            strings += frontier
        }
        var differing: [String] = []
        for scalars in strings {
            var line = String.UnicodeScalarView()
            line.append(contentsOf: ["{"] + scalars + ["}"])
            let whole = String(line)
            let inner = whole.unicodeScalars.index(after: whole.startIndex)..<whole.unicodeScalars.index(before: whole.endIndex)
            let text = String(whole.unicodeScalars[inner])
            let expected = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
            let got = Array(RecordedTimeline.trimmingBlanks(Substring(whole.unicodeScalars[inner])).unicodeScalars)
            if got != expected { differing.append("\(Self.names(scalars)) gave \(Self.names(got)), not \(Self.names(expected))") }
        }
        // One summary instead of one issue per string: a wrong blank shows up in thousands of them.
        #expect(differing.count == 0, "\(differing.count) strings trimmed differently, first: \(differing.prefix(5))")
    }

    static func names(_ scalars: [Unicode.Scalar]) -> String {
        "[" + scalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ") + "]"
    }

    static let crafted: [[UInt8]] = [
        [], Array("hello".utf8), [0x00], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0x7F],
        [0xEF, 0xBB, 0xBF, 0x41], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
        [0x80], [0xBF], [0x41, 0x80, 0x41], [0xC3, 0xA9, 0xA9],
        [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x41, 0xE2], [0x41, 0xF0, 0x9F, 0x98],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xFF, 0xFE],
        [0xF0, 0x9F, 0x41], [0xF0, 0x41, 0x41, 0x41], [0xF0, 0x9F, 0x98, 0x41, 0x42], [0xE2, 0x41, 0x42],
    ] + (0xF5...0xFF).map { [UInt8($0), 0x41] }

    /// The crafted cases, every one- and two-byte sequence, and three- and four-byte leads with
    /// every second byte.
    static func sequences() -> [[UInt8]] {
        var all = crafted + (0...255).map { [UInt8($0)] }
        for first in 0...255 { for second in 0...255 { all.append([UInt8(first), UInt8(second)]) } }
        for lead in 0xE0...0xFF {
            for second in 0...255 {
                for tail: [UInt8] in [[0x80], [0xBF], [0x41], [0x80, 0x80], [0xBF, 0x41]] {
                    all.append([UInt8(lead), UInt8(second)] + tail)
                }
            }
        }
        return all
    }

    @Test func utf8DecodingAcceptsExactlyWhatFoundationAccepts() {
        var accepted: [String] = [], decoded: [String] = []
        for bytes in Self.sequences() {
            let expected = String(data: Data(bytes), encoding: .utf8)
            let got = UTF8Text.decode(bytes)
            let hex = bytes.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            if (got == nil) != (expected == nil) { accepted.append("[\(hex)] \(got == nil ? "rejected" : "accepted")") }
            if let got, let expected {
                if Array(got.unicodeScalars) != Array(expected.unicodeScalars) {
                    decoded.append("[\(hex)] gave \(Self.names(Array(got.unicodeScalars))), not \(Self.names(Array(expected.unicodeScalars)))")
                }
                // The text is the bytes themselves, less a leading byte-order mark.
                #expect(Array(got.utf8) == (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes))
            }
        }
        #expect(accepted.count == 0, "accepted or rejected unlike Foundation: \(accepted.prefix(8))")
        #expect(decoded.count == 0, "decoded unlike Foundation: \(decoded.prefix(8))")
    }
}

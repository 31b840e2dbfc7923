#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import ReviveLab

/// What the System layer must never do: write through a symbolic link someone planted, make files
/// more open than the umask allows, or take a child it could not wait for as a success.
struct SystemLayerSafetyTests {
    @Test func writeReplacesALinkAndLeavesItsTargetAlone() throws {
        try SystemLayerFileTests.withScratch { folder in
            let target = Path.join(folder, "precious.txt")
            let link = Path.join(folder, "out.txt")
            #expect(FileManager.default.createFile(atPath: target, contents: Data("precious\n".utf8)))
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            #expect(FileSystem.write("written\n", toPath: link) == nil)
            #expect(FileManager.default.contents(atPath: target) == Data("precious\n".utf8))
            #expect(FileManager.default.contents(atPath: link) == Data("written\n".utf8))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil, "the link was replaced by a file")
            #expect(SystemLayerFileTests.listing(folder) == ["out.txt", "precious.txt"])
        }
    }

    @Test func writeNeverWritesThroughAPlantedScratchName() throws {
        try SystemLayerFileTests.withScratch { folder in
            // The first scratch name this process would use, planted as a link to another file.
            let target = Path.join(folder, "precious.txt")
            #expect(FileManager.default.createFile(atPath: target, contents: Data("precious\n".utf8)))
            try FileManager.default.createSymbolicLink(atPath: Path.join(folder, ".revive-\(getpid())-0.partial"), withDestinationPath: target)
            #expect(FileSystem.write("written\n", toPath: Path.join(folder, "out.txt")) == nil)
            #expect(FileManager.default.contents(atPath: target) == Data("precious\n".utf8))
            #expect(FileManager.default.contents(atPath: Path.join(folder, "out.txt")) == Data("written\n".utf8))
        }
    }

    @Test func anOutputFileRefusesASymbolicLink() throws {
        try SystemLayerFileTests.withScratch { folder in
            let target = Path.join(folder, "precious.txt")
            #expect(FileManager.default.createFile(atPath: target, contents: Data("precious\n".utf8)))
            try FileManager.default.createSymbolicLink(atPath: Path.join(folder, "log.jsonl"), withDestinationPath: target)
            #expect(OutputFile(creatingAt: Path.join(folder, "log.jsonl")) == nil)
            #expect(FileManager.default.contents(atPath: target) == Data("precious\n".utf8))
        }
    }

    /// The umask of this process, read without changing it for long (tests in other threads make
    /// files meanwhile, so it is set back to the same value at once).
    static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    @Test func newFilesAndFoldersTakeTheirModeFromTheUmask() throws {
        try SystemLayerFileTests.withScratch { folder in
            let mask = Self.currentUmask()
            #expect(FileSystem.write("x", toPath: Path.join(folder, "written")) == nil)
            let line = try #require(OutputFile(creatingAt: Path.join(folder, "line")))
            line.write("x\n")
            #expect(FileSystem.makeFolder(Path.join(folder, "made/deeper")) == nil)
            func mode(_ name: String) throws -> mode_t {
                var status = stat()
                #expect(stat(Path.join(folder, name), &status) == 0)
                return status.st_mode & 0o777
            }
            #expect(try mode("written") == 0o666 & ~mask)
            #expect(try mode("line") == 0o666 & ~mask)
            #expect(try mode("made") == 0o777 & ~mask)
            #expect(try mode("made/deeper") == 0o777 & ~mask)
        }
    }

    @Test func aChildReapedElsewhereEndsUnknownNeverAsASuccess() throws {
        let child = try Subprocess(executable: "/bin/sh", arguments: ["-c", "exit 0"], output: .discarded)
        var status: Int32 = 0
        #expect(waitpid(child.pid, &status, 0) == child.pid, "reaped here, behind the Subprocess's back")
        #expect(child.poll() == .unknown)
        #expect(child.wait() == .unknown)
        #expect(child.ending?.described == "ended, and how cannot be known (something else reaped it)")
        let other = try Subprocess(executable: "/bin/sh", arguments: ["-c", "exit 0"], output: .discarded)
        #expect(waitpid(other.pid, &status, 0) == other.pid)
        #expect(other.wait() == .unknown)
    }
}

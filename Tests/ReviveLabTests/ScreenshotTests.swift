import Foundation
import Testing
import Revive
import ReviveLab

/// The README's screenshot of the HTML report is of the page the lab renders today: the digest
/// recorded when it was taken (scripts/screenshot.sh) must match the page rendered now.
struct ScreenshotTests {
    @Test func everyRecordedScreenshotIsOfTheCurrentPage() throws {
        let record = try DocumentationTests.read("docs/images/screenshots.txt")
        let rows = record.split(separator: "\n").filter { !$0.hasPrefix("#") }
        try #require(!rows.isEmpty, "docs/images/screenshots.txt records no screenshot")
        for row in rows {
            let fields = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            try #require(fields.count >= 3, "bad row: \(row)")
            let (image, digest) = (fields[0], fields[1])
            #expect(FileManager.default.fileExists(atPath: DocumentationTests.root.appendingPathComponent("docs/images/\(image)").path))
            let name = String(image.dropLast(".png".count))
            let page = HTMLRenderer.render(try GoldenTests.play(name))
            #expect(SHA256.hexDigest(page) == digest,
                    "docs/images/\(image) shows an older page than \(name) renders today; retake it with scripts/screenshot.sh")
        }
    }

    @Test func theReadmeShowsTheScreenshot() throws {
        let readme = try DocumentationTests.read("README.md")
        #expect(readme.contains("](docs/images/wrong-tenant-reconnect.png)"))
    }
}

import Foundation
import Testing
import Revive
import ReviveVocabulary

/// `run --format html --output DIR`: one self-contained page per scenario.
struct HTMLFormatTests {
    typealias Page = (name: String, page: String, records: [JSONValue])

    /// Every shipped scenario written as HTML and JSONL, read back: name → (page, records).
    /// Rendered once for all the tests that read them (two runs of the whole catalogue).
    static func pages(_ fixtures: Fixtures, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Page] {
        try rendered.get()
    }

    private static let rendered: Result<[Page], any Error> = Result { () throws -> [Page] in
        let fixtures = try Fixtures("html-pages")
        let html = fixtures.directory.appendingPathComponent("html")
        let jsonl = fixtures.directory.appendingPathComponent("jsonl")
        let first = try Lab.run(["run", "scenarios", "--format", "html", "--output", html.path])
        let second = try Lab.run(["run", "scenarios", "--format", "jsonl", "--output", jsonl.path])
        guard first.status == 0 && second.status == 0 else { throw RenderFailure(text: "\(first.summary)\n\(second.summary)") }
        return try Lab.shippedScenarioNames().map { name in
            (name, try String(contentsOf: html.appendingPathComponent("\(name).html"), encoding: .utf8),
             try Formats.jsonl(try String(contentsOf: jsonl.appendingPathComponent("\(name).jsonl"), encoding: .utf8)))
        }
    }

    struct RenderFailure: Error, CustomStringConvertible {
        let text: String
        var description: String { "rendering the catalogue failed: \(text)" }
    }

    /// The values of every `src` and `href` attribute in a page (quoted or not).
    static func linkAttributes(_ page: String) -> [String] {
        var values: [String] = []
        let lower = page.lowercased()
        for attribute in ["src", "href"] {
            var rest = Substring(lower)
            while let range = rest.range(of: attribute) {
                rest = rest[range.upperBound...]
                let afterName = rest.drop(while: { $0 == " " })
                guard afterName.first == "=" else { continue }
                let value = afterName.dropFirst().drop(while: { $0 == " " })
                if let quote = value.first, quote == "\"" || quote == "'" {
                    values.append(String(value.dropFirst().prefix(while: { $0 != quote })))
                } else {
                    values.append(String(value.prefix(while: { $0 != " " && $0 != ">" })))
                }
            }
        }
        return values
    }

    @Test func everyPageIsSelfContained() throws {
        let fixtures = try Fixtures()
        for (name, page, _) in try HTMLFormatTests.pages(fixtures) {
            let lower = page.lowercased()
            for value in HTMLFormatTests.linkAttributes(page) {
                #expect(!value.hasPrefix("http://") && !value.hasPrefix("https://") && !value.hasPrefix("//"),
                        "\(name).html links to \(value)")
            }
            #expect(!lower.contains("<script src"), "\(name).html loads no script")
            #expect(!lower.contains("<link"), "\(name).html links no stylesheet")
            #expect(!lower.contains("@import"), "\(name).html imports no stylesheet")
            #expect(!lower.contains("url(http"), "\(name).html loads nothing from the network in CSS")
        }
    }

    @Test func everyPageShowsTheScenarioNameTheVerdictAndEveryInvariant() throws {
        let fixtures = try Fixtures()
        for (name, page, records) in try HTMLFormatTests.pages(fixtures) {
            #expect(page.contains("<title>\(name) · revive-lab</title>"), "\(name).html title")
            #expect(page.contains("<h1>\(name) <span class=\"verdict pass\">PASS</span></h1>"), "\(name).html verdict")
            let checked = records.last?["invariantsChecked"].flatMap { value -> [String]? in
                guard case .array(let items) = value else { return nil }
                return items.compactMap(\.stringValue)
            } ?? []
            #expect(!checked.isEmpty, "\(name): the footer lists the invariants checked")
            for invariant in checked {
                #expect(page.contains("<tr><td>\(invariant)</td>"), "\(name).html has a row for \(invariant)")
            }
            #expect(!page.contains("BROKEN"), "\(name).html: a passing scenario breaks nothing")
        }
    }

    @Test func everyPageHasASwimLaneHeaderWithEachParty() throws {
        let fixtures = try Fixtures()
        for (name, page, records) in try HTMLFormatTests.pages(fixtures) {
            let workers: [String] = {
                guard case .array(let items)? = records.first?["workers"] else { return [] }
                return items.compactMap(\.stringValue)
            }()
            let lanes = ["provider", "revive", "runtime"] + workers
            let header = "<div class=\"lh\"><span>time</span>" + lanes.map { "<span>\($0)</span>" }.joined()
            #expect(page.contains(header), "\(name).html swim-lane header starts with \(lanes)")
            let headerLine = page.split(separator: "\n").first(where: { $0.contains("<div class=\"lh\">") }).map(String.init) ?? ""
            for actor in Set(Formats.transitions(records).compactMap { $0["actor"]?.stringValue }) {
                #expect(headerLine.contains("<span>\(actor)</span>"), "\(name).html has a lane for \(actor)")
            }
            let rows = page.components(separatedBy: "<div class=\"row\" id=").count - 1
            #expect(rows == Formats.transitions(records).count, "\(name).html has one timeline row per transition, folded or not")
        }
    }

    @Test func theStoryIsEscapedNotInterpretedAsMarkup() throws {
        let fixtures = try Fixtures()
        let text = try Formats.scenarioText("revoked-grant").replacingOnce(
            "\"description\": \"The mailbox grant is revoked before the send;",
            with: "\"description\": \"<script>alert(1)</script> & <img src=https://evil.example/x.png> The mailbox grant is revoked before the send;")
        let path = try fixtures.write("revoked-grant.json", text)
        let out = fixtures.directory.appendingPathComponent("out")
        let result = try Lab.run(["run", path, "--format", "html", "--output", out.path])
        #expect(result.status == 0, "\(result.summary)")
        let page = try String(contentsOf: out.appendingPathComponent("revoked-grant.html"), encoding: .utf8)
        #expect(!page.contains("<script>"))
        #expect(!page.contains("<img"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=https://evil.example/x.png&gt;"))
    }

    @Test func aFailingScenarioPageSaysFailAndWhatBroke() throws {
        let fixtures = try Fixtures()
        let failing = try JUnitFormatTests.failingCopy(in: fixtures)
        let out = fixtures.directory.appendingPathComponent("out")
        let result = try Lab.run(["run", failing, "--format", "html", "--output", out.path])
        #expect(result.status == 1, "\(result.summary)")
        let page = try String(contentsOf: out.appendingPathComponent("revoked-grant.html"), encoding: .utf8)
        #expect(page.contains("<span class=\"verdict fail\">FAIL</span>"))
        #expect(page.contains("<li>expect.effects.send-briefing: expected 2, got 1</li>"))
    }
}

/// The report leads with the recovery, folds repeats, and links everything from the summary.
struct HTMLLayoutTests {
    /// Every `href="#id"` of a page and every `id="…"`.
    static func anchors(_ page: String) -> (links: [String], ids: Set<String>) {
        func values(after marker: String) -> [String] {
            page.components(separatedBy: marker).dropFirst().map { String($0.prefix(while: { $0 != "\"" })) }
        }
        return (values(after: "href=\"#"), Set(values(after: " id=\"")))
    }

    @Test func theRecoverySummaryComesBeforeTheTimelineAndLinksToEverySection() throws {
        let fixtures = try Fixtures()
        for (name, page, _) in try HTMLFormatTests.pages(fixtures) {
            let summary = try #require(page.range(of: "<section class=\"recovery\" id=\"\(name)-summary\">"), "\(name): no summary")
            let timeline = try #require(page.range(of: "<h2 id=\"\(name)-timeline\">"), "\(name): no timeline")
            #expect(summary.upperBound < timeline.lowerBound, "\(name): the summary leads")
            let head = String(page[summary.lowerBound..<timeline.lowerBound])
            for stage in ["what broke", "classified", "case", "capability", "verification", "rotation", "resume", "effects at the provider", "outcome"] {
                #expect(head.contains("<b>\(stage)</b>"), "\(name): the summary lacks \(stage)")
            }
            for section in ["timeline", "invariants", "cases", "leases", "ledger"] {
                #expect(head.contains("href=\"#\(name)-\(section)\""), "\(name): the summary does not link \(section)")
            }
            let (links, ids) = HTMLLayoutTests.anchors(page)
            for link in links { #expect(ids.contains(link), "\(name).html links to #\(link), which is not on the page") }
        }
    }

    @Test func theSummaryTellsTheRecoveryOfRevokedGrant() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "html"])
        #expect(result.status == 0, "\(result.summary)")
        for fragment in ["<b>what broke</b><a href=\"#revoked-grant-t15\">provider.failed at send-briefing attempt 1 status=400 error=invalid_grant",
                         "<b>classified</b><a href=\"#revoked-grant-t16\">dead_grant (rule microsoft-dead-grant, confidence high)</a>",
                         "<b>rotation</b><a href=\"#revoked-grant-t22\">conn_microsoft_ops: generation 1 → 2 (reconnect)</a>",
                         "<b>effects at the provider</b>send-briefing × 1"] {
            #expect(result.stdout.contains(fragment), "the summary lacks \(fragment)")
        }
    }

    @Test func repeatedRemindersAreFoldedWithTheirCount() throws {
        let result = try Lab.run(["run", "scenarios/owner-never-reconnects.json", "--format", "html"])
        #expect(result.status == 0, "\(result.summary)")
        let folds = result.stdout.components(separatedBy: "<details class=\"fold\"><summary>").dropFirst()
        #expect(folds.count == 1, "\(result.summary)")
        #expect(folds.first?.contains("reconnect.requested → capability.expired × 3 (6 transitions") == true, "\(folds.first ?? "")")
        let revoked = try Lab.run(["run", "scenarios/revoked-grant.json", "--format", "html"])
        #expect(!revoked.stdout.contains("<details"), "a story without repeats folds nothing")
    }

    @Test func severalScenariosOnStandardOutputAreOnePageWithAnIndex() throws {
        let result = try Lab.run(["run", "scenarios/revoked-grant.json", "scenarios/worker-loss.json", "--format", "html"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout.components(separatedBy: "<!DOCTYPE html>").count == 2, "one document")
        #expect(result.stdout.contains("<h1 id=\"index\">revive-lab: 2 scenarios, 2 passed, 0 failed</h1>"))
        for name in ["revoked-grant", "worker-loss"] {
            #expect(result.stdout.contains("<td><a href=\"#\(name)\">\(name)</a></td>"), "the index links \(name)")
            #expect(result.stdout.contains("<section class=\"scenario\" id=\"\(name)\">"), "the page holds \(name)")
        }
        let (links, ids) = HTMLLayoutTests.anchors(result.stdout)
        for link in links { #expect(ids.contains(link), "the page links to #\(link), which is not on it") }
    }
}

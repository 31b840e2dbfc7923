import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Renders scenario results as self-contained HTML (no network, no external assets).
///
/// A page leads with the recovery (`HTMLSummary`): what broke and how it was recovered, above the
/// fold, each stage linking to its transition; then the timeline as compact swim lanes with
/// repeated transitions folded (`HTMLTimeline`), the invariants, the recovery cases, the lease
/// generations and the action ledger (`HTMLSections`). Several scenarios rendered to one stream
/// make one page with an index.
public enum HTMLRenderer {
    /// The page for one result (optionally only some transitions in the swim lanes).
    public static func render(_ result: ScenarioResult, showing shown: [Int]? = nil) -> String {
        pageHead(title: result.scenario.name) + body(result, showing: shown, anchor: result.scenario.name) + "</body></html>\n"
    }

    /// One page for several results: an index with each verdict, then every scenario in turn.
    public static func renderIndex(_ results: [(result: ScenarioResult, shown: [Int]?)]) -> String {
        let passed = results.filter(\.result.passed).count
        var page = pageHead(title: "\(results.count) scenarios")
        page += "<h1 id=\"index\">revive-lab: \(results.count) scenarios, \(passed) passed, \(results.count - passed) failed</h1>\n"
        page += "<table class=\"index\"><tr><th>scenario</th><th>verdict</th><th>outcome</th><th>first class</th><th>effects</th></tr>\n"
        let anchors = uniqueAnchors(results.map(\.result.scenario.name))
        for (entry, anchor) in zip(results, anchors) {
            let result = entry.result
            page += "<tr><td><a href=\"#\(anchor)\">\(escape(result.scenario.name))</a></td>"
            page += "<td>\(verdictBadge(result))</td><td>\(escape(result.outcome.rawValue))</td>"
            page += "<td>\(escape(result.firstClassification?.rawValue ?? "none"))</td><td>\(escape(effectsText(result)))</td></tr>\n"
        }
        page += "</table>\n"
        for (entry, anchor) in zip(results, anchors) {
            page += "<section class=\"scenario\" id=\"\(anchor)\">\n"
            page += body(entry.result, showing: entry.shown, anchor: anchor)
            page += "<p class=\"back\"><a href=\"#index\">↑ index</a></p>\n</section>\n"
        }
        return page + "</body></html>\n"
    }

    /// Everything one scenario shows, with every id prefixed by `anchor` so several fit one page.
    static func body(_ result: ScenarioResult, showing shown: [Int]?, anchor: String) -> String {
        var out = heading(result)
        out += HTMLSummary.render(result, anchor: anchor)
        out += HTMLTimeline.render(result, showing: shown ?? Array(result.transitions.indices), anchor: anchor)
        out += HTMLSections.invariants(result, anchor: anchor)
        out += HTMLSections.cases(result, anchor: anchor) + HTMLSections.generations(result, anchor: anchor)
        out += HTMLSections.ledger(result, anchor: anchor)
        return out
    }

    /// Names made unique for use as ids: a repeated scenario name gets `-2`, `-3` …
    static func uniqueAnchors(_ names: [String]) -> [String] {
        var used = Set<String>()
        return names.map { name in
            var anchor = name
            var suffix = 2
            while used.contains(anchor) { anchor = "\(name)-\(suffix)"; suffix += 1 }
            used.insert(anchor)
            return anchor
        }
    }

    /// Everything before the body's content; the style is inline so the page needs nothing else.
    static func pageHead(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · revive-lab</title>
        <style>
        \(style)
        </style></head><body>

        """
    }

    static let style = """
        body{font:14px/1.35 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:16px 24px;color:#1d2330;background:#fafbfc}
        h1{font-size:21px;margin:0 0 2px}h2{font-size:15px;margin:18px 0 6px}
        a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
        .meta{color:#5b6475;font-size:13px}.story{max-width:1100px;margin:4px 0 10px}
        .verdict{display:inline-block;padding:1px 9px;border-radius:11px;font-weight:700;color:#fff;font-size:13px;vertical-align:middle}
        .pass{background:#1f883d}.fail{background:#cf222e}
        .recovery{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:10px 12px}
        .stages{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:8px;margin:0;padding:0;list-style:none}
        .stage{border-left:4px solid #d8dee4;padding:2px 8px;font-size:13px}.stage b{display:block;font-size:11px;text-transform:uppercase;color:#5b6475;letter-spacing:.03em}
        .stage.good{border-color:#1f883d}.stage.bad{border-color:#cf222e}.stage.warn{border-color:#bf8700}.stage.none{color:#8c95a3}
        .broke{margin:8px 0 0;padding:6px 10px;background:#ffebe9;border-radius:6px}
        nav.jump{margin-top:8px;font-size:13px}nav.jump a{margin-right:14px}
        table{border-collapse:collapse;background:#fff;font-size:13px}td,th{border:1px solid #e3e7eb;padding:3px 6px;vertical-align:top}
        th{background:#f3f5f7;font-size:12px;text-align:left}
        .lanes{background:#fff;border:1px solid #e3e7eb;border-radius:6px;font-size:12px}
        .lh,.row,.fold>summary{display:grid;grid-template-columns:96px repeat(var(--lanes),minmax(0,1fr));column-gap:4px;align-items:center}
        .lh{position:sticky;top:0;background:#f3f5f7;font-weight:600;padding:3px 0;border-bottom:1px solid #e3e7eb;z-index:1}
        .lh span{padding:0 4px}.row{border-bottom:1px solid #f0f2f4;min-height:20px}.row:target{outline:2px solid #0b57d0}
        .time{font-family:ui-monospace,Menlo,monospace;color:#5b6475;padding-left:4px;white-space:nowrap}
        .ev{grid-column-end:-1;border-radius:4px;padding:1px 6px;background:#eef2f7;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .ev .n{font-weight:700;font-family:ui-monospace,Menlo,monospace}.ev .f{color:#4a5363;margin-left:6px}
        .fold>summary{cursor:pointer;list-style:none;background:#f6f8fa;border-bottom:1px solid #e3e7eb;min-height:20px}
        .fold>summary .ev{grid-column:2/-1;background:none;font-style:italic}.fold[open]>summary{background:#eef2f7}
        .good{background:#dafbe1}.bad{background:#ffebe9}.warn{background:#fff8c5}.fault{background:#fbefff}
        .ok{color:#1f883d;font-weight:700}.broken{color:#cf222e;font-weight:700}
        .back{font-size:12px}.scenario{border-top:3px solid #d8dee4;margin-top:28px;padding-top:12px}
        """

    /// The title with the verdict badge, the scenario's file, seed, runtime and workers, and its story.
    static func heading(_ result: ScenarioResult) -> String {
        let scenario = result.scenario
        let vocabulary = RuntimeVocabulary(scenario.runtime.kind)
        return """
            <h1>\(escape(scenario.name)) \(verdictBadge(result))</h1>
            <div class="meta">\(escape(scenario.file)) · seed \(scenario.seed) · runtime \(scenario.runtime.kind.rawValue) (\(escape(vocabulary.summary))) · workers \(escape(scenario.runtime.workers.map(\.rawValue).joined(separator: ", ")))</div>
            <p class="story">\(escape(scenario.description))</p>

            """
    }

    static func verdictBadge(_ result: ScenarioResult) -> String {
        "<span class=\"verdict \(result.passed ? "pass" : "fail")\">\(result.passed ? "PASS" : "FAIL")</span>"
    }

    /// The effects at the provider, as `send-briefing × 1`.
    static func effectsText(_ result: ScenarioResult) -> String {
        result.effects.map { "\($0.step) × \($0.count)" }.joined(separator: ", ").ifEmpty("none")
    }

    /// A transition's facts as the text timeline words them (without time, actor and name).
    static func facts(_ t: Transition, vocabulary: RuntimeVocabulary) -> String {
        TextRenderer(color: false).line(t, vocabulary: vocabulary, actorWidth: 0)
            .split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).joined(separator: " ")
    }

    static func category(_ name: TransitionName) -> String {
        switch name {
        case .runCompleted, .reconnectVerified, .runResumed, .caseClosed, .caseResolved, .tokenRefreshed: return "good"
        case .runFailed, .reconnectRejected, .capabilityRefused, .leaseFenced, .providerFailed, .workerLost: return "bad"
        case .failureClassified, .runParked, .caseOpened, .reconnectRequested, .operatorAlerted, .retryScheduled: return "warn"
        case .faultInjected: return "fault"
        default: return ""
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}

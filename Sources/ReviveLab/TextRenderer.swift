import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Renders a scenario result as the human-readable timeline: header, one line per transition, footer.
public struct TextRenderer {
    /// Whether to use ANSI colours (only on a terminal, never with NO_COLOR).
    public var color: Bool
    /// The known names' columns (`NameColumn`), fetched once a renderer rather than once a line.
    let columns = NameColumn.byPosition

    /// A renderer; colour off unless asked for.
    public init(color: Bool = false) { self.color = color }

    /// The whole report for one scenario, ending with a newline; `showing` limits the timeline
    /// lines to those indices (the footer and its evidence are always complete).
    public func render(_ result: ScenarioResult, showing shown: [Int]? = nil) -> String {
        var out = ""
        render(result, showing: shown) { out += $0 }
        return out
    }

    /// The same report as UTF-8 bytes, for output that writes bytes (`LabCommand.Console.write`):
    /// not made a String, they are not checked as UTF-8 (they are: every byte comes whole from
    /// a String or is ASCII), some 2,000 instructions a scenario.
    func renderBytes(_ result: ScenarioResult, showing shown: [Int]? = nil) -> [UInt8] {
        var out: [UInt8] = []
        render(result, showing: shown) { out.append(contentsOf: $0) }
        return out
    }

    /// The same report, handed to `emit` in pieces of about `chunk` bytes, in order: a long run's
    /// timeline (25 MB for 240,000 transitions) is then never held whole, nor copied as it grows.
    public func render(_ result: ScenarioResult, showing shown: [Int]? = nil, chunk: Int = 1 << 16, into emit: (String) -> Void) {
        render(result, showing: shown, chunk: chunk) { emit(String(decoding: $0, as: UTF8.self)) }
    }

    /// The same pieces as UTF-8 bytes, lent to `emit` for the length of the call.
    func render(_ result: ScenarioResult, showing shown: [Int]? = nil, chunk: Int = 1 << 16,
                into emit: (UnsafeRawBufferPointer) -> Void) {
        // One byte buffer for the whole chunk: each line is written into it in place, and a
        // String is made once per chunk rather than once per line and again per append.
        var out = TextLine(capacity: Swift.min(chunk, 1 << 16) + 256)
        write(header: result.scenario, into: &out)
        if result.mode == .withoutRevive {
            out.append(literal: "   WITHOUT REVIVE: a naive integration handles failures (blind retries, any reconnect accepted,\n")
            out.append(literal: "   nothing fenced, no reconciliation, recovery context in worker memory); expect is not checked\n")
        }
        let vocabulary = RuntimeVocabulary(result.scenario.runtime.kind)
        let actorWidth = TextRenderer.actorWidth(result)
        // Lent in place: subscripting the array copied each transition (a retain per string field).
        result.transitions.withUnsafeBufferPointer { transitions in
            var next = 0
            while true {
                let index: Int
                if let shown {
                    guard next < shown.count else { break }
                    index = shown[next]
                } else {
                    guard next < transitions.count else { break }
                    index = next
                }
                next += 1
                precondition(index >= 0 && index < transitions.count, "Index out of range")
                write(transitions.baseAddress! + index, vocabulary: vocabulary, actorWidth: actorWidth, into: &out)
                out.append(byte: UInt8(ascii: "\n"))
                if out.count >= chunk {
                    out.withBytes(emit)
                    out.removeAll()
                }
            }
        }
        write(footer: result, into: &out)
        out.withBytes(emit)
    }

    /// The header: name, file, seed, runtime and the story.
    public func header(_ scenario: Scenario) -> String {
        var out = TextLine(capacity: 256)
        write(header: scenario, into: &out)
        return out.text
    }

    /// Writes `header(scenario)` at the end of `out`, piece by piece rather than interpolated.
    func write(header scenario: Scenario, into out: inout TextLine) {
        if color {
            out.append(paint("== " + scenario.name, .bold))
        } else {
            out.append(literal: "== ")
            out.append(scenario.name)
        }
        out.append(literal: "  (")
        out.append(scenario.file)
        out.append(literal: ")\n   seed ")
        out.append(unsigned: scenario.seed)
        out.append(literal: ", runtime ")
        out.append(scenario.runtime.kind.rawValue)
        out.append(literal: " (")
        out.append(RuntimeVocabulary(scenario.runtime.kind).summary)
        out.append(literal: "), workers ")
        for (i, worker) in scenario.runtime.workers.enumerated() {
            if i > 0 { out.append(literal: ", ") }
            out.append(worker.rawValue)
        }
        out.append(byte: UInt8(ascii: "\n"))
        if !scenario.description.isEmpty {
            out.append(literal: "   ")
            out.append(scenario.description)
            out.append(byte: UInt8(ascii: "\n"))
        }
    }

    /// One timeline line: time, actor, name, facts.
    func line(_ t: Transition, vocabulary: RuntimeVocabulary, actorWidth: Int) -> String {
        var out = TextLine(capacity: 192)
        withUnsafePointer(to: t) { write($0, vocabulary: vocabulary, actorWidth: actorWidth, into: &out) }
        return out.text
    }

    /// The width of the actor column: the longest actor's name, at least 9. (A name is never
    /// wider than its bytes, so Characters are counted only for a name longer in bytes than the
    /// width so far: counting them for every transition was a cold run's hot spot.)
    static func actorWidth(_ result: ScenarioResult) -> Int {
        var width = 9
        // Read in place: `for transition in` copied each transition (177 bytes) to read its actor.
        result.transitions.withUnsafeBufferPointer { transitions in
            for i in transitions.indices {
                // Only a worker's name can be wider than 9: the parties' are at most 8 bytes (a
                // test holds them to that), and spelling a party's name on every line was most of this walk.
                guard case .worker(let worker) = (transitions.baseAddress! + i).pointee.actor else { continue }
                let name = worker.rawValue
                if name.utf8.count > width { width = max(width, TextLine.width(of: name)) }
            }
        }
        return width
    }

    /// The footer: outcome, effects, invariants, verdict and what broke.
    public func footer(_ result: ScenarioResult) -> String {
        var out = TextLine(capacity: 1024)
        write(footer: result, into: &out)
        return out.text
    }

    /// Writes `footer(result)` at the end of `out`: rows written in place rather than joined
    /// Strings, which cost a cold run as much as a tenth of the timeline lines.
    func write(footer result: ScenarioResult, into out: inout TextLine) {
        // The baseline is not held to the scenario's expectations, so none are printed beside it.
        let expect = result.mode == .revive ? result.scenario.expect : Expectations()
        // Rows written piece by piece: joining their Strings first was half of a footer.
        TextRenderer.startRow("outcome", into: &out)
        out.append(result.outcome.rawValue)
        if let wanted = expect.outcome { TextRenderer.expected(wanted.rawValue, into: &out) }
        if result.stoppedAtHorizon {
            out.append(literal: ", stopped at the horizon ")
            out.append("\(result.scenario.horizon)")
        }
        out.append(byte: UInt8(ascii: "\n"))
        if let first = result.firstClassification?.rawValue ?? expect.classification.map({ _ in "none" }) {
            TextRenderer.startRow("class", into: &out)
            out.append(first)
            if let wanted = expect.classification { TextRenderer.expected(wanted.rawValue, into: &out) }
            out.append(byte: UInt8(ascii: "\n"))
        }
        TextRenderer.startRow("effects", into: &out)
        if result.effects.isEmpty { out.append(literal: "none") }
        for (i, effect) in result.effects.enumerated() {
            if i > 0 { out.append(literal: ", ") }
            out.append(effect.step.rawValue)
            out.append(byte: UInt8(ascii: "="))
            out.append(integer: effect.count)
            if let wanted = expect.effects?.first(where: { $0.step == effect.step }) {
                out.append(literal: " (expected ")
                out.append(integer: wanted.count)
                out.append(byte: UInt8(ascii: ")"))
            }
        }
        out.append(byte: UInt8(ascii: "\n"))
        let checked = result.checkedInvariants.count
        let held = checked - Set(result.breaches.map(\.invariant)).count
        TextRenderer.startRow("invariants", into: &out)
        out.append(integer: held)
        out.append(literal: " of ")
        out.append(integer: checked)
        out.append(literal: " held")
        out.append(checked == Invariant.allCases.count ? " (all checked)" : ": " + result.checkedInvariants.map(\.rawValue).joined(separator: ", "))
        out.append(byte: UInt8(ascii: "\n"))
        for breach in result.providerBreaches where expect.providerBreaches?.contains(breach.kind) == true {
            TextRenderer.row("provider", "\(breach.kind.rawValue) (expected): \(breach.message)", into: &out)
        }
        if let limit = result.limitReached { TextRenderer.row("limit", limit, into: &out) }
        TextRenderer.row("verdict", result.passed ? paint("PASS", .green) : paint("FAIL", .red), into: &out)
        for failure in result.failedExpectations { TextRenderer.row("broken", failure, into: &out) }
        writeBreaches(result, into: &out)
        if !result.passed {
            var flag = result.mode == .withoutRevive ? " --without-revive" : ""
            #if REVIVE_PLANTED_BUGS
            flag += result.scenario.recovery.plantedBugs.map { " --plant \($0.rawValue)" }.sorted().joined()
            #endif
            TextRenderer.row("reproduce", "revive-lab run \(result.scenario.file) --seed \(result.scenario.seed)\(flag)", into: &out)
        }
    }

    /// Each breach's row, and under it the lines that show it.
    private func writeBreaches(_ result: ScenarioResult, into out: inout TextLine) {
        guard !result.breaches.isEmpty else { return }
        let vocabulary = RuntimeVocabulary(result.scenario.runtime.kind)
        let actorWidth = TextRenderer.actorWidth(result)
        for breach in result.breaches {
            TextRenderer.row("breach", "\(breach.invariant.rawValue): \(breach.message)", into: &out)
            for index in breach.evidence where index < result.transitions.count {
                out.appendSpaces(15)
                withUnsafePointer(to: result.transitions[index]) { write($0, vocabulary: vocabulary, actorWidth: actorWidth, into: &out) }
                out.append(byte: UInt8(ascii: "\n"))
            }
        }
    }

    /// ` (expected value)` after a footer row's value.
    private static func expected(_ value: String, into out: inout TextLine) {
        out.append(literal: " (expected ")
        out.append(value)
        out.append(byte: UInt8(ascii: ")"))
    }

    /// A footer row's label, padded, before its value.
    private static func startRow(_ label: String, into out: inout TextLine) {
        out.appendSpaces(3)
        out.append(label, paddedTo: 11)
        out.append(byte: UInt8(ascii: " "))
    }

    /// A footer row: `   label       value`.
    private static func row(_ label: String, _ value: String, into out: inout TextLine) {
        startRow(label, into: &out)
        out.append(value)
        out.append(byte: UInt8(ascii: "\n"))
    }

    enum Style { case bold, green, red, yellow, cyan, plain }

    func style(for name: TransitionName) -> Style {
        switch name {
        case .runCompleted, .reconnectVerified, .runResumed: return .green
        case .runFailed, .reconnectRejected, .capabilityRefused, .leaseFenced, .providerFailed: return .red
        case .failureClassified, .runParked, .workerLost, .faultInjected: return .yellow
        default: return .plain
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        guard color, style != .plain else { return text }
        return escape(style) + text + TextRenderer.reset
    }

    /// The ANSI escape that starts `style`.
    func escape(_ style: Style) -> String {
        switch style {
        case .bold: return "\u{1B}[1m"
        case .green: return "\u{1B}[32m"
        case .red: return "\u{1B}[31m"
        case .yellow: return "\u{1B}[33m"
        case .cyan: return "\u{1B}[36m"
        case .plain: return ""
        }
    }

    static let reset = "\u{1B}[0m"
}

extension String {
    /// The string padded with spaces to at least `width` characters.
    func padding(_ width: Int) -> String {
        // Names and actors are ASCII: their byte count is their width, without counting Characters.
        let length = utf8.count == unicodeScalars.count ? utf8.count : count
        return length >= width ? self : self + String(repeating: " ", count: width - length)
    }
}

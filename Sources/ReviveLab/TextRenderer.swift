import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Renders a scenario result as the human-readable timeline: header, one line per transition, footer.
public struct TextRenderer {
    /// Whether to use ANSI colours (only on a terminal, never with NO_COLOR).
    public var color: Bool

    /// A renderer; colour off unless asked for.
    public init(color: Bool = false) { self.color = color }

    /// The whole report for one scenario, ending with a newline; `showing` limits the timeline
    /// lines to those indices (the footer and its evidence are always complete).
    public func render(_ result: ScenarioResult, showing shown: [Int]? = nil) -> String {
        var out = ""
        render(result, showing: shown) { out += $0 }
        return out
    }

    /// The same report, handed to `emit` in pieces of about `chunk` bytes, in order: a long run's
    /// timeline (25 MB for 240,000 transitions) is then never held whole, nor copied as it grows.
    public func render(_ result: ScenarioResult, showing shown: [Int]? = nil, chunk: Int = 1 << 16, into emit: (String) -> Void) {
        var out = header(result.scenario)
        if result.mode == .withoutRevive {
            out += "   WITHOUT REVIVE: a naive integration handles failures (blind retries, any reconnect accepted,\n"
            out += "   nothing fenced, no reconciliation, recovery context in worker memory); expect is not checked\n"
        }
        let vocabulary = RuntimeVocabulary(result.scenario.runtime.kind)
        let actorWidth = TextRenderer.actorWidth(result)
        func add(_ index: Int) {
            out += line(result.transitions[index], vocabulary: vocabulary, actorWidth: actorWidth)
            out += "\n"
            if out.utf8.count >= chunk {
                emit(out)
                out = ""
                out.reserveCapacity(chunk + 256)
            }
        }
        if let shown {
            for index in shown { add(index) }
        } else {
            for index in result.transitions.indices { add(index) }
        }
        out += footer(result)
        emit(out)
    }

    /// The header: name, file, seed, runtime and the story.
    public func header(_ scenario: Scenario) -> String {
        var out = paint("== \(scenario.name)", .bold) + "  (\(scenario.file))\n"
        out += "   seed \(scenario.seed), runtime \(scenario.runtime.kind.rawValue) (\(RuntimeVocabulary(scenario.runtime.kind).summary)), workers \(scenario.runtime.workers.map(\.rawValue).joined(separator: ", "))\n"
        if !scenario.description.isEmpty { out += "   \(scenario.description)\n" }
        return out
    }

    /// One timeline line: time, actor, name, facts.
    func line(_ t: Transition, vocabulary: RuntimeVocabulary, actorWidth: Int) -> String {
        // Built as bytes (`TextLine`): a line per transition is most of a cold `run`.
        var out = TextLine(capacity: 192)
        out.append(DurationText.clock(t.time))
        out.append("  ")
        out.append(t.actor.rawValue, paddedTo: actorWidth)
        out.append("  ")
        let style = color ? style(for: t.name) : .plain
        if style != .plain { out.append(escape(style)) }
        out.append(t.name.rawValue, paddedTo: 20)
        if style != .plain { out.append(TextRenderer.reset) }
        out.append(" ")
        var first = true
        func add(_ name: String, _ value: String?) {
            guard let value else { return }
            if !first { out.append(byte: UInt8(ascii: " ")) }
            first = false
            out.append(name)
            out.append(byte: UInt8(ascii: "="))
            out.append(factValue: value)
        }
        // The run is named on the run's own lines and the case's; elsewhere it is the only run there is.
        if t.name.family == "run" || t.name == .caseOpened { add(vocabulary.run, t.run) }
        if t.worker != t.actor.rawValue { add("worker", t.worker) }
        add(vocabulary.step, t.step)
        add("attempt", t.attempt.map(String.init))
        add("conn", t.connection)
        add("gen", t.generation.map(String.init))
        add("lease", t.lease)
        add("case", t.caseID)
        add("key", t.key)
        add("class", t.failureClass?.rawValue)
        add("cap", t.capability)
        add("subject", t.subject)
        add("tenant", t.tenant)
        add(vocabulary.checkpoint, t.checkpoint)
        add("result", t.result)
        add("reason", t.reason)
        add("expires", t.expires.map(DurationText.clock))
        for note in t.notes { add(note.name, note.value) }
        if let extra = vocabulary.extraNote(for: t.name) { add(extra.name, extra.value) }
        return out.text
    }

    /// The width of the actor column: the longest actor's name, at least 9. (A name is never
    /// wider than its bytes, so Characters are counted only for a name longer in bytes than the
    /// width so far: counting them for every transition was a cold run's hot spot.)
    static func actorWidth(_ result: ScenarioResult) -> Int {
        var width = 9
        for transition in result.transitions {
            let name = transition.actor.rawValue
            if name.utf8.count > width { width = max(width, TextLine.width(of: name)) }
        }
        return width
    }

    /// The footer: outcome, effects, invariants, verdict and what broke.
    public func footer(_ result: ScenarioResult) -> String {
        // The baseline is not held to the scenario's expectations, so none are printed beside it.
        let expect = result.mode == .revive ? result.scenario.expect : Expectations()
        var out = ""
        func row(_ label: String, _ value: String) { out += "   " + label.padding(11) + " " + value + "\n" }
        var outcome = result.outcome.rawValue
        if let wanted = expect.outcome { outcome += " (expected \(wanted.rawValue))" }
        if result.stoppedAtHorizon { outcome += ", stopped at the horizon \(result.scenario.horizon)" }
        row("outcome", outcome)
        if let first = result.firstClassification?.rawValue ?? expect.classification.map({ _ in "none" }) {
            row("class", first + (expect.classification.map { " (expected \($0.rawValue))" } ?? ""))
        }
        let effects = result.effects.map { effect -> String in
            var text = "\(effect.step)=\(effect.count)"
            if let wanted = expect.effects?.first(where: { $0.step == effect.step }) { text += " (expected \(wanted.count))" }
            return text
        }
        row("effects", effects.isEmpty ? "none" : effects.joined(separator: ", "))
        let checked = result.checkedInvariants.count
        let held = checked - Set(result.breaches.map(\.invariant)).count
        row("invariants", "\(held) of \(checked) held" + (checked == Invariant.allCases.count ? " (all checked)" : ": " + result.checkedInvariants.map(\.rawValue).joined(separator: ", ")))
        for breach in result.providerBreaches where expect.providerBreaches?.contains(breach.kind) == true {
            row("provider", "\(breach.kind.rawValue) (expected): \(breach.message)")
        }
        if let limit = result.limitReached { row("limit", limit) }
        row("verdict", result.passed ? paint("PASS", .green) : paint("FAIL", .red))
        for failure in result.failedExpectations { row("broken", failure) }
        let vocabulary = RuntimeVocabulary(result.scenario.runtime.kind)
        let actorWidth = result.breaches.isEmpty ? 0 : TextRenderer.actorWidth(result)
        for breach in result.breaches {
            row("breach", "\(breach.invariant.rawValue): \(breach.message)")
            for index in breach.evidence where index < result.transitions.count {
                out += "               " + line(result.transitions[index], vocabulary: vocabulary, actorWidth: actorWidth) + "\n"
            }
        }
        if !result.passed {
            var flag = result.mode == .withoutRevive ? " --without-revive" : ""
            #if REVIVE_PLANTED_BUGS
            flag += result.scenario.recovery.plantedBugs.map { " --plant \($0.rawValue)" }.sorted().joined()
            #endif
            row("reproduce", "revive-lab run \(result.scenario.file) --seed \(result.scenario.seed)\(flag)")
        }
        return out
    }

    private enum Style { case bold, green, red, yellow, cyan, plain }

    private func style(for name: TransitionName) -> Style {
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
    private func escape(_ style: Style) -> String {
        switch style {
        case .bold: return "\u{1B}[1m"
        case .green: return "\u{1B}[32m"
        case .red: return "\u{1B}[31m"
        case .yellow: return "\u{1B}[33m"
        case .cyan: return "\u{1B}[36m"
        case .plain: return ""
        }
    }

    private static let reset = "\u{1B}[0m"
}

extension String {
    /// The string padded with spaces to at least `width` characters.
    func padding(_ width: Int) -> String {
        // Names and actors are ASCII: their byte count is their width, without counting Characters.
        let length = utf8.count == unicodeScalars.count ? utf8.count : count
        return length >= width ? self : self + String(repeating: " ", count: width - length)
    }
}

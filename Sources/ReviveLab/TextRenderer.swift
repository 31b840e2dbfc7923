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
    private let columns = NameColumn.byPosition

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

    /// Writes `line(t, ...)` at the end of `out`.
    func write(_ t: UnsafePointer<Transition>, vocabulary: RuntimeVocabulary, actorWidth: Int, into out: inout TextLine) {
        // Read through the pointer: a Transition passed by value was copied whole (a retain per string field) per line.
        // Built as bytes (`TextLine`): a line per transition is most of a cold `run`. Numbers and
        // clocks are written as digits in place, not made into Strings first.
        out.append(clock: t.pointee.time)
        let actor = t.pointee.actor.rawValue
        out.append(actorColumn: actor, width: actorWidth)
        let style = color ? style(for: t.pointee.name) : .plain
        if style != .plain { out.append(escape(style)) }
        let runFamily = writeName(t, into: &out)
        if style != .plain { out.append(TextRenderer.reset) }
        out.append(byte: UInt8(ascii: " "))
        out.startFacts()
        // The run is named on the run's own lines and the case's; elsewhere it is the only run there is.
        // A pattern, not `==`: the enum's `==` called `ordinal` twice on every line.
        var openedCase = false
        if case .caseOpened = t.pointee.name { openedCase = true }
        if openedCase || runFamily { out.fact(named: vocabulary.run, t.pointee.run) }
        if t.pointee.worker != actor { out.fact("worker", t.pointee.worker) }
        writeRunFacts(t, vocabulary: vocabulary, into: &out)
        writeCaseFacts(t, vocabulary: vocabulary, into: &out)
    }

    /// A line's facts from the step to the key. A line's facts are written by three functions,
    /// not one: in one, past some size, the optimizer stopped inlining the transition's getters
    /// (each then copied the whole transition, some 60 instructions a getter).
    @inline(never)
    private func writeRunFacts(_ t: UnsafePointer<Transition>, vocabulary: RuntimeVocabulary, into out: inout TextLine) {
        out.fact(named: vocabulary.step, t.pointee.step)
        if let attempt = t.pointee.attempt {
            out.factName("attempt")
            out.append(integer: attempt)
        }
        out.fact("conn", t.pointee.connection)
        if let generation = t.pointee.generation {
            out.factName("gen")
            out.append(integer: generation)
        }
        out.fact("lease", t.pointee.lease)
        out.fact("case", t.pointee.caseID)
        out.fact("key", t.pointee.key)
    }

    /// A line's facts from the failure class on, its notes and the runtime's extra note.
    @inline(never)
    private func writeCaseFacts(_ t: UnsafePointer<Transition>, vocabulary: RuntimeVocabulary, into out: inout TextLine) {
        out.fact("class", t.pointee.failureClass?.rawValue)
        out.fact("cap", t.pointee.capability)
        out.fact("subject", t.pointee.subject)
        out.fact("tenant", t.pointee.tenant)
        out.fact(named: vocabulary.checkpoint, t.pointee.checkpoint)
        out.fact("result", t.pointee.result)
        out.fact("reason", t.pointee.reason)
        if let expires = t.pointee.expires {
            out.factName("expires")
            out.append(clock: expires)
        }
        // By index: `for note in` copied each note (a retain and a release per string).
        for n in t.pointee.notes.indices { out.fact(named: t.pointee.notes[n].name, t.pointee.notes[n].value) }
        if let extra = vocabulary.extraNote(for: t.pointee.name) { out.fact(named: extra.name, extra.value) }
    }

    /// Writes `t`'s name, padded to its column; whether the name is of the `run` family. A known
    /// name's column is written whole (`NameColumn`), any other name spelt and padded.
    @inline(__always)
    private func writeName(_ t: UnsafePointer<Transition>, into out: inout TextLine) -> Bool {
        if let position = t.pointee.name.position, position < columns.count, columns[position].count > 0 {
            out.append(columns[position])
            return columns[position].isRunFamily
        }
        let name = t.pointee.name.rawValue
        out.append(name, paddedTo: NameColumn.width)
        return TextRenderer.isRunFamily(name)
    }

    /// Whether a transition spelt `name` is of the `run` family (`TransitionName.family == "run"`),
    /// by its bytes: the family's Substring and its comparison cost more than the rest of a line.
    static func isRunFamily(_ name: String) -> Bool {
        // The bytes lent in place (`withUTF8` on a copy retained and released the name on every line).
        name.utf8.withContiguousStorageIfAvailable(isRunFamily) ?? isRunFamilyBridged(name)
    }

    /// `isRunFamily(_:)` for a bridged name, copied first (out of line, so the common case retains nothing).
    @inline(never)
    private static func isRunFamilyBridged(_ name: String) -> Bool {
        Array(name.utf8).withUnsafeBufferPointer(isRunFamily)
    }

    /// `isRunFamily(_:)` on a name's bytes.
    private static func isRunFamily(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == UInt8(ascii: "r") && bytes[1] == UInt8(ascii: "u") && bytes[2] == UInt8(ascii: "n")
            && (bytes.count == 3 || bytes[3] == UInt8(ascii: "."))
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

import Revive
import ReviveVocabulary
import ReviveWorld

// A timeline line: time, actor, name and facts, written into a `TextLine` straight from the
// transition (read through a pointer, never copied).

extension TextRenderer {
    /// Writes `line(t, ...)` at the end of `out`.
    func write(_ t: UnsafePointer<Transition>, vocabulary: RuntimeVocabulary, actorWidth: Int, into out: inout TextLine) {
        // Read through the pointer: a Transition passed by value was copied whole (a retain per string field) per line.
        // Built as bytes (`TextLine`): a line per transition is most of a cold `run`. Numbers and
        // clocks are written as digits in place, not made into Strings first.
        out.append(clock: t.pointee.time)
        // The actor read as words in one statement, and whether the worker is shown decided
        // before anything is written: an actor String kept across the column's writes (which may
        // grow the buffer) was retained and released on every line, and compared by a call.
        let actorWords = out.smallBits(t.pointee.actor.rawValue)
        let namesWorker = TextRenderer.showsWorker(t, actorWords: actorWords)
        out.append(actorColumn: actorWords, width: actorWidth, t.pointee.actor.rawValue)
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
        if namesWorker { out.fact("worker", t.pointee.worker) }
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
        // Asked only for the names that may have one (`mayHaveExtraNote`): the call, made for every
        // line, cost some 25 instructions a line.
        if TextRenderer.mayHaveExtraNote(t.pointee.name), let extra = vocabulary.extraNote(for: t.pointee.name) {
            out.fact(named: extra.name, extra.value)
        }
    }

    /// Whether `t`'s line shows its worker: it has one, and it is not the actor (`actorWords`,
    /// the actor's small words if it is small). Two small ASCII strings are equal exactly when
    /// their words are; any other pair is compared as Strings, out of line.
    @inline(__always)
    static func showsWorker(_ t: UnsafePointer<Transition>, actorWords: (UInt64, UInt64)?) -> Bool {
        guard t.pointee.worker != nil else { return false }
        if let actorWords, ShortASCII.isASCII(small: actorWords), let worker = ShortASCII.words(of: t.pointee.worker!) {
            return worker != actorWords
        }
        return workerDiffers(t)
    }

    /// `showsWorker` by the Strings' own `==` (a name not small, or not ASCII, which may equal
    /// another spelling of it).
    @inline(never)
    static func workerDiffers(_ t: UnsafePointer<Transition>) -> Bool {
        t.pointee.worker != t.pointee.actor.rawValue
    }

    /// Whether a line of `name` may carry the runtime's extra note (`RuntimeVocabulary.extraNote`,
    /// nil for every other name, which a test holds for every runtime and known name).
    @inline(__always)
    static func mayHaveExtraNote(_ name: TransitionName) -> Bool {
        switch name {
        case .runParked, .runResumed, .retryScheduled: return true
        default: return false
        }
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
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Turns scenario text into a checked `Scenario`, or an `InputError` listing every problem.
public enum ScenarioLoader {
    /// The default horizon: a run still waiting after this much virtual time is judged as it stands.
    public static let defaultHorizon = Span.days(7)

    /// Reads and loads a scenario file.
    public static func load(path: String) throws(InputError) -> Scenario {
        let text: String
        if let direct = directText(atPath: path) {
            text = direct
        } else {
            guard let bytes = FileSystem.contents(atPath: path) else {
                throw InputError(file: path, "cannot read the file; check the path and its permissions")
            }
            guard let decoded = UTF8Text.decode(bytes) else {
                throw InputError(file: path, "the file is not UTF-8 text; a scenario is a JSON file")
            }
            text = decoded
        }
        do { return try load(text: text, file: path) } catch {
            // A report or a timeline given where a scenario is wanted: say what it is, in one line.
            if error.problems.count == 1, let message = FileKind.sniff(text).notAScenario() { throw InputError(file: path, message) }
            throw error
        }
    }

    /// The text of the regular file at `path`, read straight into a String's own storage; nil
    /// when the general path (`FileSystem.contents`, `UTF8Text.decode`) must read it: a file it
    /// cannot open or size, one that changed size while read, and one whose text starts with a
    /// byte-order mark or holds U+FFFD (the String's initializer replaces bytes that are not
    /// UTF-8 with U+FFFD, so text without one is the file's bytes exactly). One copy of the bytes,
    /// where the general path zeroes a list, reads into it, copies it into a String and compares
    /// the two: some 90,000 instructions of a cold `run` of the shipped scenarios.
    static func directText(atPath path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0, status.st_size < 1 << 26 else { return nil }
        let size = Int(status.st_size)
        var whole = true
        let text = String(unsafeUninitializedCapacity: size) { buffer in
            var filled = 0
            while filled < size {
                let got = read(descriptor, buffer.baseAddress.unsafelyUnwrapped + filled, size - filled)
                if got > 0 { filled += got } else if got == 0 || errno != EINTR { break }
            }
            // Short, or longer than it was: the general path reads it to its end.
            var more: UInt8 = 0
            if filled != size || read(descriptor, &more, 1) != 0 { whole = false }
            return filled
        }
        guard whole, text.utf8.count == size, !startsWithMarkOrHoldsReplacement(text) else { return nil }
        return text
    }

    /// Whether `text` starts with a byte-order mark (EF BB BF) or holds U+FFFD (EF BF BD): the
    /// bytes 0xEF are found by `memchr` (ASCII text has none).
    static func startsWithMarkOrHoldsReplacement(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var places = BytePlaces(of: 0xEF, in: bytes)
            while let at = places.next(), at + 2 < bytes.count {
                if at == 0 && bytes[1] == 0xBB && bytes[2] == 0xBF { return true }
                if bytes[at + 1] == 0xBF && bytes[at + 2] == 0xBD { return true }
            }
            return false
        }
    }

    /// Loads a scenario from its JSON text; `file` names it in messages.
    public static func load(text: String, file: String) throws(InputError) -> Scenario {
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw InputError(file: file, "not valid JSON at \(error.description)")
        }
        return try load(document: document, file: file, text: text)
    }

    /// Loads a scenario from an already parsed document (a JSONL header's embedded source).
    /// Token-shaped values are redacted first (`SecretRedactor`): what is played, and the source
    /// every output embeds, never holds them.
    /// With the document's `text`, one scan of it spares the walk when it holds no token shape
    /// (and no escape that could spell part of one).
    public static func load(document: JSONValue, file: String, text: String? = nil) throws(InputError) -> Scenario {
        var reader = JSONReader(file: file)
        let clean = text.map { SecretScanner.firstMarker(in: $0) == nil && !holdsMarkerEscape($0) && !mayHoldSalesforceToken($0) } ?? false
        let scenario = ScenarioBuilder.build(clean ? document : SecretRedactor.redact(document).value, reader: &reader)
        if !reader.problems.isEmpty || scenario == nil {
            throw InputError(reader.problems.isEmpty ? [InputProblem(file: file, path: "", message: "not a scenario")] : reader.problems)
        }
        return scenario!
    }

    /// Whether a string in `text` may hold the Salesforce shape: a `00D`, then a `!` later in the
    /// same string (`SecretScanner` wants more than twenty bytes after that `!`). The shape is
    /// judged on a whole value (`00D` before the value's first `!`), so a scan of the whole file
    /// for the shape cannot rule it out (a `!` earlier in the file, in a description say, hid a
    /// token in a later value); the string each `00D` stands in can. A `00D` stands in a string
    /// (no other JSON token holds a `D`), whose text runs to the next quote not escaped; a `!`
    /// before it may be the shape's, and none means that value holds no shape (an escape other
    /// than `\u` spells no `!` and no `00D`; a `\u`, or no closing quote, answers true). Found by
    /// the `D`, the rarer byte (34 in the shipped scenarios, against 395 zeros): a call to
    /// `memchr` each. A Salesforce scenario names its tenant, an org id that starts with `00D`:
    /// judged by `00D` alone, such a file paid the walk that copies its whole tree (75,000
    /// instructions each), for a shape none of its strings held.
    static func mayHoldSalesforceToken(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var places = BytePlaces(of: UInt8(ascii: "D"), in: bytes, from: 2)
            while let at = places.next() {
                guard bytes[at - 2] == UInt8(ascii: "0"), bytes[at - 1] == UInt8(ascii: "0") else { continue }
                guard let end = stringEndWithoutBang(from: at + 1, in: bytes) else { return true }
                // The rest of this string holds no `!`, so no later `00D` in it can be the shape's:
                // searched again from each, a long string of `00D`s took time in its square.
                places.from = end + 1
            }
            return false
        }
    }

    /// Where the string that `start` stands in ends (its closing quote), when no `!` stands
    /// between; nil for a `!`, a `\u` escape (which may spell one) or a string that does not end.
    static func stringEndWithoutBang(from start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var at = start
        while at < bytes.count {
            switch bytes[at] {
            case UInt8(ascii: "\\"):
                // The byte after a backslash names its escape and is skipped with it.
                if at + 1 < bytes.count && bytes[at + 1] == UInt8(ascii: "u") { return nil }
                at += 2
            case UInt8(ascii: "\""): return at
            case UInt8(ascii: "!"): return nil
            default: at += 1
            }
        }
        return nil
    }

    /// Whether `text` holds an escape that could spell a byte of a token shape: `\u` (any
    /// character) or `\/` (the slashes of `1//0`). The others decode to a quote, a backslash or a
    /// control character, which no shape holds (`SecretScanner.markers`, the Salesforce `00D…!`),
    /// so a shape in a decoded value stands in the text as it is: a file whose prose quotes a
    /// provider's `\"inactive user\"` needs no walk of its tree (three shipped files: 232,000
    /// instructions of a cold `run`, the tree copied whole). Backslashes are found by `memchr`:
    /// the generic `contains` on a UTF-8 view took 3 % of a cold `run` of the catalogue.
    static func holdsMarkerEscape(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var places = BytePlaces(of: UInt8(ascii: "\\"), in: bytes)
            while let at = places.next() {
                // The byte after a backslash names its escape and is skipped with it (`\\` is
                // one escape, a backslash, whatever follows it).
                guard at + 1 < bytes.count else { return false }
                if bytes[at + 1] == UInt8(ascii: "u") || bytes[at + 1] == UInt8(ascii: "/") { return true }
                places.from = at + 2
            }
            return false
        }
    }
}

/// The places of one byte in a buffer, in order, each found by `memchr`: the loader's checks of a
/// whole file look for bytes text rarely holds (a backslash, 0xEF, a `D`), where the generic
/// `contains` on a UTF-8 view took 3 % of a cold `run` of the catalogue.
struct BytePlaces {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let byte: Int32
    /// Where the next search starts (a check may move it on, past an escape's second byte).
    var from: Int

    init(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) {
        (self.bytes, self.byte, self.from) = (bytes, Int32(byte), from)
    }

    /// The next place of the byte, or nil when there is none.
    mutating func next() -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress, let found = memchr(base + from, byte, bytes.count - from) else {
            return nil
        }
        let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
        from = at + 1
        return at
    }
}

/// Builds the model section by section; every method records problems and returns what it could read.
/// The readers of each section live in `Scenario/`, one file per section.
enum ScenarioBuilder {

    static func build(_ document: JSONValue, reader: inout JSONReader) -> Scenario? {
        guard let top = reader.fields(document, at: "", as: TopKey.self) else { return nil }
        let format = checkFormat(top[.format], reader: &reader)
        let name = readName(top[.name], reader: &reader)
        let description = top[.description].flatMap { reader.string($0, at: "description", nonEmpty: false) } ?? ""
        let seed = top[.seed].flatMap { reader.integer($0, at: "seed", range: 0...Int64.max) } ?? 1
        let runtime = readRuntime(top[.runtime], format: format, reader: &reader)
        let recovery = readRecovery(top[.recovery], reader: &reader)
        let horizon = top[.horizon].flatMap { reader.duration($0, at: "horizon", allowZero: false) } ?? ScenarioLoader.defaultHorizon
        let connections = readConnections(top[.connections], reader: &reader)
        // Ids of connections that have other problems still count, so one typo is reported once.
        let connectionIDs: [String]? = top[.connections].map { raw in
            guard case .array(let items) = raw else { return [] }
            var ids: [String] = []
            ids.reserveCapacity(items.count)
            for item in items { if let id = item["id"]?.stringValue { ids.append(id) } }
            return ids
        }
        var stepKeys: [Int]?
        let workflow = readWorkflow(top[.workflow], connectionIDs: connectionIDs, stepKeys: &stepKeys, reader: &reader)
        checkStepTimeouts(runtime: top[.runtime], workflow: top[.workflow], stepKeys: stepKeys, format: format, reader: &reader)
        // The runtime's workers put in one by one: mapped to their names first, they were a list made for nothing.
        var workers = NameSet()
        for worker in runtime?.workers ?? [] { workers.insert(worker.rawValue) }
        let events = readEvents(top[.events], connectionIDs: connectionIDs, workers: &workers, reader: &reader)
        checkEventsFitTheModel(events, runtime: runtime, reader: &reader)
        let faults = readFaults(top[.faults], workflow: workflow, connectionIDs: connectionIDs, workers: workers, reader: &reader)
        let expect = ExpectationsBuilder.read(top[.expect], steps: workflow?.steps ?? [], reader: &reader)
        guard reader.problems.isEmpty, let name, let runtime, let connections, let workflow else { return nil }
        return Scenario(file: reader.file, name: name, description: description, seed: UInt64(seed), runtime: runtime,
                        recovery: recovery, horizon: horizon, connections: connections, workflow: workflow,
                        faults: faults, events: events, expect: expect, source: document)
    }

    /// The file's format: 1 or 2. Anything else is reported (a fraction is shown as written so
    /// `1.0` is not mistaken for 1) and read as 1, so the rest of the file is still checked.
    static func checkFormat(_ value: JSONValue?, reader: inout JSONReader) -> Int {
        guard let format = value else { return 1 }
        if case .integer(let number) = format, number == 1 || number == 2 { return Int(number) }
        let found: String
        if case .number(let number) = format { found = "\(number)" } else { found = format.compactText }
        reader.fail("format", "this lab reads format 1 or 2 (a whole number); found \(found). Set \"format\": 2 for the runtimes as measured, 1 for the original model")
        return 1
    }

    /// The scenario's name; a malformed one is reported and still returned (the problem alone stops the load).
    static func readName(_ value: JSONValue?, reader: inout JSONReader) -> String? {
        let name = reader.string(value, at: "name")
        if let name, !isScenarioName(name) {
            reader.fail("name", "\"\(name)\" is not a scenario name; use lower-case words and dashes, like \"revoked-grant\"")
        }
        return name
    }

    static func isScenarioName(_ name: String) -> Bool {
        // The bytes lent in place: walking the UTF-8 view cost a thousand instructions a name.
        name.utf8.withContiguousStorageIfAvailable(isScenarioName) ?? isScenarioName(Array(name.utf8))
    }

    /// `isScenarioName(_:)` on the name's UTF-8 bytes.
    static func isScenarioName(_ bytes: some Collection<UInt8>) -> Bool {
        // Bytes, not Characters: lower-case ASCII words joined by single dashes.
        var previous = UInt8(ascii: "-")
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "-") where previous != UInt8(ascii: "-"): break
            default: return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: "-")
    }
}

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
        switch FileSystem.text(atPath: path) {
        case .success(let read): text = read
        case .failure(.unreadable): throw InputError(file: path, "cannot read the file; check the path and its permissions")
        case .failure(.notUTF8): throw InputError(file: path, "the file is not UTF-8 text; a scenario is a JSON file")
        }
        do { return try load(text: text, file: path) } catch {
            // A report or a timeline given where a scenario is wanted: say what it is, in one line.
            if error.problems.count == 1, let message = FileKind.sniff(text).notAScenario() { throw InputError(file: path, message) }
            throw error
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
        let clean = text.map(needsNoRedaction) ?? false
        let scenario = ScenarioBuilder.build(clean ? document : SecretRedactor.redact(document).value, reader: &reader)
        if !reader.problems.isEmpty || scenario == nil {
            throw InputError(reader.problems.isEmpty ? [InputProblem(file: file, path: "", message: "not a scenario")] : reader.problems)
        }
        return scenario!
    }

    /// Whether no value of the document `text` spells can hold a token shape, so the walk that
    /// redacts them would find nothing: the whole text holds no shape (`SecretScanner`, the
    /// Salesforce one included: any `00D`, then a `!` with more than twenty bytes after it, which
    /// a shape inside one value is too), and no escape that could spell part of one.
    static func needsNoRedaction(_ text: String) -> Bool {
        SecretScanner.firstMarker(in: text) == nil && !holdsMarkerEscape(text)
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

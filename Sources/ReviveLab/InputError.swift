import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// One thing wrong with an input file, with where it is and what to do.
public struct InputProblem: Hashable, Sendable, CustomStringConvertible {
    /// The file, as the user named it.
    public var file: String
    /// The key path inside the file (`workflow.steps[2].effect`), or empty for the whole file.
    public var path: String
    /// What is wrong and what is allowed.
    public var message: String

    public var description: String { path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)" }
}

/// An operating error: bad input or bad usage. Exit code 2.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// Every problem found.
    public var problems: [InputProblem]

    /// Wraps the problems found.
    public init(_ problems: [InputProblem]) { self.problems = problems }

    /// One problem with no key path.
    public init(file: String, _ message: String) { self.problems = [InputProblem(file: file, path: "", message: message)] }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

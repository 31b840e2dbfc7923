import Revive
import ReviveCheck
import ReviveExplore
import ReviveVocabulary
import ReviveWorld

/// Walks one command's arguments in order. The commands' loops are built on it so that flags,
/// their values and the usage messages read the same in every command.
struct ArgumentCursor {
    /// The command's name, as in `revive-lab explore`.
    let command: String
    private let arguments: [String]
    private var index = -1

    init(command: String, arguments: [String]) {
        self.command = command
        self.arguments = arguments
    }

    /// The next argument, or nil after the last.
    mutating func next() -> String? {
        index += 1
        return index < arguments.count ? arguments[index] : nil
    }

    /// A usage message from this command: `revive-lab COMMAND: text`.
    func message(_ text: String) -> String { "revive-lab \(command): \(text)\n" }

    /// The message for an option the command does not know.
    func unknownOption(_ argument: String) -> String {
        message("unknown option \"\(argument)\"; run `revive-lab \(command) --help`")
    }

    /// The whole number after a flag, within `range`, or nil (the caller reports `numberMessage`).
    mutating func number(in range: ClosedRange<Int>) -> Int? {
        guard let text = next(), let value = Int(text), range.contains(value) else { return nil }
        return value
    }

    /// The message for a flag whose number is missing or out of range.
    func numberMessage(_ flag: String, _ range: ClosedRange<Int>) -> String {
        message("\(flag) needs a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
}

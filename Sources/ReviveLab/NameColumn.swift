import ReviveVocabulary

/// A timeline line's name column for each known transition name, spelt and padded once.
///
/// Every line wrote its name by asking the name for its spelling (a call), lending the String's
/// bytes (a small one copied to the stack first), copying and padding them, then reading the first
/// bytes again for the `run` family: some 110 instructions a line, 0.2 M of a cold `run scenarios`.
/// A known name's column is three words, stored as they are, and whether it is of the `run`
/// family is read off with it. An unrecognized name, or one longer than the three words, keeps
/// the general path (`TextRenderer.write`); both paths write the same bytes (a test holds them to it).
struct NameColumn {
    /// The column's bytes: the name, then spaces up to `width` (and spaces past it, not written).
    let words: (UInt64, UInt64, UInt64)
    /// How many of those bytes the column takes: the name's length or `width`, the larger; 0 for
    /// no column (`none`).
    let count: Int
    /// Whether the name is of the `run` family (`TransitionName.family == "run"`).
    let isRunFamily: Bool

    /// The name column's least width, in bytes.
    static let width = 20

    /// No column: the name takes the general path.
    static let none = NameColumn(words: (0, 0, 0), count: 0, isRunFamily: false)

    /// The columns of the known names, by `TransitionName.position`; `none` for a name that does
    /// not fit three words (or is not ASCII). Built without a list per name: the table is made
    /// once a process, in its first rendering.
    static let byPosition: [NameColumn] = {
        var size = 0
        for name in TransitionName.known { size = max(size, (name.position ?? -1) + 1) }
        var table = [NameColumn](repeating: .none, count: size)
        for name in TransitionName.known {
            guard let position = name.position else { continue }
            table[position] = NameColumn(name.rawValue) ?? .none
        }
        return table
    }()

    private init(words: (UInt64, UInt64, UInt64), count: Int, isRunFamily: Bool) {
        self.words = words
        self.count = count
        self.isRunFamily = isRunFamily
    }

    /// The column for `spelling`, or nil when it is longer than 24 bytes or not ASCII.
    init?(_ spelling: String) {
        // The bytes lent whole and copied at once: walked through the String's UTF-8 view and
        // stored one by one, they cost some 800 instructions a name (45,000 for the table, in the
        // first rendering of every process).
        var spelling = spelling
        let words: (UInt64, UInt64, UInt64)? = spelling.withUTF8 { bytes in
            guard bytes.count <= 24, !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            let spaces: UInt64 = 0x2020_2020_2020_2020
            var words = (spaces, spaces, spaces)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            return words
        }
        guard let words else { return nil }
        self.init(words: words, count: max(spelling.utf8.count, NameColumn.width), isRunFamily: TextRenderer.isRunFamily(spelling))
    }
}

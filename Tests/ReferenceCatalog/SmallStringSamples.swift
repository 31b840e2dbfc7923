/// Texts for the tests of the small-String fast paths (`ShortASCII` and the timeline's writer):
/// one set, shared by every test target that holds a fast path to the plain spelling.
public enum SmallStringSamples {
    /// Texts of every length from 0 to 17 bytes (around the 15 a small string holds), built from
    /// pieces that need no quotes, need them, or are not ASCII.
    public static var texts: [String] {
        let pieces = ["a", "Z9", " ", "\"", "é", "-_"]
        var texts: [String] = []
        for piece in pieces {
            for filler in ["b", "é"] {
                for length in 0...17 {
                    var text = ""
                    while text.utf8.count < length { text += text.utf8.count == length / 2 ? piece : filler }
                    texts.append(text)
                }
            }
        }
        return texts
    }

    /// The same text in a native string that is not small (its storage reserved larger), which
    /// the general paths read.
    public static func stored(_ text: String) -> String {
        var copy = ""
        copy.reserveCapacity(64)
        copy += text
        return copy
    }
}

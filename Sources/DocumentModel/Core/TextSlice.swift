// Byte-offset slicing of a String: the one place that turns a TextRange into text.
// Offsets must fall on UTF-8 scalar boundaries (all model ranges do).

/// Helpers to cut text by UTF-8 byte offsets.
public enum TextSlice {
    /// The text of `range` in `text`, as a new String.
    @inlinable
    public static func slice(_ text: String, _ range: TextRange) -> String {
        let u = text.utf8
        let a = u.index(u.startIndex, offsetBy: Int(range.start))
        let b = u.index(a, offsetBy: range.length)
        return String(text[a..<b])
    }
}

// Quotations: a quoted span with its marks, the span inside them, and whether the marks balanced.
// Nested quotations point at their parent; a quotation continued over paragraphs links its parts.

/// One quotation (or one part of a quotation that runs over several paragraphs).
public struct Quotation: Sendable, Hashable {
    /// The span including the quotation marks.
    public var outer: TextRange
    /// The span inside the marks.
    public var inner: TextRange
    /// Whether an opening and a matching closing mark were both found.
    public var balanced: Bool
    /// 0 for a top-level quotation, 1 for a quotation inside it, and so on.
    public var depth: Int32
    /// The index of the enclosing quotation, or -1.
    public var parent: Int32
    /// The index of the next part of the same quotation in a later paragraph, or -1.
    public var continuation: Int32

    /// Creates a quotation.
    public init(
        outer: TextRange, inner: TextRange, balanced: Bool, depth: Int = 0, parent: Int = -1,
        continuation: Int = -1
    ) {
        self.outer = outer
        self.inner = inner
        self.balanced = balanced
        self.depth = Int32(depth)
        self.parent = Int32(parent)
        self.continuation = Int32(continuation)
    }
}

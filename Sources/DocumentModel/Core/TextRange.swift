// A half-open range of UTF-8 byte offsets into a document's normalized text.
// Every span in the model (blocks, sentences, tokens, quotations, annotations) uses it.

/// A half-open `[start, end)` range of UTF-8 byte offsets into the normalized text.
///
/// Offsets are stored as `UInt32`, so a single document may hold up to 4 GiB of text.
public struct TextRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first byte of the range.
    public var start: UInt32
    /// The byte just past the range.
    public var end: UInt32

    /// Creates a range from `UInt32` offsets; `end` must not be below `start`.
    @inlinable
    public init(start: UInt32, end: UInt32) {
        precondition(start <= end, "TextRange: start \(start) > end \(end)")
        self.start = start
        self.end = end
    }

    /// Creates a range from `Int` offsets; `end` must not be below `start`.
    @inlinable
    public init(_ start: Int, _ end: Int) {
        self.init(start: UInt32(start), end: UInt32(end))
    }

    /// The number of bytes in the range.
    @inlinable public var length: Int { Int(end - start) }
    /// Whether the range holds no bytes.
    @inlinable public var isEmpty: Bool { start == end }
    /// The start as an `Int`.
    @inlinable public var lowerBound: Int { Int(start) }
    /// The end as an `Int`.
    @inlinable public var upperBound: Int { Int(end) }

    /// Whether `other` lies entirely inside this range.
    @inlinable
    public func contains(_ other: TextRange) -> Bool { start <= other.start && other.end <= end }

    /// Whether the byte `offset` lies inside this range.
    @inlinable
    public func contains(offset: Int) -> Bool { Int(start) <= offset && offset < Int(end) }

    /// Whether the two ranges share at least one byte, or an empty range sits strictly inside the other.
    @inlinable
    public func overlaps(_ other: TextRange) -> Bool {
        if isEmpty || other.isEmpty {
            return (start == other.start && end == other.end)
                || (other.start < end && start < other.end)
                || (isEmpty && other.start < start && start < other.end)
                || (other.isEmpty && start < other.start && other.start < end)
        }
        return start < other.end && other.start < end
    }

    /// Document order: by start, then the longer range first.
    @inlinable
    public static func < (a: TextRange, b: TextRange) -> Bool {
        a.start != b.start ? a.start < b.start : a.end > b.end
    }

    public var description: String { "[\(start), \(end))" }
}

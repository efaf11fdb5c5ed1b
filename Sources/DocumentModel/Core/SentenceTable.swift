// Sentences as columns: start and end offsets and the index of the block each belongs to.
// Filled by the sentence splitter in TextAnalysis; sentences never cross block boundaries.

/// The document's sentences, stored as parallel columns in text order.
public struct SentenceTable: Sendable, Hashable {
    /// Start byte offsets.
    public var starts: [UInt32] = []
    /// End byte offsets (exclusive).
    public var ends: [UInt32] = []
    /// The index of the (leaf) block holding each sentence.
    public var blocks: [UInt32] = []

    /// Creates an empty table.
    public init() {}

    /// The number of sentences.
    public var count: Int { starts.count }

    /// The range of sentence `i`.
    @inlinable public func range(_ i: Int) -> TextRange { TextRange(start: starts[i], end: ends[i]) }

    /// Reserves room for `count` sentences in every column.
    public mutating func reserve(_ count: Int) {
        starts.reserveCapacity(count)
        ends.reserveCapacity(count)
        blocks.reserveCapacity(count)
    }

    /// Appends a sentence.
    public mutating func append(_ range: TextRange, block: Int) {
        starts.append(range.start)
        ends.append(range.end)
        blocks.append(UInt32(block))
    }

    /// The index of the sentence containing byte `offset`, or `nil` when it falls between sentences.
    public func index(containing offset: Int) -> Int? {
        let o = UInt32(clamping: offset)
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if starts[mid] <= o { lo = mid + 1 } else { hi = mid }
        }
        let i = lo - 1
        return i >= 0 && o < ends[i] ? i : nil
    }
}

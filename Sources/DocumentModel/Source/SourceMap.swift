// The source map ties ranges of the normalized text back to the original document:
// line and column of the original file for plain text, element paths or pages for other readers.

/// Where something sits in the original document.
public enum SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line and column (in code points) of the original text file.
    case lineColumn(line: Int, column: Int)
    /// A path to an element of a structured document, e.g. `/html/body/div[2]/p[3]` or `word/document.xml#p12`.
    case elementPath(String)
    /// A 1-based page number (PDF).
    case page(Int)

    public var description: String {
        switch self {
        case .lineColumn(let l, let c): "\(l):\(c)"
        case .elementPath(let p): p
        case .page(let p): "page \(p)"
        }
    }
}

/// Maps offsets of the normalized text back to the original bytes.
///
/// Normalization removes or rewrites a few bytes (BOM, CR of CRLF, control characters, invalid UTF-8,
/// NFC changes). Each change is recorded as an `Edit`: at normalized offset `normalized`, the original
/// offset is `original`; between edits the two move together. Readers for structured formats store a
/// location per block in `blockLocations` instead.
public struct SourceMap: Sendable, Hashable {
    /// One anchor of the piecewise mapping.
    public struct Edit: Sendable, Hashable {
        /// Offset in the normalized text where the mapping (re)starts.
        public var normalized: UInt32
        /// The corresponding offset in the original bytes.
        public var original: UInt32
        /// Original code points minus normalized code points consumed by this edit (for columns).
        public var codePointDelta: Int32
        public init(normalized: UInt32, original: UInt32, codePointDelta: Int32) {
            self.normalized = normalized
            self.original = original
            self.codePointDelta = codePointDelta
        }
    }

    /// Byte offsets in the original where each line starts (the first is 0); empty when unknown.
    public var originalLineStarts: [UInt32]
    /// Anchors after each change, ascending by `normalized`.
    public var edits: [Edit]
    /// Locations of blocks (by block index) for readers of structured formats.
    public var blockLocations: [Int: SourceLocation]

    /// Creates a source map; an empty one means "normalized text equals the original, lines unknown".
    public init(originalLineStarts: [UInt32] = [], edits: [Edit] = [], blockLocations: [Int: SourceLocation] = [:]) {
        self.originalLineStarts = originalLineStarts
        self.edits = edits
        self.blockLocations = blockLocations
    }

    /// The index of the last edit at or before normalized `offset`, or -1.
    private func editIndex(atOrBefore offset: Int) -> Int {
        let o = UInt32(clamping: offset)
        var lo = 0, hi = edits.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edits[mid].normalized <= o { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }

    /// The byte offset in the original that normalized byte `offset` came from.
    public func originalOffset(_ offset: Int) -> Int {
        let i = editIndex(atOrBefore: offset)
        if i < 0 { return offset }
        let e = edits[i]
        return Int(e.original) + (offset - Int(e.normalized))
    }

    /// The 1-based original line and column (in code points) of normalized byte `offset`.
    ///
    /// - Parameters:
    ///   - offset: A UTF-8 byte offset into the normalized text.
    ///   - index: The code-point index of the normalized text (see `Document.codePoints`).
    /// - Returns: `nil` when the map knows no lines (structured formats).
    public func lineColumn(of offset: Int, codePoints index: CodePointIndex) -> (line: Int, column: Int)? {
        guard !originalLineStarts.isEmpty else { return nil }
        let orig = UInt32(clamping: originalOffset(offset))
        var lo = 0, hi = originalLineStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if originalLineStarts[mid] <= orig { lo = mid + 1 } else { hi = mid }
        }
        let line = max(lo, 1)
        let lineStartOrig = Int(originalLineStarts[line - 1])
        // Normalized offset of the line start: invert the mapping at the line start.
        let normLineStart = normalizedOffset(ofOriginal: lineStartOrig)
        var column = index.codePointOffset(offset) - index.codePointOffset(min(normLineStart, offset)) + 1
        // Add code points that normalization dropped or merged between the line start and the offset.
        var i = editIndex(atOrBefore: offset)
        while i >= 0 && Int(edits[i].normalized) > normLineStart {
            column += Int(edits[i].codePointDelta)
            i -= 1
        }
        return (line, max(column, 1))
    }

    /// The normalized offset whose original offset is the nearest at or after `original`.
    public func normalizedOffset(ofOriginal original: Int) -> Int {
        // Edits are ascending in both coordinates; find the last edit whose original <= `original`.
        var lo = 0, hi = edits.count
        let o = UInt32(clamping: original)
        while lo < hi {
            let mid = (lo + hi) / 2
            if edits[mid].original <= o { lo = mid + 1 } else { hi = mid }
        }
        let i = lo - 1
        if i < 0 { return original }
        let e = edits[i]
        let n = Int(e.normalized) + (original - Int(e.original))
        if i + 1 < edits.count { return min(n, Int(edits[i + 1].normalized)) }
        return n
    }

    /// The location of normalized byte `offset` (line and column), if known.
    public func location(of offset: Int, codePoints index: CodePointIndex) -> SourceLocation? {
        guard let lc = lineColumn(of: offset, codePoints: index) else { return nil }
        return .lineColumn(line: lc.line, column: lc.column)
    }
}

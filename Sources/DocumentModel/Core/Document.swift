// The document model: one normalized text and everything that points into it.
// Pure value types; no Lua, no I/O. Filled by TextAnalysis and the readers, read by plugins and the CLI.

/// A parsed document: normalized text, block tree, sentences, tokens, quotations and annotations.
///
/// All positions are UTF-8 byte offsets into `text`, half-open. JSON output converts them to code-point
/// offsets (see `CodePointIndex` and `docs/document-schema.md`).
public struct Document: Sendable {
    /// A stable identifier (by default the path, or a content hash for standard input).
    public var id: String
    /// The path the document was read from (`-` for standard input).
    public var path: String
    /// The format name of the reader that produced it (`txt`, `md`, `html` ...).
    public var format: String
    /// The normalized text (UTF-8, NFC, LF line ends, no BOM).
    public var text: String
    /// Descriptive fields.
    public var metadata: Metadata
    /// The structural tree.
    public var blocks: BlockTree
    /// Sentences in text order.
    public var sentences: SentenceTable
    /// Tokens in text order.
    public var tokens: TokenTable
    /// Quotations ordered by start (outer before inner).
    public var quotations: [Quotation]
    /// Standoff annotations.
    public var annotations: AnnotationStore
    /// Named values set by plugins (`doc:set`).
    public var features: JSONObject
    /// Named scores set by plugins (`doc:score`).
    public var scores: JSONObject
    /// Ties text offsets back to the original.
    public var sourceMap: SourceMap
    /// What normalization or analysis changed or could not handle (e.g. "replaced 3 invalid UTF-8 sequences").
    public var warnings: [String]

    /// Creates a document; everything but the text may be filled in later.
    public init(
        id: String, path: String = "", format: String = "txt", text: String,
        metadata: Metadata = Metadata(), blocks: BlockTree = BlockTree(),
        sentences: SentenceTable = SentenceTable(), tokens: TokenTable = TokenTable(),
        quotations: [Quotation] = [], annotations: AnnotationStore = AnnotationStore(),
        features: JSONObject = JSONObject(), scores: JSONObject = JSONObject(),
        sourceMap: SourceMap = SourceMap(), warnings: [String] = []
    ) {
        self.id = id
        self.path = path
        self.format = format
        self.text = text
        self.metadata = metadata
        self.blocks = blocks
        self.sentences = sentences
        self.tokens = tokens
        self.quotations = quotations
        self.annotations = annotations
        self.features = features
        self.scores = scores
        self.sourceMap = sourceMap
        self.warnings = warnings
    }

    // MARK: - Spans

    /// The text of `range`.
    public func text(of range: TextRange) -> String { TextSlice.slice(text, range) }

    /// The tokens of sentence `i`, as a range of token indexes.
    public func tokenIndexes(ofSentence i: Int) -> Range<Int> { tokens.indexes(within: sentences.range(i)) }

    /// The sentence holding token `i`, if any (binary search).
    public func sentenceIndex(ofToken i: Int) -> Int? { sentences.index(containing: Int(tokens.starts[i])) }

    /// The normalized form of token `i`.
    public func norm(ofToken i: Int) -> String { tokens.norm(i, in: text) }

    /// The indexes of the quotations whose outer span lies inside `range`.
    public func quotationIndexes(within range: TextRange) -> [Int] {
        var out: [Int] = []
        var lo = 0, hi = quotations.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if quotations[mid].outer.start < range.start { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < quotations.count && quotations[i].outer.start < range.end {
            if range.contains(quotations[i].outer) { out.append(i) }
            i += 1
        }
        return out
    }

    /// Builds the byte → code-point index for the text (do this once per output pass).
    public func makeCodePointIndex() -> CodePointIndex { CodePointIndex(text) }

    /// The original location (line and column for plain text) of byte `offset`.
    public func sourceLocation(of offset: Int, codePoints: CodePointIndex? = nil) -> SourceLocation? {
        if let b = blockIndex(containing: offset), let loc = sourceMap.blockLocations[b] { return loc }
        return sourceMap.location(of: offset, codePoints: codePoints ?? makeCodePointIndex())
    }

    /// The innermost block containing byte `offset`.
    public func blockIndex(containing offset: Int) -> Int? {
        var best: Int? = nil
        for (i, b) in blocks.blocks.enumerated() {
            if b.range.start > UInt32(clamping: offset) { break }
            if b.range.contains(offset: offset) { best = i }
        }
        return best
    }
}

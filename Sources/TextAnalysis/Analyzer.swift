// The single entry point of text analysis: bytes → normalized text → blocks → tokens, sentences, quotes.
// Readers of other formats call `analyze(normalizedText:blocks:...)` with their own block tree.

import DocumentModel

/// Runs the whole analysis and builds a `Document`.
public enum Analyzer {
    /// Analyses a plain-text file.
    ///
    /// - Parameters:
    ///   - bytes: The original file contents (UTF-8 expected; invalid sequences are repaired).
    ///   - id: The document id.
    ///   - path: Where it was read from.
    ///   - format: The format name (default `txt`).
    ///   - metadata: Metadata known before analysis; the title is filled from the first line when it is one.
    /// - Returns: The analysed document.
    /// - Throws: `TextAnalysisError.notText` for binary data, `.tooLarge` above 4 GiB.
    public static func analyze<C: Collection<UInt8>>(
        bytes: C, id: String, path: String = "", format: String = "txt",
        metadata: Metadata = Metadata()
    ) throws -> Document {
        let normalized = try Normalizer.normalize(bytes)
        let detected = PlainTextBlockDetector.detect(normalized.text)
        var meta = metadata
        if meta.title == nil { meta.title = detected.title }
        if meta.encoding == nil { meta.encoding = "utf-8" }
        if meta.format == nil { meta.format = format }
        if meta.sourcePath == nil && !path.isEmpty { meta.sourcePath = path }
        return analyze(
            normalizedText: normalized.text, blocks: detected.blocks, id: id, path: path, format: format,
            metadata: meta, sourceMap: normalized.sourceMap, warnings: normalized.warnings)
    }

    /// Analyses a string as if it were a plain-text file's contents.
    public static func analyze(text: String, id: String = "text", path: String = "", format: String = "txt") throws
        -> Document
    {
        try analyze(bytes: Array(text.utf8), id: id, path: path, format: format)
    }

    /// Tokenizes, splits sentences and finds quotations in already normalized text with given blocks.
    ///
    /// Every leaf block (one without children) is analysed on its own: tokens, sentences and quotations
    /// never cross leaf blocks. With no blocks, the whole text (trimmed) becomes one paragraph.
    /// - Parameters:
    ///   - normalizedText: Text already normalized (NFC, LF line ends), e.g. by `Normalizer` or a reader.
    ///   - blocks: The block tree in pre-order; ranges must lie within the text and on scalar boundaries.
    public static func analyze(
        normalizedText: String, blocks: BlockTree, id: String, path: String = "",
        format: String = "txt", metadata: Metadata = Metadata(),
        sourceMap: SourceMap = SourceMap(), warnings: [String] = []
    ) -> Document {
        var text = normalizedText
        text.makeContiguousUTF8()
        var tree = blocks
        var tokens = TokenTable()
        var sentences = SentenceTable()
        var quotes: [Quotation] = []
        text.utf8.withContiguousStorageIfAvailable { buf in
            if tree.count == 0 {
                var s = 0, e = buf.count
                while s < e && isSpace(buf[s]) { s += 1 }
                while e > s && isSpace(buf[e - 1]) { e -= 1 }
                if e > s { tree = BlockTree([Block(kind: .paragraph, range: TextRange(s, e))]) }
            }
            tokens.reserve(buf.count / 5 + 16)
            sentences.reserve(buf.count / 100 + 4)
            var finder = QuotationFinder()
            for i in 0..<tree.count where tree.isLeaf(i) {
                let r = tree[i].range
                let first = tokens.count
                Tokenizer.tokenize(buf, Int(r.start)..<Int(r.end), into: &tokens)
                let range = first..<tokens.count
                SentenceSplitter.split(buf, tokens: tokens, range: range, block: i, into: &sentences)
                finder.scan(buf, tokens: tokens, range: range, blockRange: r)
            }
            quotes = finder.finish()
        }
        return Document(
            id: id, path: path, format: format, text: text, metadata: metadata, blocks: tree,
            sentences: sentences, tokens: tokens, quotations: quotes, sourceMap: sourceMap,
            warnings: warnings)
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
}

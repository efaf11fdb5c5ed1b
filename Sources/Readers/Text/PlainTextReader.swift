// The plain-text reader: transcodes to UTF-8 when needed, then the Analyzer's own path (normalizer,
// plain-text block detection, line:column source map).

import DocumentModel
import TextAnalysis

/// Reads `.txt` and anything detected as plain text.
struct PlainTextReader: SingleDocumentReader {
    func readDocument(_ input: ReaderInput) throws -> Document {
        let decoded = TextDecoder.decode(input.bytes)
        var meta = Metadata()
        meta.encoding = decoded.encoding
        do {
            var doc = try Analyzer.analyze(
                bytes: decoded.bytes, id: input.id, path: input.path,
                format: DocumentFormat.txt.rawValue, metadata: meta)
            doc.warnings.insert(contentsOf: decoded.warnings, at: 0)
            return doc
        } catch let error as TextAnalysisError {
            throw ReaderError("\(error)")
        }
    }
}

// results.jsonl as `quarry score` needs it: each document's id, sha256, status and annotations
// (docs/schemas/result.schema.json). Only the annotation types being scored are kept.
import DocumentModel

/// The documents of a results.jsonl file.
public struct ResultsFile: Sendable {
    /// The file's name as given (for messages).
    public var path: String
    /// The documents, in file order.
    public var documents: [ScoringDocument]

    /// Reads results.jsonl.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: The file's name, for messages.
    ///   - types: The annotation types to keep (nil keeps all).
    /// - Throws: `ScoringError` with file and line for a malformed line or annotation.
    public init(bytes: [UInt8], path: String, types: Set<String>? = nil) throws {
        self.path = path
        documents = []
        try JSONLines.forEachObject(bytes, file: path) { line, object in
            let reader = AnnotationReader(file: path, line: line)
            guard case .string(let id)? = object["id"] else {
                throw reader.fail("missing \"id\" (is this a results.jsonl?)")
            }
            let sha = object["sha256"]?.stringValue
            var spans: [LabeledSpan] = []
            if case .array(let items)? = object["annotations"] {
                for (i, item) in items.enumerated() {
                    if let types, case .object(let o) = item, case .string(let t)? = o["type"], !types.contains(t) {
                        continue
                    }
                    spans.append(try reader.span(item, index: i))
                }
            }
            spans.sort(by: LabeledSpan.documentOrder)
            documents.append(
                ScoringDocument(
                    id: id, sha256: sha, spans: spans, status: object["status"]?.stringValue,
                    line: line))
        }
    }
}

// The document model: one normalized text and everything that points into it.
// Pure value types; no Lua, no I/O. Filled by TextAnalysis and the readers.

/// Placeholder until the document-model work lands.
public struct Document: Sendable {
    public var text: String
    public init(text: String) { self.text = text }
}

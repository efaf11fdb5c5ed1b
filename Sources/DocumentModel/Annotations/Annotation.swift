// A standoff annotation: a typed, layered range of the text with JSON-like features.
// Plugins create them through the Lua API; the AnnotationStore keeps them in document order.

/// One standoff annotation over the normalized text.
public struct Annotation: Sendable, Hashable {
    /// Unique within a document; assigned by the store.
    public var id: Int
    /// Who made it; by default the plugin's name.
    public var layer: String
    /// What it marks, e.g. `PERSON`.
    public var type: String
    /// The annotated span.
    public var range: TextRange
    /// Extra data, in insertion order.
    public var features: JSONObject

    /// Creates an annotation.
    public init(id: Int, layer: String, type: String, range: TextRange, features: JSONObject = JSONObject()) {
        self.id = id
        self.layer = layer
        self.type = type
        self.range = range
        self.features = features
    }

    /// Document order: start, then the longer span first, then id.
    @inlinable
    public static func precedes(_ a: Annotation, _ b: Annotation) -> Bool {
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        if a.range.end != b.range.end { return a.range.end > b.range.end }
        return a.id < b.id
    }
}

// `--where FEATURE=VALUE`: keeps only the annotations whose feature has that value, on both sides,
// so that e.g. direct and indirect quotations are scored apart.
import DocumentModel

/// A feature value an annotation must have to be scored.
public struct FeatureCondition: Sendable, Hashable, CustomStringConvertible {
    /// The feature's name (compared exactly).
    public var feature: String
    /// The value, compared with the feature's text (JSON text for booleans and numbers: `true`, `3`),
    /// case- and white-space-insensitive, without aliases.
    public var value: String

    public init(feature: String, value: String) {
        self.feature = feature
        self.value = value
    }

    /// Parses `FEATURE=VALUE`.
    ///
    /// - Throws: `ScoringError` when there is no `=` or no feature name.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ScoringError("--where takes FEATURE=VALUE, not '\(text)'")
        }
        feature = String(text[..<eq])
        value = String(text[text.index(after: eq)...])
    }

    /// Whether `span` has the value.
    public func accepts(_ span: LabeledSpan) -> Bool {
        guard let v = span.value(of: feature) else { return false }
        return AliasTable.normalize(AliasTable.text(of: v)) == AliasTable.normalize(value)
    }

    public var description: String { "\(feature)=\(value)" }
}

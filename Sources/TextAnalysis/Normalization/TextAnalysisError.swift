// Errors the analysis can throw: input that is not text at all.
// Everything else (invalid UTF-8, control characters) is repaired and reported as a warning.

/// A failure to analyse a document.
public enum TextAnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes look like binary data, not text.
    case notText(reason: String)
    /// The input is larger than the model can address (4 GiB).
    case tooLarge(bytes: Int)

    public var description: String {
        switch self {
        case .notText(let reason): "not a text file: \(reason)"
        case .tooLarge(let n): "input too large: \(n) bytes (limit 4 GiB)"
        }
    }
}

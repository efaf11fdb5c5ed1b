// What a reader returns: for each document in a file, either the document or an error with its location.
// A file of records (JSON Lines, CSV, mbox) may give several of each; one bad record fails alone.

import DocumentModel

/// A document that could not be read: which one, where in its file, and why.
public struct ReadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The id the document would have had (`file.jsonl#3`, or the file's id).
    public var id: String
    /// The file it came from (`-` for standard input).
    public var path: String
    /// Where in the file, when known: `line 3`, `record 4`, `page 2`, `word/document.xml`.
    public var location: String?
    /// What went wrong, in words.
    public var message: String
    /// Set when the file was left out on purpose rather than broken (larger than `--max-bytes`):
    /// the reason, for a "skipped" outcome.
    public var skipReason: String?

    /// Creates a failure.
    public init(id: String, path: String, location: String? = nil, message: String, skipReason: String? = nil) {
        self.id = id
        self.path = path
        self.location = location
        self.message = message
        self.skipReason = skipReason
    }

    /// `path: location: message`, the form the command line prints.
    public var description: String {
        let name = path == "-" ? "<stdin>" : path
        if let location { return "\(name): \(location): \(message)" }
        return "\(name): \(message)"
    }
}

/// One outcome of reading a file: a document, or the failure of one document.
public enum ReadResult: Sendable {
    case document(Document)
    case failure(ReadFailure)

    /// The document, if reading succeeded.
    public var document: Document? {
        if case .document(let d) = self { return d }
        return nil
    }

    /// The failure, if reading failed.
    public var failure: ReadFailure? {
        if case .failure(let f) = self { return f }
        return nil
    }

    /// The id of the document or of the failed document.
    public var id: String {
        switch self {
        case .document(let d): d.id
        case .failure(let f): f.id
        }
    }
}

/// An error a reader throws for the document it is reading; the registry adds id and path.
struct ReaderError: Error, Sendable, CustomStringConvertible {
    var message: String
    var location: String?

    init(_ message: String, location: String? = nil) {
        self.message = message
        self.location = location
    }

    var description: String { location.map { "\($0): \(message)" } ?? message }
}

// ReaderRegistry: the one entry point from a corpus entry (or bytes) to documents. Detects the format,
// picks the reader, and fills what every document carries: id, path, format, encoding, sha256.

import DocumentModel
import Foundation

/// Reads corpus entries into documents with the reader for their format.
///
/// ```swift
/// let registry = ReaderRegistry(options: ReaderOptions(htmlMainContent: true))
/// for item in Corpus(paths: ["news/"]) {
///     guard case .entry(let entry) = item else { continue }
///     for result in registry.read(entry) { ... }   // .document(Document) or .failure(ReadFailure)
/// }
/// ```
public struct ReaderRegistry: Sendable {
    /// How files are read.
    public var options: ReaderOptions
    /// The size cap applied when reading an entry's bytes (`--max-bytes`).
    public var maxBytes: Int

    /// Creates a registry.
    public init(options: ReaderOptions = ReaderOptions(), maxBytes: Int = 50_000_000) {
        self.options = options
        self.maxBytes = maxBytes
    }

    /// Reads one corpus entry: one document, or several for files of records; failures name their place.
    public func read(_ entry: CorpusEntry) -> [ReadResult] {
        var out: [ReadResult] = []
        read(entry) { out.append($0) }
        return out
    }

    /// Reads one corpus entry and hands each result to `each` as soon as it is ready, in file order, so
    /// that a large file of records is never held as documents all at once.
    public func read(_ entry: CorpusEntry, each: (ReadResult) -> Void) {
        let bytes: [UInt8]
        do {
            bytes = try entry.bytes(maxBytes: maxBytes)
        } catch let tooLarge as CorpusEntry.TooLarge {
            each(
                .failure(
                    ReadFailure(
                        id: entry.id, path: entry.path, message: "skipped: \(tooLarge.reason)",
                        skipReason: tooLarge.reason)))
            return
        } catch {
            each(.failure(ReadFailure(id: entry.id, path: entry.path, message: "\(error)")))
            return
        }
        read(bytes: bytes, id: entry.id, path: entry.path, fileName: entry.fileName, each: each)
    }

    /// Reads bytes as if they were the file `fileName`.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - id: The document id (records get `id#N`).
    ///   - path: The path recorded in the document (`-` for standard input).
    ///   - fileName: The name whose extension helps detection; empty for none.
    public func read(bytes: [UInt8], id: String, path: String, fileName: String = "") -> [ReadResult] {
        var out: [ReadResult] = []
        read(bytes: bytes, id: id, path: path, fileName: fileName) { out.append($0) }
        return out
    }

    /// Reads bytes as if they were the file `fileName`, handing each result to `each` in file order.
    public func read(bytes: [UInt8], id: String, path: String, fileName: String = "", each: (ReadResult) -> Void) {
        let detection: Detection
        if let forced = options.format {
            detection = Detection(format: forced)
        } else {
            detection = FormatDetector.detect(bytes, fileName: fileName)
        }
        guard let format = detection.format else {
            each(
                .failure(
                    ReadFailure(
                        id: id, path: path,
                        message: "unsupported format: \(detection.unsupported ?? "unknown")")))
            return
        }
        let sha = SHA256.hex(bytes)
        let input = ReaderInput(bytes: bytes, id: id, path: path, format: format, options: options)
        Self.reader(for: format).read(input) { result in
            guard case .document(var doc) = result else { return each(result) }
            doc.metadata.sha256 = sha
            if doc.metadata.sourcePath == nil { doc.metadata.sourcePath = path }
            if doc.metadata.format == nil { doc.metadata.format = doc.format }
            if let warning = detection.warning { doc.warnings.insert(warning, at: 0) }
            options.metadata?.apply(to: &doc)
            each(.document(doc))
        }
    }

    /// The reader for a format.
    static func reader(for format: DocumentFormat) -> any DocumentReader {
        switch format {
        case .txt: PlainTextReader()
        case .md: MarkdownReader()
        case .html: HTMLReader()
        case .jsonl, .json: JSONRecordsReader()
        case .csv, .tsv: CSVReader()
        case .docx: DOCXReader()
        case .pdf: PDFReader()
        case .eml: EmailReader()
        case .mbox: MboxReader()
        }
    }
}

/// What a reader gets: the bytes and where they came from.
struct ReaderInput: Sendable {
    var bytes: [UInt8]
    var id: String
    var path: String
    var format: DocumentFormat
    var options: ReaderOptions

    /// A failure of this whole input.
    func failure(_ message: String, location: String? = nil) -> ReadResult {
        .failure(ReadFailure(id: id, path: path, location: location, message: message))
    }

    /// A failure of this whole input from a thrown error.
    func failure(_ error: any Error) -> ReadResult {
        if let e = error as? ReaderError { return failure(e.message, location: e.location) }
        return failure("\(error)")
    }
}

/// A reader of one format.
protocol DocumentReader: Sendable {
    /// Reads the input into documents or per-document failures, in file order; never throws, never
    /// crashes on bad bytes.
    func read(_ input: ReaderInput, into sink: (ReadResult) -> Void)
}

/// A reader whose files hold exactly one document.
protocol SingleDocumentReader: DocumentReader {
    func readDocument(_ input: ReaderInput) throws -> Document
}

extension SingleDocumentReader {
    func read(_ input: ReaderInput, into sink: (ReadResult) -> Void) {
        do {
            sink(.document(try readDocument(input)))
        } catch {
            sink(input.failure(error))
        }
    }
}

// DocumentStream: the documents of the command line's paths, pulled one at a time through the corpus
// walk and readers — for `quarry eval`, `quarry script`, `quarry.documents()`, `quarry inspect`, and
// the single document of `quarry repl FILE` and spec fixtures.
import DocumentModel
import Foundation
import Readers

/// Pulls documents (or per-document failures) from paths, lazily, in order.
final class DocumentStream {
    private var iterator: Corpus.Iterator
    let registry: ReaderRegistry
    /// The documents of the file being read, last first: each is popped (and freed) as it is handed out.
    private var pending: [ReadResult] = []
    /// Called for files the walk skipped on purpose (too large), with the reason.
    var onSkip: (String, String) -> Void = { path, reason in Terminal.warning("\(path): skipped: \(reason)") }

    /// - Throws: `CommandFailure` (usage) when a path named explicitly does not exist.
    init(
        paths: [String], readerOptions: ReaderOptions = ReaderOptions(), corpusOptions: CorpusOptions = CorpusOptions()
    ) throws {
        for path in paths where path != "-" && !Glob.hasWildcards(path) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure.usage("\(path): no such file")
            }
        }
        iterator = Corpus(paths: paths, options: corpusOptions).makeIterator()
        registry = ReaderRegistry(options: readerOptions, maxBytes: corpusOptions.maxBytes)
    }

    /// - Throws: `CommandFailure` (usage) when a path named explicitly does not exist.
    convenience init(paths: [String], flags: ReaderFlags) throws {
        try self.init(paths: paths, readerOptions: flags.readerOptions, corpusOptions: flags.corpusOptions)
    }

    func next() -> ReadResult? {
        while pending.isEmpty {
            guard let item = iterator.next() else { return nil }
            switch item {
            case .entry(let entry):
                pending = registry.read(entry).filter { result in
                    guard let reason = result.failure?.skipReason else { return true }
                    onSkip(entry.path, reason)
                    return false
                }
                pending.reverse()
            case .skipped(let path, let reason): onSkip(path, reason)
            case .failure(let path, let message):
                pending = [.failure(ReadFailure(id: path, path: path, message: message))]
            }
        }
        // popLast, not removeFirst: a JSON Lines file of 20,000 records would move the rest at every step
        return pending.popLast()
    }

    /// Reads a path that should hold one document: its first document.
    ///
    /// - Throws: `CommandFailure` (usage) when the path does not exist; (failed) when it holds no
    ///   document, with the first read failure, or the skip, if there was one.
    static func single(_ path: String, options: ReaderOptions = ReaderOptions()) throws -> Document {
        let stream = try DocumentStream(paths: [path], readerOptions: options)
        var failure: ReadFailure?
        stream.onSkip = { path, reason in failure = ReadFailure(id: path, path: path, message: "skipped: \(reason)") }
        var document: Document?
        while let result = stream.next() {
            switch result {
            case .document(let d): if document == nil { document = d }
            case .failure(let f): if failure == nil { failure = f }
            }
        }
        if let document { return document }
        throw CommandFailure.failed(failure?.description ?? "\(path): no documents")
    }
}

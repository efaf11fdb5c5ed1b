// DocumentLoader: reads paths (files, folders, globs, or `-` for standard input) into documents through
// the Readers API, turning whole-run problems into a CLIFailure that names the file.
import DocumentModel
import Foundation
import Readers

enum DocumentLoader {
    /// Walks `paths` and reads every entry; yields each document or per-document failure in order.
    ///
    /// - Throws: `CLIFailure` (usage) when a named path does not exist.
    static func read(_ paths: [String], options: ReaderOptions, corpus: CorpusOptions = CorpusOptions(),
                     each: (ReadResult) -> Void, skipped: (String, String) -> Void) throws {
        for path in paths where path != "-" && !Glob.hasWildcards(path) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIFailure("\(path): no such file", code: .usage)
            }
        }
        let registry = ReaderRegistry(options: options, maxBytes: corpus.maxBytes)
        for item in Corpus(paths: paths, options: corpus) {
            switch item {
            case .entry(let entry):
                registry.read(entry) { result in
                    if let reason = result.failure?.skipReason { skipped(entry.path, reason) } else { each(result) }
                }
            case .skipped(let path, let reason):
                skipped(path, reason)
            case .failure(let path, let message):
                each(.failure(ReadFailure(id: path, path: path, message: message)))
            }
        }
    }

    /// Reads one file into exactly one document (used where a single document is expected).
    static func load(_ path: String, options: ReaderOptions = ReaderOptions()) throws -> Document {
        var documents: [Document] = []
        var failure: ReadFailure?
        try read([path], options: options, each: { result in
            switch result {
            case .document(let d): documents.append(d)
            case .failure(let f): if failure == nil { failure = f }
            }
        }, skipped: { path, reason in
            failure = ReadFailure(id: path, path: path, message: "skipped: \(reason)")
        })
        if let first = documents.first { return first }
        throw CLIFailure(failure?.description ?? "\(path): no documents", code: .failed)
    }
}

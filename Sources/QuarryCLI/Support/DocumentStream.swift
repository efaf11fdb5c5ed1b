// DocumentStream: the documents of the command line's paths, pulled one at a time (for
// `quarry eval`, `quarry script` and `quarry.documents()`), through the corpus walk and readers.
import ArgumentParser
import DocumentModel
import Foundation
import Readers

/// Reader options shared by the commands that read documents.
struct ReaderFlags: ParsableArguments {
    @Option(help: "Read as this format instead of detecting it (\(DocumentFormat.names)).")
    var format: String?

    @Option(name: .customLong("html-main"), help: "Keep only the main content of HTML pages: on or off.")
    var htmlMain: String = "on"

    @Option(name: .customLong("text-field"), help: "The record field holding the text (JSON Lines, CSV).")
    var textField: String?

    @Option(name: .customLong("id-field"), help: "The record field holding the document id (JSON Lines, CSV).")
    var idField: String?

    @Option(name: .customLong("include"), help: ArgumentHelp("Only files whose path matches this glob (repeatable).", valueName: "glob"))
    var include: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out files whose path matches this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    @Option(name: .customLong("max-bytes"), help: "Skip files larger than this many bytes.")
    var maxBytes: Int = 50_000_000

    func validate() throws {
        if let format, DocumentFormat(name: format) == nil {
            throw ValidationError("unknown format '\(format)'; expected one of \(DocumentFormat.names)")
        }
        guard ["on", "off"].contains(htmlMain.lowercased()) else {
            throw ValidationError("--html-main takes on or off, not '\(htmlMain)'")
        }
        guard maxBytes > 0 else { throw ValidationError("--max-bytes must be positive") }
    }

    var readerOptions: ReaderOptions {
        ReaderOptions(format: format.flatMap(DocumentFormat.init(name:)), htmlMainContent: htmlMain.lowercased() == "on",
                      textField: textField, idField: idField)
    }

    var corpusOptions: CorpusOptions { CorpusOptions(include: include, exclude: exclude, maxBytes: maxBytes) }
}

/// Pulls documents (or per-document failures) from paths, lazily, in order.
final class DocumentStream {
    private var iterator: Corpus.Iterator
    private let registry: ReaderRegistry
    /// The documents of the file being read, last first: each is popped (and freed) as it is handed out.
    private var pending: [ReadResult] = []
    /// Called for files the walk skipped on purpose (too large), with the reason.
    var onSkip: (String, String) -> Void = { path, reason in Terminal.warning("\(path): skipped: \(reason)") }

    /// - Throws: `CLIFailure` (usage) when a path named explicitly does not exist.
    init(paths: [String], flags: ReaderFlags) throws {
        for path in paths where path != "-" && !Glob.hasWildcards(path) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIFailure("\(path): no such file", code: .usage)
            }
        }
        iterator = Corpus(paths: paths, options: flags.corpusOptions).makeIterator()
        registry = ReaderRegistry(options: flags.readerOptions, maxBytes: flags.maxBytes)
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
            case .failure(let path, let message): pending = [.failure(ReadFailure(id: path, path: path, message: message))]
            }
        }
        // popLast, not removeFirst: a JSON Lines file of 20,000 records would move the rest at every step
        return pending.popLast()
    }
}

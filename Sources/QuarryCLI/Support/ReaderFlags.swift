// ReaderFlags: the reader and corpus options of the commands that read documents (--format,
// --html-main, --text-field, --id-field, --metadata, --include, --exclude, --max-bytes).
import ArgumentParser
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

    @Option(
        name: .customLong("metadata"),
        help: ArgumentHelp(
            "Metadata for the documents: a CSV/TSV file with a header or JSON Lines, keyed by `id` or `path`, with `date`, `title`, `source` or any field.",
            valueName: "file"))
    var metadataFile: String?

    @Option(
        name: .customLong("include"),
        help: ArgumentHelp("Only files whose path matches this glob (repeatable).", valueName: "glob"))
    var include: [String] = []

    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp("Leave out files whose path matches this glob (repeatable).", valueName: "glob"))
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

    /// The reader options, with the metadata file read (its warnings printed once).
    var readerOptions: ReaderOptions {
        get throws {
            var options = ReaderOptions(
                format: format.flatMap(DocumentFormat.init(name:)), htmlMainContent: htmlMain.lowercased() == "on",
                textField: textField, idField: idField)
            if let metadataFile {
                do {
                    options.metadata = try MetadataTable.load(metadataFile)
                } catch {
                    throw CommandFailure.usage("--metadata: \(error)")
                }
                for warning in options.metadata!.warnings { Terminal.warning(warning) }
            }
            return options
        }
    }

    var corpusOptions: CorpusOptions { CorpusOptions(include: include, exclude: exclude, maxBytes: maxBytes) }
}

extension MetadataTable {
    /// Warns about rows that matched no document read ("listed, not fatal").
    func warnUnused() {
        let unused = unusedKeys
        guard !unused.isEmpty else { return }
        let shown = unused.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
        Terminal.warning(
            "--metadata: \(unused.count) of \(count) rows of \(file) match no document read: \(shown)\(unused.count > 5 ? ", …" : "")"
        )
    }
}

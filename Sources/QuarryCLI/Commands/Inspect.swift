// `quarry inspect PATH`: the parsed document model, as a readable tree or as JSON.
import ArgumentParser
import DocumentModel
import Foundation
import Readers

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the parsed document model of a file, as a tree or as JSON.",
        discussion: """
            The tree shows blocks with their sentences, and token and quote counts. --json prints the \
            whole model in the schema `quarry.document/1` (docs/document-schema.md): offsets are 0-based, \
            half-open, in Unicode code points. A file of records (JSON Lines, CSV, mbox) or a folder gives \
            several documents: JSON output is then one document per line. Formats: \(DocumentFormat.names).
            """
    )

    @Argument(help: "A file, a folder, a glob, or - for standard input.")
    var path: String

    @Flag(help: "Print the whole model as JSON.")
    var json = false

    @Option(help: "Read as this format instead of detecting it (\(DocumentFormat.names)).")
    var format: String?

    @Option(name: .customLong("html-main"), help: "Keep only the main content of HTML pages: on or off.")
    var htmlMain: String = "on"

    @Option(name: .customLong("text-field"), help: "The record field holding the text (JSON Lines, CSV).")
    var textField: String?

    @Option(name: .customLong("id-field"), help: "The record field holding the document id (JSON Lines, CSV).")
    var idField: String?

    func validate() throws {
        if let format, DocumentFormat(name: format) == nil {
            throw ValidationError("unknown format '\(format)'; expected one of \(DocumentFormat.names)")
        }
        guard ["on", "off"].contains(htmlMain.lowercased()) else {
            throw ValidationError("--html-main takes on or off, not '\(htmlMain)'")
        }
    }

    func run() throws {
        let options = ReaderOptions(format: format.flatMap(DocumentFormat.init(name:)),
                                    htmlMainContent: htmlMain.lowercased() == "on", textField: textField,
                                    idField: idField)
        var failed = 0
        var count = 0
        try DocumentLoader.read([path], options: options, each: { result in
            switch result {
            case .document(let document):
                count += 1
                if json {
                    FileHandle.standardOutput.write(Data(document.jsonString().utf8))
                    FileHandle.standardOutput.write(Data("\n".utf8))
                } else {
                    if count > 1 { print("") }
                    let tree = document.renderTree()
                    print(tree, terminator: tree.hasSuffix("\n") ? "" : "\n")
                }
                let name = document.path == "-" ? "<stdin>" : document.path
                let label = document.id.contains("#") ? "\(name) (\(document.id))" : name
                for warning in document.warnings { Terminal.warning("\(label): \(warning)") }
            case .failure(let failure):
                failed += 1
                Terminal.error(failure.description)
            }
        }, skipped: { path, reason in
            Terminal.warning("\(path): skipped: \(reason)")
        })
        if failed > 0 { throw ExitCode(CLIFailure.Code.failed.rawValue) }
    }
}

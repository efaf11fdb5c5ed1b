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

    @OptionGroup var reading: ReaderFlags

    func run() throws {
        var failed = 0
        var count = 0
        let stream = try DocumentStream(paths: [path], flags: reading)
        while let result = stream.next() {
            switch result {
            case .document(let document):
                count += 1
                if json {
                    FileHandle.standardOutput.write(Data(document.jsonString().utf8))
                    FileHandle.standardOutput.write(Data("\n".utf8))
                } else {
                    if count > 1 { print("") }
                    let tree = Terminal.shown(document.renderTree(), keepingLineBreaks: true)
                    print(tree, terminator: tree.hasSuffix("\n") ? "" : "\n")
                }
                let name = document.path == "-" ? "<stdin>" : document.path
                let label = document.id.contains("#") ? "\(name) (\(document.id))" : name
                for warning in document.warnings { Terminal.warning("\(label): \(warning)") }
            case .failure(let failure):
                failed += 1
                Terminal.error(failure.description)
            }
        }
        stream.registry.options.metadata?.warnUnused()
        if failed > 0 { throw CommandFailure.reportedFailures }
    }
}

// `quarry inspect PATH`: the parsed document model, as a readable tree or as JSON.
import ArgumentParser
import DocumentModel
import Foundation
import TextAnalysis

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the parsed document model of a file, as a tree or as JSON.",
        discussion: """
            The tree shows blocks with their sentences, and token and quote counts. --json prints the \
            whole model in the schema `quarry.document/1` (docs/document-schema.md): offsets are 0-based, \
            half-open, in Unicode code points.
            """
    )

    @Argument(help: "A text file, or - for standard input.")
    var path: String

    @Flag(help: "Print the whole model as JSON.")
    var json = false

    func run() throws {
        let document = try DocumentLoader.load(path)
        if json {
            FileHandle.standardOutput.write(Data(document.jsonString().utf8))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            print(document.renderTree(), terminator: document.renderTree().hasSuffix("\n") ? "" : "\n")
        }
        for warning in document.warnings { Terminal.warning("\(path): \(warning)") }
    }
}

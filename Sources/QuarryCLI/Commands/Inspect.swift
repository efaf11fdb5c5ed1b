// `quarry inspect PATH`: the parsed document model, as a tree or as JSON.
import ArgumentParser
import Foundation

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the parsed document model of a file, as a tree or as JSON."
    )

    @Argument(help: "A text file, or - for standard input.")
    var path: String

    @Flag(help: "Print the whole model as JSON (schema quarry.document/1).")
    var json = false

    func run() throws {
        throw CLIFailure("inspect is not available yet", code: .cannotRun)
    }
}

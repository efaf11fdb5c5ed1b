// DocumentLoader: reads a path (or `-` for standard input) into an analysed Document, turning
// every failure into a CLIFailure that names the file.
import DocumentModel
import Foundation
import TextAnalysis

enum DocumentLoader {
    /// Reads every document of a path (a file gives one).
    static func loadAll(_ path: String) throws -> [Document] {
        [try load(path)]
    }

    /// Reads and analyses one document.
    static func load(_ path: String) throws -> Document {
        let bytes: Data
        if path == "-" {
            bytes = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIFailure("\(path): no such file", code: .usage)
            }
            guard !isDirectory.boolValue else {
                throw CLIFailure("\(path): is a folder; give a file", code: .usage)
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIFailure("\(path): cannot read the file (permission denied?)", code: .cannotRun)
            }
            bytes = data
        }
        let name = path == "-" ? "<stdin>" : path
        do {
            return try Analyzer.analyze(
                bytes: bytes, id: path == "-" ? "stdin" : URL(fileURLWithPath: path).lastPathComponent, path: name)
        } catch let error as TextAnalysisError {
            throw CLIFailure("\(name): \(error)", code: .failed)
        }
    }
}
